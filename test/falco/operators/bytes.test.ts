import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Operator } from '../../../src/falco/condition/ast.js';
import { bytesMatcher, indexOfBytes, parseHex } from '../../../src/falco/operators/bytes.js';

const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02]);

describe('byte operators', () => {
  const cases: [Operator, string, Uint8Array, boolean][] = [
    ['bcontains', '454c46', elf, true],
    ['bcontains', '454C46', elf, true],
    ['bcontains', '4546', elf, false],
    ['bcontains', '', elf, true],
    ['bstartswith', '7f45', elf, true],
    ['bstartswith', '45', elf, false],
    ['bstartswith', '7f454c460203', elf, false],
    ['contains', 'ELF', elf, true],
    ['startswith', 'E', elf, false],
    ['endswith', 'F\u0002', elf, true],
    ['=', 'ab', new Uint8Array([0x61, 0x62]), true],
    ['=', 'ab', new Uint8Array([0x61]), false],
    ['!=', 'ab', new Uint8Array([0x61]), true],
  ];
  for (const [op, rhs, value, expected] of cases) {
    test(`${op} ${JSON.stringify(rhs)}`, () => {
      const m = bytesMatcher(op, rhs);
      assert.ok(typeof m === 'function');
      assert.equal(m(value), expected);
    });
  }

  test('bcontains needs hex', () => {
    assert.equal(bytesMatcher('bcontains', 'xyz'), 'xyz is not a valid hex string');
    assert.equal(bytesMatcher('bstartswith', 'abc'), 'abc is not a valid hex string');
    assert.deepEqual([...(parseHex('00ff') as Uint8Array)], [0, 255]);
  });

  test('indexOfBytes', () => {
    assert.equal(indexOfBytes(elf, new Uint8Array([0x4c])), 2);
    assert.equal(indexOfBytes(new Uint8Array(), new Uint8Array([1])), -1);
  });
});
