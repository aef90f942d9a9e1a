import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_OVERRIDE, dot, index, member, memberKV, overrideAt, patchInput, putUnique } from '../../../src/rego/runtime/ops.js';
import { RegoEvalError } from '../../../src/rego/runtime/eval-error.js';
import { ObjectBuilder, RegoObject, RegoSet } from '../../../src/rego/runtime/value.js';

describe('rego runtime ops', () => {
  it('dot and index are undefined off the value, never inherited properties', () => {
    assert.equal(dot({ a: 1 }, 'a'), 1);
    assert.equal(dot('str', 'length'), undefined);
    assert.equal(dot([1], 'length'), undefined);
    assert.equal(index({}, 'constructor'), undefined);
    assert.equal(index({ constructor: 1 }, 'constructor'), 1);
    assert.equal(index([1, 2], 1), 2);
    assert.equal(index([1, 2], 1.5), undefined);
    assert.equal(index([1, 2], '1'), undefined);
    assert.equal(index(RegoSet.of(['a']), 'a'), 'a');
    assert.equal(dot(RegoSet.of(['a']), 'has'), undefined);
    const o = new RegoObject();
    o.set(1, 'one');
    assert.equal(index(o, 1), 'one');
  });

  it('membership', () => {
    assert.equal(member({ a: 1 }, [{ a: 1 }]), true);
    assert.equal(member('v', { k: 'v' }), true);
    assert.equal(memberKV(0, 'a', ['a']), true);
    assert.equal(memberKV('k', 'x', { k: 'v' }), false);
  });

  it('patchInput copies along the path and leaves the original alone', () => {
    const input = { a: { b: 1, c: 2 } };
    assert.deepEqual(patchInput(input, ['a', 'b'], 9), { a: { b: 9, c: 2 } });
    assert.deepEqual(input, { a: { b: 1, c: 2 } });
    assert.deepEqual(patchInput(undefined, ['x'], 1), { x: 1 });
  });

  it('overrides: the latest covering prefix wins', () => {
    const ov = [{ path: ['a'], value: { b: 1 } }, { path: ['a', 'c'], value: 2 }];
    assert.equal(overrideAt(ov, ['a', 'b']), 1);
    assert.equal(overrideAt(ov, ['a', 'c']), 2);
    assert.equal(overrideAt(ov, ['z']), NO_OVERRIDE);
  });

  it('putUnique raises eval_conflict_error on a second value for a key', () => {
    const b = new ObjectBuilder();
    const at = { file: 'f.rego', line: 1, col: 1 };
    putUnique(b, 'k', 1, 'object keys must be unique', at);
    putUnique(b, 'k', 1, 'object keys must be unique', at);
    assert.throws(() => putUnique(b, 'k', 2, 'object keys must be unique', at), (e: unknown) => e instanceof RegoEvalError && e.code === 'eval_conflict_error');
  });
});
