import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RegoProgram } from '../../src/signatures/rego-compiler.js';
import { compileRegoSignature, metadataFromMetadoc, regoPackageOf, RegoSignature, selectorsFromRego } from '../../src/signatures/rego-signature.js';
import { envelopeOf, type Finding } from '../../src/signatures/signature.js';
import { traceeEvent } from '../fixtures/tracee-events.js';

/** A program whose tracee_match answer is given per event name. */
function program(match: (input: { eventName: string }) => unknown): RegoProgram {
  const evaluate = (ref: string, input?: unknown): unknown => {
    if (ref === 'data.tracee.T.__rego_metadoc__') return { ID: 'T-1', Version: '1', name: 'n', DESCRIPTION: 'd', tags: ['a'], properties: { Severity: 2 }, extra: 1 };
    if (ref === 'data.tracee.T.tracee_selected_events') return [{ Source: 'tracee', name: 'x' }, 'junk'];
    if (ref === 'data.tracee.T.tracee_match') return match(input as { eventName: string });
    return undefined;
  };
  return { packages: () => ['tracee.T'], tests: () => [], evaluate, prepare: (ref) => (input) => evaluate(ref, input) };
}

function findingsFor(result: unknown): Finding[] {
  const sig = new RegoSignature(program(() => result), 'tracee.T');
  const findings: Finding[] = [];
  sig.init((f) => findings.push(f));
  sig.onEvent(envelopeOf(traceeEvent('x'), 'host'));
  return findings;
}

describe('RegoSignature', () => {
  it('reads metadata keys without regard to case', () => {
    const sig = new RegoSignature(program(() => undefined), 'tracee.T');
    assert.deepEqual(sig.getMetadata(), { ID: 'T-1', Version: '1', Name: 'n', Description: 'd', Tags: ['a'], Properties: { Severity: 2 } });
    assert.deepEqual(sig.getSelectedEvents(), [{ Source: 'tracee', Name: 'x', Origin: '' }]);
  });

  it('gives empty metadata and no selectors when the rules are undefined', () => {
    assert.deepEqual(metadataFromMetadoc(undefined), { ID: '', Version: '', Name: '', Description: '', Tags: null, Properties: null });
    assert.deepEqual(selectorsFromRego(undefined), []);
    assert.equal(selectorsFromRego(new Set([{ source: 'tracee' }])).length, 1);
  });

  it('turns true into a finding without data and an object into its data', () => {
    assert.deepEqual(findingsFor(true).map((f) => f.Data), [null]);
    assert.deepEqual(findingsFor({ a: 1 }).map((f) => f.Data), [{ a: 1 }]);
    assert.deepEqual(findingsFor({}).map((f) => f.Data), [{}]);
    assert.equal(findingsFor(true)[0]!.SigMetadata.ID, 'T-1');
  });

  it('ignores undefined, false and values of other types', () => {
    for (const value of [undefined, false, 'yes', 1, [1], null]) assert.equal(findingsFor(value).length, 0, String(value));
  });

  it('lets evaluation errors through for the engine to count', () => {
    const sig = new RegoSignature(program(() => { throw new Error('conflict'); }), 'tracee.T');
    assert.throws(() => sig.onEvent(envelopeOf(traceeEvent('x'), 'host')), /conflict/);
  });

  it('finds the package of a module', () => {
    assert.equal(regoPackageOf('# c\npackage tracee.TRC_2\n'), 'tracee.TRC_2');
    assert.equal(regoPackageOf('no package'), undefined);
  });

  it('reports modules that do not compile or declare no package', () => {
    const failing = () => ({ diagnostics: [{ code: 'rego_parse_error' as const, severity: 'error' as const, message: 'bad' }] });
    assert.match((compileRegoSignature(failing, { name: 'a.rego', text: 'package x' }, []) as { error: string }).error, /does not compile/);
    assert.match((compileRegoSignature(failing, { name: 'a.rego', text: 'x' }, []) as { error: string }).error, /no package/);
  });
});
