import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LexError, tokenize } from '../../src/rego/lexer.js';

const kinds = (text: string): string[] => tokenize(text).map((t) => `${t.kind}:${t.text}`);

describe('rego lexer', () => {
  it('splits identifiers, punctuators (longest first), numbers and strings', () => {
    assert.deepEqual(kinds('x := a.b[0] != "s"'), ['ident:x', 'punct::=', 'ident:a', 'punct:.', 'ident:b', 'punct:[', 'number:0', 'punct:]', 'punct:!=', 'string:s', 'eof:']);
  });

  it('decodes JSON escapes but keeps raw strings as written', () => {
    const [a, b] = tokenize('"a\\n\\u00e9" `a\\d`');
    assert.equal(a!.text, 'a\né');
    assert.equal(b!.text, 'a\\d');
  });

  it('numbers with fraction and exponent', () => {
    assert.deepEqual(kinds('4026532486 1.5 2e3'), ['number:4026532486', 'number:1.5', 'number:2e3', 'eof:']);
  });

  it('marks tokens that follow a line break and skips comments', () => {
    const toks = tokenize('a # comment\nb c');
    assert.deepEqual(toks.map((t) => [t.text, t.newlineBefore]), [['a', false], ['b', true], ['c', false], ['', true]]);
  });

  it('records offsets', () => {
    const [, b] = tokenize('ab  cd');
    assert.deepEqual([b!.start, b!.end], [4, 6]);
  });

  it('rejects unterminated strings and illegal characters with their offset', () => {
    assert.throws(() => tokenize('x := "abc'), (e: unknown) => e instanceof LexError && e.offset === 5);
    assert.throws(() => tokenize('x ^ y'), (e: unknown) => e instanceof LexError && e.offset === 2);
    assert.throws(() => tokenize('`open'), (e: unknown) => e instanceof LexError && e.offset === 0);
  });
});
