import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cursor, LexError, unescapeQuoted } from '../../../src/falco/condition/lexer.js';

function quoted(text: string): string | undefined {
  return new Cursor(text).lexQuoted()?.value;
}

describe('quoted strings', () => {
  const cases: [string, string | undefined][] = [
    ['"abc"', 'abc'],
    ["'abc'", 'abc'],
    ['""', ''],
    ['"a b"rest', 'a b'],
    ['"a\\"b"', 'a"b'],
    ["'a\\'b'", "a'b"],
    ['"\\b\\f\\n\\r\\t\\\\\\/"', '\b\f\n\r\t\\/'],
    ['"\\x41\\x7e"', 'A~'],
    // A backslash before a space stays and the space goes.
    ['"a\\ b"', 'a\\b'],
    // A delimiter after a backslash never closes the string, even an escaped backslash.
    ['"a\\\\"', undefined],
    ['"a\\\\" x"', 'a\\" x'],
    ['"unterminated', undefined],
    ['x"no"', undefined],
  ];
  for (const [text, expected] of cases) {
    test(text, () => assert.equal(quoted(text), expected));
  }

  test('an escaped delimiter of the other kind is an error', () => {
    assert.throws(() => quoted("'a\\\"'"), (e: unknown) => e instanceof LexError && e.offset === 2);
    assert.throws(() => quoted('"a\\\'"'), LexError);
  });

  test('unknown escapes are errors at the backslash', () => {
    assert.throws(() => unescapeQuoted('xx\\q', 2, 4, '"'), (e: unknown) => e instanceof LexError && e.offset === 2 && /'\\q'/.test(e.message));
    assert.throws(() => unescapeQuoted('\\x4', 0, 3, '"'), LexError);
  });
});

describe('cursor', () => {
  test('blanks are space, tab, backspace, CR and LF', () => {
    const c = new Cursor(' \t\b\r\nx');
    assert.equal(c.lexBlank(), true);
    assert.equal(c.pos, 5);
    assert.equal(c.lexBlank(), false);
  });

  test('lexOneOf takes the first option in order and records the token', () => {
    const c = new Cursor('<=3');
    assert.equal(c.lexOneOf(['<=', '<']), '<=');
    assert.equal(c.last, '<=');
    assert.equal(c.lexOneOf(['<']), undefined);
    assert.equal(c.pos, 2);
  });
});
