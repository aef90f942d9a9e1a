import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Operator } from '../../../src/falco/condition/ast.js';
import type { FieldType } from '../../../src/falco/fields/field.js';
import { numericComparator, numericMatcher, numericSetMatcher, parseBool, parseNumber } from '../../../src/falco/operators/numeric.js';

describe('parseNumber', () => {
  const cases: [FieldType, string, number | bigint | string][] = [
    ['int64', '42', 42],
    ['int64', '-1', -1],
    ['int64', '+7', 7],
    ['int64', '0x1f', 31],
    ['int64', '1.5', '1.5 is not a valid number'],
    ['int64', '12abc', '12abc is not a valid number'],
    ['int64', '', ' is not a valid number'],
    ['uint32', '-1', '-1 is not a valid number'],
    ['uint32', '4294967295', 4294967295],
    ['port', 'ssh', 22],
    ['port', 'https', 443],
    ['port', '8080', 8080],
    ['port', 'nosuch', 'nosuch is not a valid number'],
    ['int64', 'ssh', 'ssh is not a valid number'],
    ['abstime', '1700000000000000001', 1700000000000000001n],
    ['double', '1.5', 1.5],
    ['double', 'x', 'x is not a valid number'],
  ];
  for (const [type, text, expected] of cases) {
    test(`${type} ${JSON.stringify(text)}`, () => assert.equal(parseNumber(type, text), expected));
  }
});

describe('numeric operators', () => {
  const cases: [Operator, number | bigint, number | bigint, boolean][] = [
    ['=', 3, 3, true],
    ['=', 3, 4, false],
    ['=', 5n, 5, true],
    ['!=', 3, 4, true],
    ['!=', 5n, 5, false],
    ['<', 3, 4, true],
    ['<', 4, 4, false],
    ['<=', 4, 4, true],
    ['>', 5n, 4, true],
    ['>=', -1, 0, false],
  ];
  for (const [op, value, rhs, expected] of cases) {
    test(`${value} ${op} ${rhs}`, () => {
      assert.equal(numericMatcher(op, rhs)!(value), expected);
      assert.equal(numericComparator(op)!(value, rhs), expected);
    });
  }

  test('sets', () => {
    const m = numericSetMatcher([22, 80, 443]);
    assert.equal(m(80), true);
    assert.equal(m(81), false);
    assert.equal(m(443n), true);
  });

  test('booleans accept only lowercase true/false', () => {
    assert.equal(parseBool('true'), true);
    assert.equal(parseBool('false'), false);
    assert.equal(typeof parseBool('True'), 'string');
    assert.equal(typeof parseBool('1'), 'string');
  });
});
