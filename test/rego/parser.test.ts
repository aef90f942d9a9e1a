import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceText } from '../../src/diagnostics/index.js';
import type { Module, Rule } from '../../src/rego/ast.js';
import { ParseError, parseModule } from '../../src/rego/parser.js';

const parse = (text: string): Module => parseModule(new SourceText('m.rego', text));
const rule = (text: string, i = 0): Rule => parse(`package p\n${text}`).rules[i]!;

/** acorn's testFail: the message and the exact line:col. */
function testFail(text: string, message: RegExp, at: string): void {
  const src = new SourceText('m.rego', text);
  assert.throws(() => parseModule(src), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.match(e.message, message);
    const p = src.position(e.offset);
    assert.equal(`${p.line}:${p.col}`, at, e.message);
    return true;
  });
}

describe('rego parser', () => {
  it('package, imports and aliases', () => {
    const m = parse('package tracee.TRC_2\nimport data.tracee.helpers\nimport data.x.y as z\nimport future.keywords.in\n');
    assert.deepEqual(m.pkg, ['tracee', 'TRC_2']);
    assert.deepEqual(m.imports.map((i) => [i.path.join('.'), i.alias]), [['data.tracee.helpers', null], ['data.x.y', 'z'], ['future.keywords.in', null]]);
  });

  it('rule kinds in v0 and v1 syntax', () => {
    const cases: [string, Rule['kind']][] = [
      ['p := 1', 'complete'],
      ['p { true }', 'complete'],
      ['p = x { x := 1 }', 'complete'],
      ['p if { true }', 'complete'],
      ['p if true', 'complete'],
      ['p[x] { x := 1 }', 'partialSet'],
      ['p contains x if { x := 1 }', 'partialSet'],
      ['p[k] = v { k := 1; v := 2 }', 'partialObject'],
      ['f(x) = y { y := x }', 'function'],
      ['f(x) { x }', 'function'],
    ];
    for (const [text, kind] of cases) assert.equal(rule(text).kind, kind, text);
  });

  it('default rules and functions, else chains', () => {
    const d = rule('default f(_) := false');
    assert.equal(d.isDefault, true);
    assert.equal(d.kind, 'function');
    const e = rule('p := 1 { false } else := 2 { false } else := 3');
    assert.equal(e.elses.length, 2);
    assert.equal(e.elses[1]!.body.length, 0);
  });

  it('body literals: not, some, some-in, every, with, assignment vs unification', () => {
    const r = rule('p {\n  not q\n  some x\n  some k, v in input.a\n  every y in [1] { y > 0 }\n  q with input as {} with data.a as 1\n  a := 1\n  b = 2\n}');
    assert.deepEqual(r.body.map((l) => [l.negated, l.expr.kind, l.withs.length]), [
      [true, 'term', 0], [false, 'some', 0], [false, 'someIn', 0], [false, 'every', 0], [false, 'term', 2], [false, 'assign', 0], [false, 'assign', 0],
    ]);
  });

  it('operator precedence: * before +, + before comparisons, comparisons before in', () => {
    const r = rule('p { 1 + 2 * 3 == 7 }');
    const e = r.body[0]!.expr;
    assert.ok(e.kind === 'term' && e.term.kind === 'binary' && e.term.op === '==');
    assert.ok(e.term.left.kind === 'binary' && e.term.left.op === '+' && e.term.left.right.kind === 'binary');
  });

  it('comprehensions, sets, objects, empty set and trailing commas', () => {
    const kinds = (text: string): string => {
      const v = rule(`p := ${text}`).value!;
      return v.kind;
    };
    assert.equal(kinds('[x | x := 1]'), 'arrayCompr');
    assert.equal(kinds('{x | x := 1}'), 'setCompr');
    assert.equal(kinds('{k: v | k := 1; v := 2}'), 'objectCompr');
    assert.equal(kinds('{1, 2,}'), 'set');
    assert.equal(kinds('{"a": 1,}'), 'object');
    assert.equal(kinds('{}'), 'object');
    assert.equal(kinds('set()'), 'set');
    assert.equal(kinds('[1, 2,]'), 'array');
  });

  it('dotted calls and refs: helpers.f(x) is a call, a.b[c] is a ref', () => {
    const r = rule('p { helpers.f(input.args[_].name) }');
    const e = r.body[0]!.expr;
    assert.ok(e.kind === 'term' && e.term.kind === 'call');
    assert.deepEqual(e.term.name, ['helpers', 'f']);
    assert.equal(e.term.args[0]!.kind, 'ref');
  });

  it('each _ is a distinct variable', () => {
    const r = rule('p { a[_] == b[_] }');
    const names: string[] = [];
    JSON.stringify(r, (k, v: unknown) => (k === 'name' && typeof v === 'string' && v.startsWith('_$') && names.push(v), v));
    assert.equal(new Set(names).size, 2);
  });

  it('accepted modules still parse with tabs, CRLF and extra blank lines', () => {
    const text = 'package p\nimport data.q\n\np[x] {\n  x := input.a[_]\n  x > 1\n}\nf(a) = b { b := a }\n';
    const base = JSON.stringify(parse(text).rules.map((r) => [r.name, r.kind, r.body.length]));
    for (const variant of [text.replace(/ {2}/g, '\t'), text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\n\n')]) {
      assert.equal(JSON.stringify(parse(variant).rules.map((r) => [r.name, r.kind, r.body.length])), base);
    }
  });

  it('rejects bad input at the exact line:col', () => {
    testFail('p { true }', /expected package/, '1:1');
    testFail('package p\np { x := }', /unexpected '}'/, '2:10');
    testFail('package p\np { a b }', /unexpected 'b'/, '2:7');
    testFail('package p\np := [1, 2', /unexpected end of file/, '2:11');
    testFail('package p\nimport data.x\np := 1\nimport data.y', /imports must come before rules/, '4:1');
    testFail('package p\npackage q', /only one package/, '2:1');
    testFail('package p\np { }', /empty body/, '2:5');
    testFail('package p\ndefault p', /default rules must have a value/, '2:1');
    testFail('package p\np := -x', /expected a number/, '2:7');
    testFail('package p\nx := "a\\qb"', /invalid string escape/, '2:6');
  });
});
