import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvalContext } from '../../../src/falco/fields/field.js';
import { and, CodeBuilder, not, or } from '../../../src/falco/condition/codegen.js';

const ctx = (epoch: number) => ({ epoch }) as unknown as EvalContext;

describe('CodeBuilder', () => {
  test('builds the boolean skeleton over leaf closures', () => {
    const code = new CodeBuilder();
    const t = code.call(() => true);
    const f = code.call(() => false);
    assert.equal(code.build(and([t, f]))(ctx(1)), false);
    assert.equal(code.build(or([f, t]))(ctx(1)), true);
    assert.equal(code.build(not(and([t, f])))(ctx(1)), true);
    assert.equal(code.build(and([t]))(ctx(1)), true);
  });

  test('constants are shared by reference and deduplicated', () => {
    const code = new CodeBuilder();
    const set = new Set(['a']);
    assert.equal(code.ref(set), 'k0');
    assert.equal(code.ref('x'), 'k1');
    assert.equal(code.ref(set), 'k0');
    assert.equal(code.build(`${code.ref(set)}.has("a")`)(ctx(1)), true);
  });

  test('a memoised function records its result once per epoch', () => {
    let runs = 0;
    const memo = { epochs: new Float64Array(4).fill(-1), values: new Uint8Array(4), slot: 2 };
    const inner = new CodeBuilder();
    const macro = inner.build(inner.call(() => ++runs > 0), memo);
    const user = new CodeBuilder();
    const rule = user.build(and([user.memoised(macro, memo), user.memoised(macro, memo)]));
    assert.equal(rule(ctx(7)), true);
    assert.equal(rule(ctx(7)), true);
    assert.equal(runs, 1);
    assert.equal(memo.epochs[2], 7);
    assert.equal(rule(ctx(8)), true);
    assert.equal(runs, 2);
  });
});
