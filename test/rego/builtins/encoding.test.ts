import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENCODING } from '../../../src/rego/builtins/encoding.js';

const decode = ENCODING['base64.decode']!;
const STD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What the decoder must give: Go's padded standard alphabet, bytes read as UTF-8 with U+FFFD for bad sequences. */
const reference = (s: string): string | undefined => (STD.test(s) ? Buffer.from(s, 'base64').toString('utf8') : undefined);

describe('base64.decode', () => {
  it('decodes padded standard base64 of any bytes, ASCII or not, short or long', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let k = 0; k < 2000; k++) {
      const bytes = Buffer.from(Array.from({ length: rand(k < 1900 ? 40 : 800) }, () => rand(k % 2 ? 128 : 256)));
      const text = bytes.toString('base64');
      assert.equal(decode(text), reference(text), text);
    }
    assert.equal(decode(''), '');
    assert.equal(decode(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]).toString('base64')), '\x7fELF\x02\x01');
    assert.equal(decode(Buffer.from([0xff, 0xc3, 0xa9]).toString('base64')), '\ufffdé');
  });

  it('rejects what Go rejects: bad characters, missing or misplaced padding', () => {
    for (const bad of ['a', 'ab', 'abc', 'ab=', 'a===', '=abc', 'ab=c', 'ab==abcd', 'ab c', 'ab\ncd==', 'é===', 'YWJj$A==', 'YQ=\u0100']) {
      assert.equal(decode(bad), undefined, JSON.stringify(bad));
      assert.equal(reference(bad), undefined, JSON.stringify(bad));
    }
    assert.equal(decode('A'.repeat(1001) + '==='), undefined);
    assert.equal(decode(42), undefined);
  });
});
