import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { regexMatcher, simplerOperatorFor } from '../../../src/falco/operators/regex.js';

describe('regex', () => {
  const cases: [string, string, boolean][] = [
    ['ba.*', 'bash', true],
    ['ba', 'bash', false], // full match, not a search
    ['.*sh', 'bash', true],
    ['[a-z]+[0-9]{2}', 'abc12', true],
    ['[a-z]+[0-9]{2}', 'abc123', false],
    ['a|b', 'b', true],
    ['a|b', 'ab', false], // anchoring applies to the whole alternation
    ['(?:x)?y', 'y', true],
  ];
  for (const [pattern, value, expected] of cases) {
    test(`${JSON.stringify(value)} regex ${JSON.stringify(pattern)}`, () => {
      const m = regexMatcher(pattern);
      assert.ok(typeof m === 'function');
      assert.equal(m(value), expected);
    });
  }

  test('invalid and non-linear patterns are compile errors', () => {
    assert.match(regexMatcher('a(') as string, /^invalid regular expression 'a\(': /);
    assert.match(regexMatcher('(a)\\1') as string, /linear/);
    assert.match(regexMatcher('(?=a)a') as string, /linear/);
  });

  test('catastrophic patterns run in linear time', () => {
    const m = regexMatcher('(a+)+b');
    assert.ok(typeof m === 'function');
    assert.equal(m('a'.repeat(50000)), false);
  });

  test('hints for patterns that are plain operators', () => {
    assert.equal(simplerOperatorFor('bash'), '=');
    assert.equal(simplerOperatorFor('ba.*'), 'startswith');
    assert.equal(simplerOperatorFor('.*sh'), 'endswith');
    assert.equal(simplerOperatorFor('.*as.*'), 'contains');
    assert.equal(simplerOperatorFor('b.sh'), undefined);
    assert.equal(simplerOperatorFor('.*'), undefined);
    assert.equal(simplerOperatorFor(''), undefined);
  });
});
