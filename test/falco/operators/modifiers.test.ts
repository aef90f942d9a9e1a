import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { modifierMatcher } from '../../../src/falco/operators/modifiers.js';
import { stringMatcher } from '../../../src/falco/operators/strings.js';

describe('oneof / anyof / allof', () => {
  const contains = (...needles: string[]) => needles.map((n) => stringMatcher('contains', n)!);
  const cases: ['oneof' | 'anyof' | 'allof', string[], string, boolean][] = [
    ['anyof', ['a', 'b'], 'xa', true],
    ['anyof', ['a', 'b'], 'xy', false],
    ['anyof', [], 'x', false],
    ['allof', ['a', 'b'], 'ab', true],
    ['allof', ['a', 'b'], 'a', false],
    ['allof', [], 'x', true],
    ['oneof', ['a', 'b'], 'a', true],
    ['oneof', ['a', 'b'], 'ab', false],
    ['oneof', ['a', 'b'], 'x', false],
  ];
  for (const [modifier, needles, value, expected] of cases) {
    test(`${JSON.stringify(value)} contains ${modifier} (${needles.join(', ')})`, () => {
      assert.equal(modifierMatcher(modifier, contains(...needles))(value), expected);
    });
  }
});
