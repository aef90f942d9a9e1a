import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadJsSignatures, signaturesFromModule } from '../../src/signatures/js-signature.js';

const RULES = join(import.meta.dirname, '../fixtures/signatures/rules');

const meta = () => ({ ID: 'T', Version: '', Name: '', Description: '', Tags: null, Properties: null });
const minimal = { getMetadata: meta, getSelectedEvents: () => [], onEvent: () => {} };

describe('JS signatures', () => {
  it('accepts objects, classes and factories, as default or `signatures` export', () => {
    class K { getMetadata = meta; getSelectedEvents = () => []; onEvent() {} }
    assert.equal(signaturesFromModule({ default: minimal }, 'm').signatures.length, 1);
    assert.equal(signaturesFromModule({ default: K }, 'm').signatures.length, 1);
    assert.equal(signaturesFromModule({ default: () => minimal }, 'm').signatures.length, 1);
    assert.equal(signaturesFromModule({ signatures: [minimal, K] }, 'm').signatures.length, 2);
  });

  it('fills in the optional methods', () => {
    const [sig] = signaturesFromModule({ default: minimal }, 'm').signatures;
    assert.doesNotThrow(() => { sig!.init(() => {}); sig!.onSignal({ kind: 'sourceComplete', source: 'tracee' }); sig!.close(); });
  });

  it('reports exports that are not signatures', () => {
    assert.match(signaturesFromModule({}, 'm.js').errors[0]!, /exports no 'signatures'/);
    assert.match(signaturesFromModule({ default: { getMetadata: meta } }, 'm.js').errors[0]!, /not a signature/);
    assert.match(signaturesFromModule({ default: () => { throw new Error('nope'); } }, 'm.js').errors[0]!, /could not be created: nope/);
  });

  it('loads modules from files and reports unloadable ones', async () => {
    const counter = await loadJsSignatures(join(RULES, 'a_close_counter.mjs'));
    assert.equal(counter.signatures[0]!.getMetadata().ID, 'JS-1');
    const missing = await loadJsSignatures(join(RULES, 'missing.mjs'));
    assert.match(missing.errors[0]!, /cannot load/);
  });
});
