import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceText, locate } from '../../../src/diagnostics/index.js';
import { readRulesYaml } from '../../../src/falco/loader/read-yaml.js';
import type { ListItem, MacroItem, RuleItem } from '../../../src/falco/loader/items.js';

function read(text: string) {
  return readRulesYaml(new SourceText('t.yaml', text));
}

test('scalars are raw text, as yaml-cpp reads them', () => {
  const r = read('- list: l\n  items: [0777, yes, 1e3, ~, "a b", \'"(s)"\', 0x1F]\n');
  assert.equal(r.ok, true);
  const list = r.items[0] as ListItem;
  assert.deepEqual(list.items!.map((i) => i.text), ['0777', 'yes', '1e3', '~', 'a b', '"(s)"', '0x1F']);
});

test('several documents, empty documents and null entries', () => {
  const r = read('- macro: a\n  condition: evt.num=1\n-\n---\n# nothing\n---\n- list: b\n  items: []\n');
  assert.equal(r.ok, true);
  assert.deepEqual(r.items.map((i) => i.kind), ['macro', 'list']);
});

test('a document that is not a sequence is an error at its start', () => {
  const r = read('rule: x\n');
  assert.equal(r.ok, false);
  const d = locate(r.diagnostics[0]!);
  assert.deepEqual([d.code, d.line, d.col], ['LOAD_ERR_YAML_VALIDATE', 1, 1]);
  assert.match(d.message, /not yaml array of objects/);
});

test('item classification follows Falco precedence; unknown items warn', () => {
  const r = read('- macro: m\n  list: l\n  items: [a]\n- foo: bar\n');
  assert.equal(r.items[0]!.kind, 'list');
  const w = r.diagnostics.find((d) => d.code === 'LOAD_UNKNOWN_ITEM');
  assert.ok(w);
  assert.equal(locate(w).line, 4);
});

test('unknown keys warn at the key', () => {
  const r = read('- macro: m\n  condition: evt.num=1\n  colour: red\n');
  const w = r.diagnostics.find((d) => d.code === 'LOAD_UNKNOWN_KEY')!;
  assert.equal(w.message, "Unknown key 'colour'. The key will be ignored.");
  assert.deepEqual([locate(w).line, locate(w).col], [3, 3]);
});

test('rule keys: priority case-insensitive, booleans in yaml-cpp spellings, output trimmed', () => {
  const r = read('- rule: r\n  desc: d\n  condition: evt.num=1\n  output: "  hi %proc.name  "\n  priority: info\n  enabled: No\n  warn_evttypes: off\n  tags: [a, b, a]\n');
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics.map(locate)));
  const rule = r.items[0] as RuleItem;
  assert.equal(rule.priority!.value, 6);
  assert.equal(rule.enabled, false);
  assert.equal(rule.warnEvttypes, false);
  assert.equal(rule.output!.text, 'hi %proc.name');
});

test('required keys: missing, empty and empty-string values', () => {
  const cases: [string, string, number, number][] = [
    ['- macro: m\n', "Item has no mapping for key 'condition'", 1, 3],
    ['- macro: m\n  condition:\n', "Mapping for key 'condition' is empty", 2, 3],
    ['- macro: m\n  condition: ""\n', 'Value must be non-empty', 2, 14],
    ['- rule: r\n  desc: d\n  condition: a\n  output: o\n  priority: loud\n', "Invalid priority 'loud'", 5, 13],
  ];
  for (const [text, message, line, col] of cases) {
    const r = read(text);
    const d = locate(r.diagnostics.find((x) => x.severity === 'error')!);
    assert.deepEqual([d.message, d.line, d.col], [message, line, col], text);
  }
});

test('yaml syntax errors carry a position', () => {
  const r = read('- macro: m\n  condition: "unterminated\n');
  const d = locate(r.diagnostics[0]!);
  assert.equal(d.code, 'LOAD_ERR_YAML_PARSE');
  assert.deepEqual([d.line, d.col], [2, 14]);
  assert.match(d.message, /Missing closing "quote/);
});

test('override validation', () => {
  const ok = read('- rule: r\n  condition: and x\n  override:\n    condition: append\n');
  assert.equal(ok.ok, true);
  const cases: [string, RegExp][] = [
    ['- rule: r\n  priority: info\n  override:\n    priority: append\n', /cannot be appended to, use 'replace'/],
    ['- rule: r\n  override:\n    condition: append\n', /append override for 'condition' was specified but 'condition' is not defined/],
    ['- rule: r\n  condition: x\n  desc: y\n  override:\n    condition: append\n', /Unexpected key 'desc'/],
    ['- rule: r\n  condition: x\n  append: true\n  override:\n    condition: append\n', /cannot be used together/],
    ['- rule: r\n  condition: x\n  override:\n    condition: merge\n', /Allowed values are: append, replace/],
  ];
  for (const [text, re] of cases) {
    const r = read(text);
    assert.equal(r.ok, false, text);
    assert.match(r.diagnostics.at(-1)!.message, re);
  }
});

test('a folded condition is joined with spaces', () => {
  const r = read('- macro: m\n  condition: >\n    a and\n    b\n');
  assert.equal((r.items[0] as MacroItem).condition!.text, 'a and b\n');
});

test('engine version: integers, semver, too new, garbage', () => {
  assert.equal(read('- required_engine_version: 12\n').ok, true);
  assert.equal(read('- required_engine_version: 0.57.0\n').ok, true);
  const tooNew = read('- required_engine_version: 0.99.0\n');
  assert.match(tooNew.diagnostics[0]!.message, /Rules require engine version 0.99.0, but engine version is/);
  assert.equal(tooNew.diagnostics[0]!.code, 'LOAD_ERR_VALIDATE');
  assert.equal(read('- required_engine_version: one.two\n').diagnostics[0]!.code, 'LOAD_ERR_YAML_VALIDATE');
});

test('plugin requirements are recorded and checked for semver and duplicates', () => {
  const r = read('- required_plugin_versions:\n  - name: container\n    version: 0.4.0\n    alternatives:\n      - name: k8s\n        version: 1.0.0\n');
  assert.equal(r.ok, true);
  const dup = read('- required_plugin_versions:\n  - name: a\n    version: 0.4.0\n    alternatives:\n      - name: a\n        version: 1.0.0\n');
  assert.match(dup.diagnostics[0]!.message, /Multiple definitions of plugin/);
});

test('aliases are followed to their anchors; a cycle is an error', () => {
  const r = read('- list: a\n  items: &shells [bash, sh]\n- list: b\n  items: *shells\n');
  assert.equal(r.ok, true);
  assert.deepEqual((r.items[1] as ListItem).items!.map((i) => i.text), ['bash', 'sh']);
  const cycle = read('- &loop [*loop]\n');
  assert.equal(cycle.ok, false);
  assert.equal(cycle.diagnostics[0]!.code, 'LOAD_ERR_YAML_PARSE');
  assert.match(cycle.diagnostics[0]!.message, /Alias \*loop cannot be resolved/);
});
