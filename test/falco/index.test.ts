import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locate } from '../../src/diagnostics/index.js';
import { loadFalcoRules, readRulesPaths, renderLoadReport } from '../../src/falco/index.js';
import { createStubBackend, stubContext } from './helpers/stub-backend.js';

function load(...texts: string[]) {
  const r = loadFalcoRules(texts.map((text, i) => ({ name: `f${i}.yaml`, text })), { backend: createStubBackend() });
  return { ...r, located: r.diagnostics.map(locate) };
}

const rule = (name: string, cond: string, extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: "%proc.name did it"\n  priority: WARNING\n${extra}`;

test('a small rule set loads, counts items and evaluates', () => {
  const r = load(`- list: shells\n  items: [bash, sh]\n- macro: spawned\n  condition: evt.type = execve\n${rule('shell', 'spawned and proc.name in (shells)')}`);
  assert.deepEqual(r.located, []);
  assert.deepEqual(r.counts, { rules: 1, macros: 1, lists: 1 });
  const alerts = r.ruleset!.evaluate(stubContext({ 'evt.type': 'execve', 'proc.name': 'bash' }));
  assert.deepEqual(alerts.map((a) => [a.rule, a.output, a.priority]), [['shell', 'bash did it', 'Warning']]);
  assert.equal(r.ruleset!.evaluate(stubContext({ 'evt.type': 'execve', 'proc.name': 'vim' })).length, 0);
});

test('parse errors point into the file, through block scalars and list substitution', () => {
  const r = load(`- list: shells\n  items: [bash, sh]\n- rule: r\n  desc: d\n  condition: >\n    evt.type = execve and\n    proc.name in (shells) and )\n  output: o\n  priority: info\n`);
  const e = r.located.find((d) => d.severity === 'error')!;
  assert.equal(e.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.deepEqual([e.line, e.col], [7, 31]);
  assert.equal(e.item, "rule 'r'");
});

test('an error in appended text points at the append', () => {
  const r = load(rule('r', 'evt.type = open'), '- rule: r\n  condition: and proc.nme = x\n  override:\n    condition: append\n');
  const e = r.located.find((d) => d.severity === 'error')!;
  assert.match(e.message, /nonexistent field proc.nme/);
  assert.deepEqual([e.file, e.line, e.col], ['f1.yaml', 2, 18]);
});

test('an error in an exception points at the exception value', () => {
  const r = load(rule('r', 'evt.type = open', '  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [=]\n      values: [["a)b"]]\n'));
  const e = r.located.find((d) => d.severity === 'error')!;
  assert.equal(e.code, 'LOAD_ERR_COMPILE_CONDITION');
  assert.equal(e.line, 10);
});

test('macro visibility: a macro sees only macros defined before its latest definition', () => {
  const bad = load('- macro: a\n  condition: b\n- macro: b\n  condition: evt.num=1\n' + rule('r', 'a'));
  assert.match(bad.located[0]!.message, /Undefined macro 'b' used in filter/);
  assert.deepEqual([bad.located[0]!.line, bad.located[0]!.col], [2, 14]);
  const redefined = load('- macro: a\n  condition: evt.num=2\n- macro: b\n  condition: evt.num=1\n- macro: a\n  condition: b\n' + rule('r', 'a and evt.type=open'));
  assert.deepEqual(redefined.located.filter((d) => d.severity === 'error'), []);
  const loop = load('- macro: a\n  condition: evt.num=2\n- macro: b\n  condition: a\n- macro: a\n  condition: b\n' + rule('r', 'a'));
  assert.match(loop.located[0]!.message, /reference loop in macro/);
});

test('rules see every macro, even ones defined after them', () => {
  const r = load(rule('r', 'later') + '- macro: later\n  condition: evt.type=open\n');
  assert.deepEqual(r.located.filter((d) => d.severity === 'error'), []);
});

test('nested lists expand lists defined before; names of later lists stay literal inside lists', () => {
  const r = load('- list: a\n  items: [x, y]\n- list: b\n  items: [a, z, c]\n- list: c\n  items: [q]\n' + rule('r', 'evt.type=open and proc.name in (b)'));
  const hit = (name: string) => r.ruleset!.evaluate(stubContext({ 'evt.type': 'open', 'proc.name': name })).length;
  assert.deepEqual(['x', 'y', 'z', 'c', 'q'].map(hit), [1, 1, 1, 0, 1]);
});

test('warnings: unused macro and list, no event type, unknown key', () => {
  const r = load('- list: unused_l\n  items: [a]\n- macro: unused_m\n  condition: evt.num=1\n' + rule('r', 'proc.name = x', '  colour: red\n'));
  const codes = r.located.map((d) => d.code).sort();
  assert.deepEqual(codes, ['LOAD_NO_EVTTYPE', 'LOAD_UNKNOWN_KEY', 'LOAD_UNUSED_LIST', 'LOAD_UNUSED_MACRO']);
  assert.ok(r.ruleset);
  const quiet = load(rule('r', 'proc.name = x', '  warn_evttypes: false\n'));
  assert.deepEqual(quiet.located, []);
});

test('skip-if-unknown-filter turns unknown fields into a warning and drops the rule', () => {
  const r = load(rule('r', 'evt.type=open and proc.nope = 1', '  skip-if-unknown-filter: true\n') + rule('s', 'evt.type=open'));
  assert.deepEqual(r.located.map((d) => d.code), ['LOAD_UNKNOWN_FILTER']);
  assert.deepEqual(r.ruleset!.rules.map((x) => x.name), ['s']);
});

test('unknown output fields are LOAD_ERR_COMPILE_OUTPUT at the token', () => {
  const r = load('- rule: r\n  desc: d\n  condition: evt.type=open\n  output: "x %proc.nme y"\n  priority: info\n');
  const e = r.located[0]!;
  assert.equal(e.code, 'LOAD_ERR_COMPILE_OUTPUT');
  assert.deepEqual([e.line, e.col], [4, 14]);
});

test('later files override earlier ones; rule order is the order of first definition', () => {
  const r = load(rule('a', 'evt.type=open') + rule('b', 'evt.type=open'), rule('a', 'evt.type=open and proc.name=x'));
  assert.deepEqual(r.ruleset!.rules.map((x) => x.name), ['a', 'b']);
  const alerts = r.ruleset!.evaluate(stubContext({ 'evt.type': 'open', 'proc.name': 'x' }));
  assert.deepEqual(alerts.map((a) => a.rule), ['a', 'b']);
});

test('a file with an error stops the load; later files are not read', () => {
  const r = load('- rule: r\n  desc: d\n', rule('s', 'evt.type=open'));
  assert.equal(r.ruleset, undefined);
  assert.equal(r.located.length, 1);
  assert.equal(r.located[0]!.file, 'f0.yaml');
});

test('readRulesPaths: files, directories in name order, unreadable paths', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'd', 'b.yaml'), '- list: b\n  items: []\n');
  writeFileSync(join(dir, 'd', 'a.yml'), '- list: a\n  items: []\n');
  writeFileSync(join(dir, 'd', 'notes.txt'), 'x');
  writeFileSync(join(dir, 'z.yaml'), '- list: z\n  items: []\n');
  const r = await readRulesPaths([join(dir, 'z.yaml'), join(dir, 'd'), join(dir, 'missing.yaml')]);
  assert.deepEqual(r.sources.map((s) => s.name.slice(dir.length + 1)), ['z.yaml', 'd/a.yml', 'd/b.yaml']);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0]!.code, 'LOAD_ERR_FILE_READ');
  assert.match(r.diagnostics[0]!.message, /missing\.yaml/);
});

test('the benchmark stable-style rule set loads with the real engine, every rule typed', async () => {
  const { STABLE_STYLE_RULES, STABLE_STYLE_COUNTS } = await import('../../bench/falco/stable-style-rules.js');
  const r = loadFalcoRules([{ name: 'stable-style.yaml', text: STABLE_STYLE_RULES }]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map(locate), []);
  assert.deepEqual(r.counts, STABLE_STYLE_COUNTS);
  assert.ok(r.ruleset!.rules.every((rule) => rule.eventTypes !== 'all'));
});

test('an error inside generated condition text keeps its place in the condition as context', () => {
  const text = '- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [in]\n      values: [["(a"]]\n';
  const r = loadFalcoRules([{ name: 'x.yaml', text }], { backend: createStubBackend() });
  const e = r.diagnostics[0]!;
  assert.deepEqual([locate(e).line, locate(e).col], [10, 20]);
  assert.deepEqual(e.context?.at(-1), { label: 'condition 1:45' });
  assert.match(renderLoadReport({ files: ['x.yaml'], diagnostics: r.diagnostics, counts: r.counts }), /\n {4}\(in condition 1:45\)\n/);
});

test('every broken rule is reported in one load, and the set is refused', () => {
  const r = load(rule('one', 'evt.type = open and proc.nme = x'), rule('two', 'evt.type = open'), rule('three', 'evt.type = open and (proc.name = x'));
  const errors = r.located.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((e) => [e.file, e.item, e.line]), [['f0.yaml', "rule 'one'", 3], ['f2.yaml', "rule 'three'", 3]]);
  assert.equal(r.ruleset, undefined);
});
