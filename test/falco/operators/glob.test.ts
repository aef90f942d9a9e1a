import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dynamicGlob, globMatcher } from '../../../src/falco/operators/glob.js';

const cases: [string, string, boolean, boolean?][] = [
  ['/usr/bin/*', '/usr/bin/bash', true],
  ['/usr/bin/*', '/usr/bin/x/y', true], // no FNM_PATHNAME: * crosses '/'
  ['/usr/bin/*', '/usr/lib/x', false],
  ['*', '', true],
  ['*', '.hidden', true], // no FNM_PERIOD
  ['?', 'a', true],
  ['?', '/', true],
  ['?', 'ab', false],
  ['a?c', 'abc', true],
  ['[abc]x', 'bx', true],
  ['[abc]x', 'dx', false],
  ['[!abc]x', 'dx', true],
  ['[^abc]x', 'ax', false],
  ['[a-c]', 'b', true],
  ['[a-c]', 'B', false],
  ['[]a]', ']', true],
  ['[[:digit:]]*', '7up', true],
  ['[[:digit:]]*', 'up', false],
  ['\\*', '*', true],
  ['\\*', 'x', false],
  ['a[', 'a[', true], // unterminated class is a literal
  ['runc:[0:PARENT]', 'runc:0', true],
  ['*.(sh)', 'x.(sh)', true],
  ['a.b', 'aXb', false],
  ['*SH', 'bash', false],
  ['*SH', 'bash', true, true],
  ['[A-C]x', 'bX', true, true],
  ['[!a]', 'A', false, true],
  ['[a-]', '-', true],
  ['[\\]]', ']', true],
  ['[[:upper:]]', 'q', true, true],
  ['', '', true],
  ['', 'x', false],
];

describe('glob / iglob', () => {
  for (const [pattern, value, expected, insensitive] of cases) {
    test(`${JSON.stringify(value)} ${insensitive ? 'iglob' : 'glob'} ${JSON.stringify(pattern)}`, () => {
      assert.equal(globMatcher(pattern, insensitive === true)(value), expected);
    });
  }

  test('glob with a pattern known only per event', () => {
    const g = dynamicGlob(false);
    assert.equal(g('/tmp/x', '/tmp/*'), true);
    assert.equal(g('/etc/x', '/tmp/*'), false);
    assert.equal(g('/etc/x', '/etc/?'), true);
  });

  test('pathological patterns stay linear', () => {
    const m = globMatcher(`${'*a'.repeat(20)}b`, false);
    assert.equal(m('a'.repeat(5000)), false);
  });

  test('a star retries further on after a later mismatch', () => {
    assert.equal(globMatcher('*ab*ab', false)('xabyabzab'), true);
    assert.equal(globMatcher('*ab*ab', false)('xabyabza'), false);
    assert.equal(globMatcher('a*', false)('a'), true);
    assert.equal(globMatcher('**a**', false)('bab'), true);
    assert.equal(globMatcher('a*b?', false)('aXXbY'), true);
  });
});
