import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignatureEngine, selectorsOf, type SignatureErrorReport } from '../../src/signatures/engine.js';
import type { Finding, FindingHandler, Signature, SignatureEventSelector, TraceeEnvelope } from '../../src/signatures/signature.js';
import { inContainer, traceeEvent } from '../fixtures/tracee-events.js';

/** A signature that records what it receives and reports every event as a finding. */
class Recorder implements Signature {
  seen: string[] = [];
  signals = 0;
  closed = 0;
  private cb: FindingHandler = () => {};
  constructor(readonly id: string, private readonly selectors: Partial<SignatureEventSelector>[], private readonly throwOn?: string) {}
  init(cb: FindingHandler): void { this.cb = cb; }
  getMetadata() { return { ID: this.id, Version: '1', Name: this.id, Description: '', Tags: null, Properties: null }; }
  getSelectedEvents(): SignatureEventSelector[] { return this.selectors.map((s) => ({ Source: 'tracee', Name: '', Origin: '', ...s })); }
  onEvent(e: TraceeEnvelope): void {
    this.seen.push(`${e.Payload.eventName}/${e.Headers.Origin}`);
    if (e.Payload.eventName === this.throwOn) throw new Error(`boom on ${this.throwOn}`);
    this.cb({ Data: { n: this.seen.length }, Event: e, SigMetadata: this.getMetadata() });
  }
  onSignal(): void { this.signals++; }
  close(): void { this.closed++; }
}

function run(signatures: Signature[], events = [traceeEvent('execve'), inContainer(traceeEvent('execve')), traceeEvent('close')]) {
  const findings: Finding[] = [];
  const errors: SignatureErrorReport[] = [];
  const engine = new SignatureEngine(signatures, { onFinding: (f) => findings.push(f), onError: (r) => errors.push(r) });
  for (const e of events) engine.dispatch(e);
  engine.complete();
  return { engine, findings, errors };
}

describe('SignatureEngine', () => {
  it('dispatches by exact name and origin and by wildcards', () => {
    const exact = new Recorder('A', [{ Name: 'execve', Origin: 'host' }]);
    const anyOrigin = new Recorder('B', [{ Name: 'execve', Origin: '*' }]);
    const container = new Recorder('C', [{ Origin: 'container' }]);
    const all = new Recorder('D', [{}]);
    run([exact, anyOrigin, container, all]);
    assert.deepEqual(exact.seen, ['execve/tracee/host']);
    assert.deepEqual(anyOrigin.seen, ['execve/tracee/host', 'execve/tracee/container']);
    assert.deepEqual(container.seen, ['execve/tracee/container']);
    assert.deepEqual(all.seen, ['execve/tracee/host', 'execve/tracee/container', 'close/tracee/host']);
  });

  it('treats a pid different from the host pid as a container event', () => {
    const container = new Recorder('C', [{ Origin: 'container' }]);
    run([container], [traceeEvent('x', {}, { processId: 1, hostProcessId: 900 })]);
    assert.deepEqual(container.seen, ['x/tracee/container']);
  });

  it('delivers an event once to a signature with overlapping selectors (decision 3)', () => {
    const sig = new Recorder('A', [{ Name: 'execve' }, { Name: '*' }, { Name: 'execve', Origin: 'host' }]);
    const { findings } = run([sig]);
    assert.deepEqual(sig.seen, ['execve/tracee/host', 'execve/tracee/container', 'close/tracee/host']);
    assert.equal(findings.length, 3);
  });

  it('ignores selectors from other sources', () => {
    const sig = new Recorder('A', [{ Source: 'falco', Name: 'execve' }]);
    run([sig]);
    assert.deepEqual(sig.seen, []);
    assert.equal(sig.signals, 0, 'no tracee selector, no SourceComplete');
    assert.equal(sig.closed, 1);
  });

  it('isolates a signature that throws: counted, reported, others go on', () => {
    const bad = new Recorder('BAD', [{}], 'execve');
    const good = new Recorder('GOOD', [{}]);
    const { engine, findings, errors } = run([bad, good]);
    assert.equal(good.seen.length, 3);
    assert.equal(findings.filter((f) => f.SigMetadata.ID === 'GOOD').length, 3);
    assert.equal(findings.filter((f) => f.SigMetadata.ID === 'BAD').length, 1);
    assert.deepEqual(errors.map((e) => [e.signature, e.phase, e.count]), [['BAD', 'onEvent', 1], ['BAD', 'onEvent', 2]]);
    assert.deepEqual(engine.stats(), { events: 3, detections: 4, errors: { BAD: 2 } });
  });

  it('drops signatures whose metadata or selectors fail, and keeps ones whose init fails', () => {
    const noMeta = Object.assign(new Recorder('X', [{}]), { getMetadata: () => { throw new Error('no meta'); } });
    const noSel = Object.assign(new Recorder('Y', [{}]), { getSelectedEvents: () => { throw new Error('no sel'); } });
    const badInit = Object.assign(new Recorder('Z', [{}]), { init: () => { throw new Error('no init'); } });
    const nullMeta = Object.assign(new Recorder('N', [{}]), { getMetadata: () => null });
    const badSel = Object.assign(new Recorder('S', [{}]), { getSelectedEvents: () => 'execve' });
    const { engine, errors } = run([noMeta, noSel, badInit, nullMeta as unknown as Recorder, badSel as unknown as Recorder]);
    assert.deepEqual(engine.signatures().map((m) => m.ID), ['Z']);
    assert.deepEqual(errors.map((e) => e.phase), ['getMetadata', 'getSelectedEvents', 'getMetadata', 'getSelectedEvents', 'init']);
    assert.equal(badInit.seen.length, 3);
  });

  it('sends SourceComplete and closes every signature once at the end', () => {
    const sig = new Recorder('A', [{ Name: 'close' }]);
    const { engine } = run([sig]);
    engine.complete();
    assert.equal(sig.signals, 1);
    assert.equal(sig.closed, 1);
  });

  it('lists the selected events and loads a repeated instance once', () => {
    const sig = new Recorder('A', [{ Name: 'close' }, { Name: 'dup' }]);
    const { engine } = run([sig, sig]);
    assert.deepEqual(engine.selectedEvents().map((s) => s.Name), ['close', 'dup']);
    assert.equal(engine.signatures().length, 1);
  });
});

describe('selectorsOf', () => {
  it('reads the selectors without initialising any signature, leaving out one whose selectors throw', () => {
    let inits = 0;
    const counted = new Recorder('A', [{ Name: 'ptrace' }]);
    counted.init = () => { inits++; };
    const broken = new Recorder('B', []);
    broken.getSelectedEvents = () => { throw new Error('no selectors'); };
    assert.deepEqual(selectorsOf([counted, broken]), [{ Source: 'tracee', Name: 'ptrace', Origin: '' }]);
    assert.equal(inits, 0);
  });
});
