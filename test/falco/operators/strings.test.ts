import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Operator } from '../../../src/falco/condition/ast.js';
import { includesIgnoringAsciiCase, stringComparator, stringMatcher, stringSetMatcher } from '../../../src/falco/operators/strings.js';

const cases: [Operator, string, string, boolean][] = [
  ['=', 'bash', 'bash', true],
  ['=', 'Bash', 'bash', false],
  ['==', 'bash', 'bash', true],
  ['!=', 'sh', 'bash', true],
  ['!=', 'bash', 'bash', false],
  ['contains', 'bash -c x', '-c', true],
  ['contains', 'bash', 'C', false],
  ['contains', 'anything', '', true],
  ['icontains', 'NetCat', 'netc', true],
  ['icontains', 'nEtCaT', 'ETCA', true],
  ['icontains', 'net.cat', 'n.t', false], // the needle is literal, not a pattern
  ['icontains', 'net.cat', 't.c', true],
  ['icontains', 'nc', 'netcat', false],
  ['startswith', '/usr/bin/x', '/usr', true],
  ['startswith', '/usr/bin/x', '/bin', false],
  ['startswith', 'x', '', true],
  ['endswith', 'a.sh', '.sh', true],
  ['endswith', 'a.sh', '.SH', false],
  ['endswith', 'x', '', true],
  ['<', 'abc', 'abd', true],
  ['<', 'b', 'abd', false],
  ['<=', 'abc', 'abc', true],
  ['>', '10', '9', false], // strcmp order, not numeric
  ['>=', 'b', 'a', true],
];

describe('string operators', () => {
  for (const [op, value, rhs, expected] of cases) {
    test(`${JSON.stringify(value)} ${op} ${JSON.stringify(rhs)}`, () => {
      assert.equal(stringMatcher(op, rhs)!(value), expected);
      assert.equal(stringComparator(op)!(value, rhs), expected);
    });
  }

  test('set membership is exact', () => {
    const m = stringSetMatcher(['bash', 'sh', 'zsh']);
    assert.equal(m('sh'), true);
    assert.equal(m('SH'), false);
    assert.equal(m('bas'), false);
    assert.equal(stringSetMatcher(['one'])('one'), true);
    assert.equal(stringSetMatcher([])('x'), false);
  });

  test('icontains folds ASCII only', () => {
    assert.equal(includesIgnoringAsciiCase('ÉCOLE', 'école'), false);
    assert.equal(includesIgnoringAsciiCase('xBASE64y', 'base64'), true);
    assert.equal(includesIgnoringAsciiCase('', ''), true);
    assert.equal(includesIgnoringAsciiCase('ab', 'abc'), false);
  });

  test('operators outside the family have no string matcher', () => {
    assert.equal(stringMatcher('pmatch', 'x'), undefined);
  });
});
