import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldComparator, literalMatcher, operatorError } from '../../../src/falco/operators/index.js';

describe('operator whitelist per type', () => {
  test('allowed and refused operators', () => {
    assert.equal(operatorError('contains', 'string', false), undefined);
    assert.equal(operatorError('bcontains', 'string', false), "'bcontains' operator not supported for string filters");
    assert.equal(operatorError('<', 'numeric', false), undefined);
    assert.equal(operatorError('glob', 'numeric', false), "'glob' operator not supported for numeric filters");
    assert.equal(operatorError('=', 'bool', false), undefined);
    assert.equal(operatorError('<', 'bool', false), "'<' operator not supported for boolean filters");
    assert.equal(operatorError('in', 'ipnet', false), undefined);
    assert.equal(operatorError('contains', 'ipaddr', false), "'contains' operator not supported for IP address filters");
    assert.equal(operatorError('bstartswith', 'bytes', false), undefined);
    assert.equal(operatorError('icontains', 'bytes', false), "'icontains' operator not supported for buffer filters");
    assert.equal(operatorError('intersects', 'string', true), undefined);
    assert.equal(operatorError('contains', 'string', true), "'contains' operator not supported for list filters");
  });
});

describe('literalMatcher', () => {
  test('routes by type', () => {
    assert.equal((literalMatcher('charbuf', 'in', ['a', 'b']) as (v: string) => boolean)('b'), true);
    assert.equal((literalMatcher('uint16', 'in', ['1', '2']) as (v: number) => boolean)(2), true);
    assert.equal((literalMatcher('port', 'intersects', ['ssh']) as (v: number) => boolean)(22), true);
    assert.equal((literalMatcher('bool', 'in', ['true', 'false']) as (v: boolean) => boolean)(false), true);
    assert.equal((literalMatcher('bytebuf', 'in', ['ab', 'cd']) as (v: Uint8Array) => boolean)(new Uint8Array([0x63, 0x64])), true);
    assert.equal(literalMatcher('int32', '=', ['x']), 'x is not a valid number');
  });
});

describe('fieldComparator', () => {
  test('compares two values of one type', () => {
    assert.equal((fieldComparator('charbuf', 'startswith') as (a: string, b: string) => boolean)('abc', 'ab'), true);
    assert.equal((fieldComparator('int64', '<') as (a: number, b: number) => boolean)(1, 2), true);
    assert.equal((fieldComparator('bool', '!=') as (a: boolean, b: boolean) => boolean)(true, false), true);
    assert.equal((fieldComparator('bytebuf', '=') as (a: Uint8Array, b: Uint8Array) => boolean)(new Uint8Array([1]), new Uint8Array([1])), true);
    assert.equal(typeof fieldComparator('charbuf', 'regex'), 'string');
  });
});
