import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { locate } from '../../../src/diagnostics/index.js';
import type { Expr, MacroRef } from '../../../src/falco/condition/ast.js';
import { standaloneLocation } from '../../../src/falco/condition/location.js';
import { parseCondition } from '../../../src/falco/condition/parser.js';
import { createMacroResolver, macroTable, type MacroDef, type MacroTable } from '../../../src/falco/passes/resolve-macros.js';

function def(name: string, text: string): MacroDef {
  const location = standaloneLocation(text, `macro:${name}`);
  return { name, ast: parseCondition(text, location).ast!, location };
}

function resolve(text: string, table: MacroTable, caller?: string) {
  const location = standaloneLocation(text, 'rule');
  return createMacroResolver(table).resolve(parseCondition(text, location).ast!, caller, location);
}

/** Expand macro references back into text, to check the tree's meaning. */
function flatten(e: Expr): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.items.map(flatten).join(` ${e.kind} `)})`;
    case 'not':
      return `not ${flatten(e.expr)}`;
    case 'macro':
      return e.body ? `{${e.name}: ${flatten(e.body)}}` : `?${e.name}`;
    case 'check':
      return `${e.left.kind === 'field' ? e.left.name : 'T'} ${e.op}${e.value?.kind === 'string' ? ` ${e.value.value}` : ''}`;
  }
}

describe('resolveMacros', () => {
  const table = macroTable([
    def('open_write', 'evt.type in (open, openat) and evt.is_open_write = true'),
    def('etc_dir', 'fd.name startswith /etc'),
    def('write_etc', 'open_write and etc_dir'),
    def('ab', 'proc.name = a or proc.name = b'),
  ]);

  test('expands nested macros and keeps them as nodes', () => {
    const r = resolve('write_etc and not proc.name = x', table);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(
      flatten(r.expr!),
      '({write_etc: ({open_write: (evt.type in and evt.is_open_write = true)} and {etc_dir: fd.name startswith /etc})} and not proc.name = x)',
    );
    assert.deepEqual([...r.used].sort(), ['etc_dir', 'open_write', 'write_etc']);
  });

  test('a macro body keeps its own grouping: `ab and c` is (a or b) and c', () => {
    const r = resolve('ab and proc.pname = c', table);
    assert.equal(flatten(r.expr!), '({ab: (proc.name = a or proc.name = b)} and proc.pname = c)');
  });

  test('every use of a macro shares one expanded body, across calls of one resolver', () => {
    const resolver = createMacroResolver(table);
    const loc = standaloneLocation('x');
    const one = resolver.resolve(parseCondition('open_write').ast!, undefined, loc).expr as MacroRef;
    const two = resolver.resolve(parseCondition('write_etc').ast!, undefined, loc).expr as MacroRef;
    const inner = (two.body as { items: MacroRef[] }).items[0]!;
    assert.equal(inner.body, one.body);
  });

  test('the expanded body remembers where it came from', () => {
    const r = resolve('etc_dir', table);
    assert.equal((r.expr as MacroRef).location?.source.name, 'macro:etc_dir');
  });

  test('undefined macro: LOAD_ERR_VALIDATE at the identifier', () => {
    const r = resolve('proc.name = x and\n  nosuch', table);
    assert.equal(r.expr, undefined);
    const d = r.diagnostics[0]!;
    assert.equal(d.code, 'LOAD_ERR_VALIDATE');
    assert.equal(d.message, "Undefined macro 'nosuch' used in filter.");
    assert.deepEqual([locate(d).line, locate(d).col, locate(d).endCol], [2, 3, 9]);
  });

  test('only the first undefined macro is reported', () => {
    const r = resolve('first_missing or second_missing', table);
    assert.equal(r.diagnostics.length, 1);
    assert.match(r.diagnostics[0]!.message, /first_missing/);
  });

  test('an undefined macro inside a macro points into that macro', () => {
    const t = macroTable([def('outer', 'proc.name = a and missing_inner')]);
    const r = resolve('outer', t);
    const d = r.diagnostics[0]!;
    assert.equal(d.message, "Undefined macro 'missing_inner' used in filter.");
    assert.equal(d.span?.source.name, 'macro:outer');
    assert.equal(locate(d).col, 19);
  });

  test('reference loops are errors', () => {
    const t = macroTable([def('m1', 'm2 or proc.name = a'), def('m2', 'proc.name = b and m1'), def('self', 'self')]);
    const r = resolve('m1', t);
    assert.equal(r.diagnostics[0]?.message, "reference loop in macro 'm1'");
    assert.equal(r.diagnostics[0]?.code, 'LOAD_ERR_VALIDATE');
    assert.equal(resolve('self', t, 'self').diagnostics[0]?.message, "reference loop in macro 'self'");
  });

  test('visibility is decided per caller by the table', () => {
    // `late` is only visible to rules (caller undefined), not to macro `early`.
    const defs = new Map([
      ['early', def('early', 'late')],
      ['late', def('late', 'proc.name = x')],
    ]);
    const t: MacroTable = {
      lookup: (name, caller) => (caller === 'early' && name === 'late' ? undefined : defs.get(name)),
    };
    assert.equal(resolve('late', t).diagnostics.length, 0);
    assert.equal(resolve('early', t).diagnostics[0]?.message, "Undefined macro 'late' used in filter.");
  });
});
