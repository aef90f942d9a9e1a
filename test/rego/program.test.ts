import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locate } from '../../src/diagnostics/index.js';
import { compileRego, RegoEvalError, type RegoProgram } from '../../src/rego/index.js';

function compile(...texts: string[]): RegoProgram {
  const { program, diagnostics } = compileRego(texts.map((text, i) => ({ name: `m${i}.rego`, text })));
  assert.ok(program, JSON.stringify(diagnostics.map(locate)));
  return program;
}

const SIG = `package tracee.TRC_X
import data.tracee.helpers
tracee_selected_events[s] { s := {"source": "tracee", "name": ["open", "close"][_]} }
tracee_match = {"path": p} { input.eventName == "open"; p := helpers.arg("pathname") }
tracee_match { input.eventName == "close" }
`;
const HELPERS = `package tracee.helpers
arg(n) = v { a := input.args[_]; a.name == n; v := a.value }
`;

describe('rego program API', () => {
  it('packages() lists each package once, in load order', () => {
    assert.deepEqual(compile(SIG, HELPERS, 'package tracee.TRC_X\ntest_a { true }').packages(), ['tracee.TRC_X', 'tracee.helpers']);
  });

  it('tests() lists test_ rules in file order, functions excluded', () => {
    const p = compile('package a\ntest_z { true }\ntest_a { true }\ntest_f(x) { x }', 'package b\ntest_b { true }');
    assert.deepEqual(p.tests(), ['data.a.test_z', 'data.a.test_a', 'data.b.test_b']);
  });

  it('evaluate returns plain JS; undefined for undefined; sets as sorted arrays or Sets', () => {
    const p = compile(SIG, HELPERS);
    assert.deepEqual(p.evaluate('data.tracee.TRC_X.tracee_match', { eventName: 'open', args: [{ name: 'pathname', value: '/x' }] }), { path: '/x' });
    assert.equal(p.evaluate('data.tracee.TRC_X.tracee_match', { eventName: 'close' }), true);
    assert.equal(p.evaluate('data.tracee.TRC_X.tracee_match', { eventName: 'exec' }), undefined);
    assert.equal(p.evaluate('data.tracee.TRC_X.tracee_match'), undefined);
    const sel = [{ name: 'close', source: 'tracee' }, { name: 'open', source: 'tracee' }];
    assert.deepEqual(p.evaluate('data.tracee.TRC_X.tracee_selected_events'), sel);
    assert.deepEqual(p.evaluate('data.tracee.TRC_X.tracee_selected_events', undefined, { sets: 'set' }), new Set(sel));
  });

  it('results are never reused across evaluations with different inputs', () => {
    const p = compile('package t\nv := input.n\nw := v * 2');
    for (let n = 0; n < 5; n++) assert.equal(p.evaluate('data.t.w', { n }), n * 2);
  });

  it('queries may be package documents, nested refs or calls', () => {
    const p = compile('package t\na := {"b": [10, 20]}\nf(x) := x + 1');
    assert.deepEqual(p.evaluate('data.t'), { a: { b: [10, 20] } });
    assert.equal(p.evaluate('data.t.a.b[1]'), 20);
    assert.equal(p.evaluate('data.t.f(1)'), 2);
    assert.equal(p.evaluate('data.nothing.here'), undefined);
  });

  it('conflicts throw RegoEvalError with code and location', () => {
    const p = compile('package t\n\np = x { x := input.xs[_] }');
    assert.equal(p.evaluate('data.t.p', { xs: [1, 1] }), 1);
    assert.throws(() => p.evaluate('data.t.p', { xs: [1, 2] }), (e: unknown) => {
      assert.ok(e instanceof RegoEvalError);
      assert.equal(e.code, 'eval_conflict_error');
      assert.deepEqual(e.location, { file: 'm0.rego', line: 3, col: 1 });
      return true;
    });
  });

  it('builtin errors are undefined, never exceptions', () => {
    const p = compile('package t\np { startswith(input.x, "a") }\nq { base64.decode(input.x) }\nr { regex.match(input.x, "a") }');
    for (const x of [1, null, [], {}, '(', '***']) {
      for (const r of ['p', 'q', 'r']) assert.doesNotThrow(() => p.evaluate(`data.t.${r}`, { x }));
    }
  });

  it('a base data document can be given at compile time', () => {
    const { program } = compileRego([{ name: 'm.rego', text: 'package t\np := data.cfg.x' }], { data: { cfg: { x: 5 } } });
    assert.equal(program!.evaluate('data.t.p'), 5);
  });

  it('compile errors come back as diagnostics with file, line and column', () => {
    const { program, diagnostics } = compileRego([{ name: 'bad.rego', text: 'package t\np { x }' }]);
    assert.equal(program, undefined);
    const d = locate(diagnostics[0]!);
    assert.deepEqual([d.code, d.file, d.line, d.col], ['rego_unsafe_var_error', 'bad.rego', 2, 5]);
  });

  it('bodies are compiled to JavaScript ahead of time', () => {
    const p = compile('package t\np { input.a == 1 }') as RegoProgram & { source(): string };
    assert.match(p.source(), /function r0\(ctx\)/);
    assert.match(p.source(), /dot\(t\d+, "a"\)/);
  });

  it('prepare gives the query as a function with the results of evaluate', () => {
    const p = compile('package t\np = {"n": input.n} { input.n > 1 }\nq { input.n > 1 }');
    const [pq, qq] = [p.prepare('data.t.p'), p.prepare('data.t.q')];
    assert.deepEqual([pq({ n: 2 }), qq({ n: 2 }), pq({ n: 0 }), qq({ n: 0 })], [{ n: 2 }, true, undefined, undefined]);
    assert.deepEqual(pq({ n: 3 }), p.evaluate('data.t.p', { n: 3 }));
  });

  it('work is moved to compile time: constant rules, constant-argument calls, first-test index, set probes', () => {
    const p = compile(`package t
names := {"a", "b"}
arg(n) = v { x := input.args[_]; x.name == n; v := x.value }
m { input.eventName == "e1"; arg("k") == 1 }
m { input.eventName == "e2"; not names[input.who] }
m { input.eventName == "e3" }`) as RegoProgram & { source(): string };
    const src = p.source();
    const m = /function r\d+\(ctx\) \{[\s\S]*?\nreturn res;\n\}/g;
    const match = [...src.matchAll(m)].map((x) => x[0]).find((f) => f.includes('"e1"'))!;
    assert.match(match, /const t\d+ = f\d+_0\(ctx\);/, 'arg("k") calls its specialised copy');
    assert.match(src, /function f\d+_0\(ctx\) \{[\s\S]*?=== "k"/, 'in which the parameter is the literal');
    assert.match(match, /if \(ix\d+ === "e1"\)/, 'definitions guarded by the shared first test');
    assert.match(match, /K\d+\.has\(t\d+\)/, 'names[x] is a Set probe');
    assert.doesNotMatch(match, /= r\d+\(ctx\)/, 'names is not called as a rule');
    assert.deepEqual(['e1', 'e2', 'e3', 'e4'].map((eventName) => p.evaluate('data.t.m', { eventName, who: 'a', args: [{ name: 'k', value: 1 }] })), [true, undefined, true, undefined]);
  });
});

describe('rego program API, misuse', () => {
  it('an invalid query ref is a plain Error, not an evaluation error', () => {
    const p = compile('package t\np := 1');
    assert.throws(() => p.evaluate('data.t.nosuch_fn(1)'), (e: unknown) => e instanceof Error && !(e instanceof RegoEvalError) && /undefined function/.test(e.message));
    assert.throws(() => p.evaluate('data.t[['), Error);
  });
});

describe('rego program API, hostile input', () => {
  it('absurdly deep nesting is a diagnostic, not a crash', () => {
    const { program, diagnostics } = compileRego([{ name: 'deep.rego', text: `package t\np := ${'['.repeat(100000)}${']'.repeat(100000)}` }]);
    assert.equal(program, undefined);
    assert.equal(diagnostics[0]!.code, 'rego_compile_error');
  });
});
