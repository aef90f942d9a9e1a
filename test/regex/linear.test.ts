import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeRegExp, linearRegExp, tryFullMatchRegExp, tryLinearRegExp } from '../../src/regex/linear.js';

describe('linear regexes', () => {
  test('compile with the linear engine', () => {
    assert.ok(linearRegExp('a+b').flags.includes('l'));
    assert.equal(linearRegExp('a+b').test('xaab'), true);
  });

  test('refuse what needs backtracking, with the engine`s reason', () => {
    assert.equal(tryLinearRegExp('(a)\\1'), 'Cannot be executed in linear time');
    assert.equal(tryLinearRegExp('a(?=b)'), 'Cannot be executed in linear time');
    assert.equal(tryLinearRegExp('a('), 'Unterminated group');
  });

  test('full match anchors the whole pattern', () => {
    const re = tryFullMatchRegExp('a|bc');
    assert.ok(re instanceof RegExp);
    assert.equal(re.test('a'), true);
    assert.equal(re.test('bc'), true);
    assert.equal(re.test('abc'), false);
  });

  test('no catastrophic backtracking', () => {
    const re = linearRegExp('^(a+)+$');
    assert.equal(re.test(`${'a'.repeat(100000)}!`), false);
  });

  test('escapeRegExp makes text match itself', () => {
    const text = 'a.b*c?(d)[e]{f}|g^h$i\\j/k-l';
    assert.equal(linearRegExp(`^${escapeRegExp(text)}$`).test(text), true);
  });
});
