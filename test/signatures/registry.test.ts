import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import type { CompileRego, RegoSource } from '../../src/signatures/rego-compiler.js';
import { regoPackageOf } from '../../src/signatures/rego-signature.js';
import { loadSignatures } from '../../src/signatures/registry.js';

const RULES = join(import.meta.dirname, '../fixtures/signatures/rules');

/** A stand-in compiler that records what it is given; metadata id = the package name. */
function recordingCompiler(): { compile: CompileRego; calls: string[][] } {
  const calls: string[][] = [];
  const compile: CompileRego = (sources: RegoSource[]) => {
    calls.push(sources.map((s) => basename(s.name)));
    const main = sources[sources.length - 1]!;
    if (main.text.includes('==\n}')) return { diagnostics: [{ code: 'rego_parse_error', severity: 'error', message: 'unexpected }' }] };
    const pkg = regoPackageOf(main.text)!;
    const evaluate = (ref: string): unknown => (ref.endsWith('__rego_metadoc__') ? { id: pkg, name: pkg } : ref.endsWith('tracee_selected_events') ? [{ source: 'tracee', name: 'x' }] : undefined);
    return { diagnostics: [], program: { packages: () => [pkg], tests: () => [], evaluate, prepare: (ref: string) => () => evaluate(ref) } };
  };
  return { compile, calls };
}

describe('loadSignatures', () => {
  it('loads JS modules then Rego files of a rules directory, recursively in lexical order', async () => {
    const { compile, calls } = recordingCompiler();
    const { signatures, problems } = await loadSignatures({ rulesDir: RULES, compileRego: compile });
    assert.deepEqual(signatures.map((s) => s.getMetadata().ID), ['JS-1', 'JS-THROW', 'JS-2', 'tracee.CUSTOM_1']);
    // helpers.rego in the rules dir is skipped; extra_helpers.rego is compiled with every signature, after ours.
    assert.deepEqual(calls, [
      ['helpers.rego', 'extra_helpers.rego', 'broken.rego'],
      ['helpers.rego', 'extra_helpers.rego', 'custom_rego.rego'],
    ]);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /c_not_a_signature\.mjs: export #1 is not a signature/);
    assert.match(problems[1]!, /broken\.rego: does not compile[\s\S]*unexpected \}/);
  });

  it('keeps only the --rules IDs', async () => {
    const { compile } = recordingCompiler();
    const { signatures } = await loadSignatures({ rulesDir: RULES, compileRego: compile, ruleIds: ['JS-2', 'JS-1'] });
    assert.deepEqual(signatures.map((s) => s.getMetadata().ID), ['JS-1', 'JS-2']);
  });

  it('loads the built-ins by default: TypeScript first, then every Rego signature (tests excluded)', async () => {
    const { compile, calls } = recordingCompiler();
    const { signatures, problems } = await loadSignatures({ compileRego: compile });
    assert.deepEqual(problems, []);
    assert.deepEqual(signatures.slice(0, 2).map((s) => s.getMetadata().ID), ['TRC-1', 'TRC-13']);
    assert.equal(calls.length, 12);
    assert.ok(calls.every((c) => c[0] === 'helpers.rego' && c.length === 2 && !c[1]!.endsWith('_test.rego')));
  });

  it('reports a missing rules directory', async () => {
    assert.match((await loadSignatures({ rulesDir: '/nonexistent' })).problems[0]!, /rules directory not found/);
  });

  it('compiles the default Rego signatures with the real engine', async () => {
    const { signatures, problems } = await loadSignatures();
    assert.deepEqual(problems, []);
    assert.deepEqual(signatures.map((s) => s.getMetadata().ID).sort(),
      ['TRC-1', 'TRC-10', 'TRC-11', 'TRC-12', 'TRC-13', 'TRC-14', 'TRC-2', 'TRC-3', 'TRC-4', 'TRC-5', 'TRC-6', 'TRC-7', 'TRC-8', 'TRC-9']);
  });

  it('loads a custom Rego signature with an extra helper module with the real engine; a broken one is reported at file:line:col', async () => {
    const { signatures, problems } = await loadSignatures({ rulesDir: RULES });
    assert.ok(signatures.some((s) => s.getMetadata().ID === 'CUSTOM-1'), problems.join('\n'));
    assert.ok(problems.some((p) => /broken\.rego: does not compile\n.*broken\.rego:5:1: error rego_parse_error .*unexpected '\}'/.test(p)), problems.join('\n'));
  });
});
