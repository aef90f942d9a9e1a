import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceText, locate } from '../../../src/diagnostics/index.js';
import { Collector } from '../../../src/falco/loader/collect.js';
import { readRulesYaml } from '../../../src/falco/loader/read-yaml.js';

function collect(...files: string[]) {
  const c = new Collector({ isField: (f) => ['proc.name', 'fd.name', 'proc.pname'].includes(f) });
  const diagnostics = [];
  for (const [i, text] of files.entries()) {
    const r = readRulesYaml(new SourceText(`f${i}.yaml`, text));
    assert.equal(r.ok, true, JSON.stringify(r.diagnostics.map(locate)));
    diagnostics.push(...r.diagnostics);
    for (const item of r.items) diagnostics.push(...c.add(item));
  }
  return { c, diagnostics: diagnostics.map(locate) };
}

const RULE = (name: string, cond = 'evt.num=1', extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: WARNING\n${extra}`;

test('plain redefinition replaces in place and keeps the first position', () => {
  const { c } = collect(RULE('a') + RULE('b'), RULE('a', 'evt.num=2'));
  assert.deepEqual([...c.rules.keys()], ['a', 'b']);
  const a = c.rules.get('a')!;
  assert.equal(a.condition.text, 'evt.num=2');
  assert.ok(a.index < c.rules.get('b')!.index);
  assert.ok(a.visibility > c.rules.get('b')!.index);
});

test('append: true joins text with one space and warns that it is deprecated', () => {
  const { c, diagnostics } = collect(
    '- macro: m\n  condition: a or b\n- macro: m\n  condition: and c\n  append: true\n- list: l\n  items: [x]\n- list: l\n  items: [y]\n  append: true\n',
  );
  assert.equal(c.macros.get('m')!.condition.text, 'a or b and c');
  assert.deepEqual(c.lists.get('l')!.items.map((i) => i.text), ['x', 'y']);
  assert.equal(diagnostics.filter((d) => d.code === 'LOAD_DEPRECATED_ITEM').length, 2);
});

test('override append and replace per key', () => {
  const { c } = collect(
    RULE('r', 'evt.num=1', '  tags: [a, b]\n'),
    '- rule: r\n  condition: and proc.name=x\n  output: more\n  tags: [b, c]\n  priority: error\n  override:\n    condition: append\n    output: append\n    tags: append\n    priority: replace\n',
  );
  const r = c.rules.get('r')!;
  assert.equal(r.condition.text, 'evt.num=1 and proc.name=x');
  assert.equal(r.output.text, 'o more');
  assert.deepEqual(r.tags, ['a', 'b', 'c']);
  assert.equal(r.priority, 3);
});

test('enabled: replace and the deprecated enabled-only form', () => {
  const { c, diagnostics } = collect(RULE('r') + RULE('s'), '- rule: r\n  enabled: false\n  override:\n    enabled: replace\n- rule: s\n  enabled: false\n');
  assert.equal(c.rules.get('r')!.enabled, false);
  assert.equal(c.rules.get('s')!.enabled, false);
  assert.equal(diagnostics.filter((d) => d.code === 'LOAD_DEPRECATED_ITEM').length, 1);
});

test('errors: append/override to missing items, enabled of a missing rule, different source', () => {
  const cases: [string[], RegExp][] = [
    [['- list: l\n  items: [a]\n  append: true\n'], /List uses 'append' or 'override.items: append' but no list by that name already exists/],
    [['- macro: m\n  condition: x\n  override:\n    condition: append\n'], /Macro uses 'append'/],
    [['- rule: r\n  condition: x\n  append: true\n'], /Rule uses 'append'/],
    [['- rule: r\n  priority: info\n  override:\n    priority: replace\n'], /An 'override.priority: replace' to a rule was requested but no rule by that name already exists/],
    [['- rule: r\n  enabled: true\n'], /Rule has 'enabled' key but no rule by that name already exists/],
    [[RULE('r'), RULE('r', 'evt.num=1', '  source: k8s_audit\n')], /Unknown source k8s_audit/],
  ];
  for (const [files, re] of cases) {
    const { diagnostics } = collect(...files);
    assert.ok(diagnostics.some((d) => re.test(d.message)), `${re}: ${JSON.stringify(diagnostics)}`);
  }
});

test('a rule redefined with a different known source is an error', () => {
  const c = new Collector({ sources: ['syscall', 'k8s_audit'] });
  const items = readRulesYaml(new SourceText('a.yaml', RULE('r') + RULE('r', 'x', '  source: k8s_audit\n'))).items;
  const d = items.flatMap((i) => c.add(i));
  assert.equal(d[0]!.message, 'Rule has been re-defined with a different source');
  assert.equal(locate(d[0]!).line, 11);
});

test('exceptions: merging values into an existing exception and adding new ones', () => {
  const { c, diagnostics } = collect(
    RULE('r', 'evt.num=1', '  exceptions:\n    - name: e1\n      fields: [proc.name, fd.name]\n      values: [[a, /x]]\n'),
    '- rule: r\n  exceptions:\n    - name: e1\n      values: [[b, /y]]\n    - name: e2\n      fields: proc.pname\n      values: [sshd]\n  override:\n    exceptions: append\n',
  );
  assert.deepEqual(diagnostics, []);
  const ex = c.rules.get('r')!.exceptions;
  assert.deepEqual(ex.map((e) => [e.name.text, e.values.length]), [['e1', 2], ['e2', 1]]);
});

test('exception validation errors', () => {
  const cases: [string, RegExp][] = [
    ['    - name: e\n      fields: [proc.name, fd.name]\n      comps: [=]\n      values: [[a, b]]\n', /fields and comps lists must have equal length/],
    ['    - name: e\n      fields: [proc.name]\n      comps: [like]\n      values: [[a]]\n', /'like' is not a valid comparison operator/],
    ['    - name: e\n      fields: [proc.nam]\n      values: [[a]]\n', /'proc.nam' is not a supported filter field/],
    ['    - name: e\n      fields: [proc.name, fd.name]\n      values: [[a]]\n', /fields and values lists must have equal length/],
    ['    - name: e\n      values: [[a]]\n', /must have fields property/],
  ];
  for (const [ex, re] of cases) {
    const { diagnostics } = collect(RULE('r', 'evt.num=1', `  exceptions:\n${ex}`));
    assert.ok(diagnostics.some((d) => d.code === 'LOAD_ERR_VALIDATE' && re.test(d.message)), `${re}: ${JSON.stringify(diagnostics)}`);
  }
  const dup = collect(RULE('r', 'evt.num=1', '  exceptions:\n    - name: e\n      fields: proc.name\n    - name: e\n      fields: fd.name\n'));
  assert.ok(dup.diagnostics.some((d) => d.code === 'LOAD_EXCEPTION_NAME_NOT_UNIQUE'));
});
