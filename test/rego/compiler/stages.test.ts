import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STAGES, newCompileState, runStages } from '../../../src/rego/compiler/stages.js';

describe('rego compiler stages', () => {
  it('run in the documented order', () => {
    assert.deepEqual(STAGES.map((s) => s.name), ['parse', 'merge', 'resolve', 'safety', 'recursion']);
  });

  it('can stop after a stage', () => {
    const state = newCompileState([{ name: 'a.rego', text: 'package a\np { x }' }], {});
    assert.equal(runStages(state, 'resolve'), true);
    assert.equal(state.groups.length, 1);
  });

  it('stop at the first stage with errors', () => {
    const state = newCompileState([{ name: 'a.rego', text: 'package a\np { q }\nq { p }\nr { x }' }], {});
    assert.equal(runStages(state), false);
    assert.deepEqual(state.diagnostics.map((d) => d.code), ['rego_unsafe_var_error']);
  });

  it('safety reorders literals so that bindings come first', () => {
    const state = newCompileState([{ name: 'a.rego', text: 'package a\np { x > 1; x = input.n }' }], {});
    assert.equal(runStages(state), true);
    const body = state.groups[0]!.defs[0]!.rule.body;
    assert.deepEqual(body.map((l) => l.expr.kind), ['assign', 'term']);
  });

  it('merges packages across modules', () => {
    const state = newCompileState([{ name: 'a.rego', text: 'package a\np := 1' }, { name: 'b.rego', text: 'package a\nq := 2' }], {});
    assert.equal(runStages(state), true);
    assert.deepEqual([...state.root.children.get('a')!.rules.keys()], ['p', 'q']);
  });
});
