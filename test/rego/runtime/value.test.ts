import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObjectBuilder, RegoObject, RegoSet, compare, equal, hashKey, toJS, toJSON, typeName, type Value } from '../../../src/rego/runtime/value.js';

describe('rego values', () => {
  it('equality is structural across arrays, objects and sets', () => {
    assert.equal(equal([1, { a: [2] }], [1, { a: [2] }]), true);
    assert.equal(equal({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
    assert.equal(equal(RegoSet.of([1, 2]), RegoSet.of([2, 1])), true);
    assert.equal(equal({ a: 1 }, { a: 1, b: 2 }), false);
    assert.equal(equal('1', 1), false);
    assert.equal(equal(null, false), false);
    assert.equal(equal([1], RegoSet.of([1])), false);
  });

  it('sets hold composites by value and never confuse a string with a composite key', () => {
    const s = RegoSet.of([[1, 2], { k: 'v' }, '[1,2]', [1, 2]]);
    assert.equal(s.size, 3);
    assert.equal(s.has([1, 2]), true);
    assert.equal(s.has({ k: 'v' }), true);
    assert.equal(s.has('[1,2]'), true);
    assert.equal(s.has('{"k":"v"}'), false);
  });

  it('members come out in Rego order', () => {
    assert.deepEqual(RegoSet.of(['b', 2, null, [1], true, 'a']).members(), [null, true, 2, 'a', 'b', [1]]);
  });

  it('total order: null < boolean < number < string < array < object < set', () => {
    const ordered: Value[] = [null, false, true, -1, 2, 'a', 'b', [1], [1, 2], {}, { a: 1 }, RegoSet.of([])];
    for (let i = 0; i + 1 < ordered.length; i++) assert.ok(compare(ordered[i]!, ordered[i + 1]!) < 0, `${i}`);
    assert.equal(compare({ a: 1 }, { a: 1 }), 0);
  });

  it('objects with non-string keys', () => {
    const b = new ObjectBuilder();
    b.set('a', 1);
    assert.deepEqual(b.done(), { a: 1 });
    b.set(2, 'two');
    const o = b.done();
    assert.ok(o instanceof RegoObject);
    assert.equal(o.get('a'), 1);
    assert.equal(o.get(2), 'two');
    assert.deepEqual(toJS(o), { a: 1, '2': 'two' });
  });

  it('hash keys agree with equality', () => {
    assert.equal(hashKey({ a: [1, 'x'], b: null }), hashKey({ b: null, a: [1, 'x'] }));
    assert.notEqual(hashKey([1]), hashKey(['1']));
    assert.notEqual(hashKey(RegoSet.of([1])), hashKey([1]));
  });

  it('JSON conversion: sets become sorted arrays (or Sets on request), keys sorted in json', () => {
    const v: Value = { s: RegoSet.of(['b', 'a']), n: 1 };
    assert.deepEqual(toJS(v), { s: ['a', 'b'], n: 1 });
    assert.deepEqual(toJS(v, 'set'), { s: new Set(['a', 'b']), n: 1 });
    assert.equal(toJSON({ b: 1, a: RegoSet.of([2, 1]) }), '{"a":[1,2],"b":1}');
  });

  it('a __proto__ key stays an ordinary key', () => {
    const b = new ObjectBuilder();
    b.set('__proto__', 1);
    const o = b.done() as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(o), Object.prototype);
    assert.deepEqual(Object.keys(o), ['__proto__']);
  });

  it('type names', () => {
    assert.deepEqual([null, true, 1, 's', [], {}, new RegoSet()].map((v) => typeName(v as Value)), ['null', 'boolean', 'number', 'string', 'array', 'object', 'set']);
  });
});
