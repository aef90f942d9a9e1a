import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegexSyntaxError, compileRE2, translateRE2 } from '../../../src/rego/builtins/re2.js';

describe('RE2 patterns on the linear-time engine', () => {
  it('translates RE2-only syntax', () => {
    assert.equal(translateRE2('(?P<x>a)').source, '(?<x>a)');
    assert.equal(translateRE2('a\\z').source, 'a$');
    assert.equal(translateRE2('(?i)ab').source, '[aA][bB]');
    assert.equal(translateRE2('a.b').source, 'a[^\\n]b');
    assert.equal(translateRE2('(?s)a.b').source, 'a[\\s\\S]b');
    assert.equal(translateRE2('[[:digit:]]').source, '[0-9]');
    assert.equal(translateRE2('(?m)^a').flags, 'm');
  });

  it('matches unanchored, like Go', () => {
    assert.equal(compileRE2('b+').test('abbbc'), true);
    assert.equal(compileRE2('^b').test('abc'), false);
  });

  it('rejects what RE2 does not have', () => {
    for (const p of ['(a)\\1', 'a(?=b)', 'a(?<=b)', '\\pL', '(', '[a', '(?m)\\Aa']) {
      assert.throws(() => compileRE2(p), RegexSyntaxError, p);
    }
  });

  it('a catastrophic pattern finishes (linear-engine fallback)', () => {
    assert.equal(compileRE2('^(a+)+$').test(`${'a'.repeat(5000)}b`), false);
    assert.equal(compileRE2('(x+x+)+y').test('x'.repeat(2000)), false);
  });
});
