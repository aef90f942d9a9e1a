import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceText } from '../../../src/diagnostics/index.js';
import { readRulesYaml } from '../../../src/falco/loader/read-yaml.js';
import type { MacroItem } from '../../../src/falco/loader/items.js';
import { MappedTextBuilder, fileOffset, mappedFromNode, spanOf } from '../../../src/falco/loader/positions.js';

/** Reads a macro and returns [line, col] in the file of the first occurrence of `needle` in its condition. */
function whereIs(yaml: string, needle: string): [number, number] {
  const source = new SourceText('t.yaml', yaml);
  const r = readRulesYaml(source);
  const cond = (r.items[0] as MacroItem).condition!;
  const i = cond.text.indexOf(needle);
  assert.ok(i >= 0, `${needle} not in ${JSON.stringify(cond.text)}`);
  const p = source.position(fileOffset(cond, i));
  return [p.line, p.col];
}

test('plain scalars on one line', () => {
  assert.deepEqual(whereIs('- macro: m\n  condition: evt.type = open and bad(\n', 'bad'), [2, 34]);
});

test('plain scalars spread over lines', () => {
  assert.deepEqual(whereIs('- macro: m\n  condition: evt.type = open\n    and bad(\n', 'bad'), [3, 9]);
});

test('double-quoted scalars with escapes', () => {
  assert.deepEqual(whereIs('- macro: m\n  condition: "proc.name = \\"x y\\" and bad"\n', 'bad'), [2, 39]);
});

test('single-quoted scalars with doubled quotes', () => {
  assert.deepEqual(whereIs("- macro: m\n  condition: 'proc.name = ''x'' and bad'\n", 'bad'), [2, 37]);
});

test('literal block scalars', () => {
  assert.deepEqual(whereIs('- macro: m\n  condition: |\n    evt.type = open\n      and bad\n', 'bad'), [4, 11]);
});

test('folded block scalars', () => {
  assert.deepEqual(whereIs('- macro: m\n  condition: >-\n    evt.type = open\n    and\n    bad\n', 'bad'), [5, 5]);
});

test('mapped texts from several pieces point into each piece', () => {
  const yaml = '- macro: m\n  condition: aaa\n- macro: m\n  condition: or bbb\n  append: true\n';
  const source = new SourceText('t.yaml', yaml);
  const r = readRulesYaml(source);
  const [a, b] = r.items as MacroItem[];
  const m = new MappedTextBuilder(a!.span).literal('(').mapped(mappedFromNode(a!.condition!)).literal(') ').node(b!.condition!).build();
  assert.equal(m.text, '(aaa) or bbb');
  const at = (i: number) => { const p = source.position(spanOf(m, i).start); return [p.line, p.col]; };
  assert.deepEqual(at(m.text.indexOf('aaa')), [2, 14]);
  assert.deepEqual(at(m.text.indexOf('bbb')), [4, 17]);
});
