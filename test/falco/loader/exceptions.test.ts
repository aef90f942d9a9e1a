import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceText } from '../../../src/diagnostics/index.js';
import { buildConditionWithExceptions } from '../../../src/falco/loader/exceptions.js';
import type { RuleItem } from '../../../src/falco/loader/items.js';
import { mappedFromNode } from '../../../src/falco/loader/positions.js';
import { readRulesYaml } from '../../../src/falco/loader/read-yaml.js';

function rewrite(exceptions: string): string {
  const r = readRulesYaml(new SourceText('t.yaml', `- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n  exceptions:\n${exceptions}`));
  const rule = r.items[0] as RuleItem;
  return buildConditionWithExceptions(mappedFromNode(rule.condition!), rule.exceptions!).text;
}

test('list form: tuples joined with or, fields with and, default comp =', () => {
  assert.equal(
    rewrite('    - name: e\n      fields: [proc.name, fd.name]\n      values:\n        - [nginx, /usr/bin/nginx]\n        - [a b, /x]\n'),
    '(evt.type=open) and not (( proc.name = nginx and  fd.name = /usr/bin/nginx) or ( proc.name = "a b" and  fd.name = /x))',
  );
});

test('list form: nested lists and list operators', () => {
  assert.equal(
    rewrite('    - name: e\n      fields: [proc.name, fd.name]\n      comps: [in, pmatch]\n      values:\n        - [[a, b c], my_list]\n'),
    '(evt.type=open) and not (( proc.name in (a, "b c") and  fd.name pmatch (my_list)))',
  );
});

test('scalar form: default comp in, values quoted when they hold spaces', () => {
  assert.equal(rewrite('    - name: e\n      fields: proc.name\n      values: [a, "b c"]\n'), '(evt.type=open) and not (proc.name in (a, "b c"))');
});

test('exceptions without values add nothing', () => {
  assert.equal(rewrite('    - name: e\n      fields: proc.name\n'), 'evt.type=open');
});
