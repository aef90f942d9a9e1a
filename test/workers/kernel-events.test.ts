import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { EVENTS } from '../../src/events/event-table.js';
import type { SignatureEventSelector } from '../../src/signatures/signature.js';
import { STATE_EVENTS, neededKernelEvents, signatureEvents, unionKernelEvents, type KernelEvents } from '../../src/workers/kernel-events.js';
import { pipeline } from '../../src/workers/default-pipeline.js';
import type { RuleSetSpec } from '../../src/workers/pipeline.js';

const typed = (...names: string[]) => ({ eventTypes: new Set(names) });
const sel = (Name: string, Origin = '*', Source = 'tracee'): SignatureEventSelector => ({ Source, Name, Origin });
const list = (k: KernelEvents): readonly string[] => {
  assert.notEqual(k, 'all');
  return k as readonly string[];
};

describe('signatureEvents (which events the shard converts to Tracee events)', () => {
  it('gives the vigil events behind the selected Tracee events, and nothing for no signature', () => {
    const ptrace = signatureEvents([sel('ptrace')]);
    assert.notEqual(ptrace, 'all');
    assert.deepEqual([...(ptrace as Set<string>)], ['ptrace']);
    assert.deepEqual([...(signatureEvents([]) as Set<string>)], []);
    const exec = signatureEvents([sel('sched_process_exec'), sel('security_file_open')]) as Set<string>;
    for (const name of ['execve', 'execveat', 'openat']) assert.ok(exec.has(name), name);
    assert.ok(!exec.has('connect'));
  });

  it('a wildcard or a name vigil does not know means every event; other sources are not Tracee events', () => {
    assert.equal(signatureEvents([sel('ptrace'), sel('*')]), 'all');
    assert.equal(signatureEvents([sel('no_such_event_anywhere')]), 'all');
    assert.deepEqual([...(signatureEvents([sel('*', '*', 'k8s')]) as Set<string>)], []);
  });
});

describe('neededKernelEvents', () => {
  it('always keeps the process life cycle on, and nothing else for an execve-only rule', () => {
    assert.deepEqual(STATE_EVENTS.processes, ['execve', 'execveat', 'clone', 'clone3', 'fork', 'vfork', 'procexit']);
    assert.deepEqual(list(neededKernelEvents([typed('execve')], [])), STATE_EVENTS.processes);
    assert.deepEqual(list(neededKernelEvents([], [])), STATE_EVENTS.processes);
  });

  it('adds the fd-table events when a needed event reads an fd table', () => {
    const events = list(neededKernelEvents([typed('sendto')], []));
    for (const name of ['openat', 'close', 'dup2', 'socket', 'connect', 'accept4', 'bind', 'memfd_create', 'sendto']) assert.ok(events.includes(name), name);
    assert.ok(!events.includes('recvfrom'), 'datagram events only when asked for');
    assert.ok(!events.includes('unlink'));
    // A path resolved against a directory fd needs the fd table too.
    assert.ok(list(neededKernelEvents([typed('unlinkat')], [])).includes('openat'));
    // ptrace reads no fd.
    assert.deepEqual(list(neededKernelEvents([typed('ptrace')], [])), [...STATE_EVENTS.processes, 'ptrace']);
  });

  it('a type-agnostic Falco rule needs every event', () => {
    assert.equal(neededKernelEvents([typed('execve'), { eventTypes: 'all' }], []), 'all');
  });

  it('ignores event types the sensor never produces', () => {
    assert.deepEqual(list(neededKernelEvents([typed('write', 'container', 'execve')], [])), STATE_EVENTS.processes);
  });

  it('maps signature selectors to the vigil events whose Tracee view gives them', () => {
    const events = list(neededKernelEvents([], [sel('security_sb_mount', 'container'), sel('mem_prot_alert'), sel('ptrace', 'host')]));
    assert.deepEqual(events, [...STATE_EVENTS.processes, 'ptrace', 'mmap', 'mprotect', 'mount']);
    assert.ok(list(neededKernelEvents([], [sel('security_file_open')])).includes('openat2'));
    assert.ok(list(neededKernelEvents([], [sel('sched_process_exit')])).includes('procexit'));
    // magic_write cannot be derived from vigil events, nor can syscalls the sensor does not capture.
    assert.deepEqual(list(neededKernelEvents([], [sel('magic_write'), sel('write')])), STATE_EVENTS.processes);
  });

  it('a wildcard or unknown selector name needs every event; selectors that never match need none', () => {
    assert.equal(neededKernelEvents([], [sel('*')]), 'all');
    assert.equal(neededKernelEvents([], [sel('')]), 'all');
    assert.equal(neededKernelEvents([], [sel('no_such_event')]), 'all');
    assert.deepEqual(list(neededKernelEvents([], [sel('*', '*', 'k8s'), sel('*', 'pod')])), STATE_EVENTS.processes);
  });

  it('unions two sets in the event table order', () => {
    assert.deepEqual(unionKernelEvents(['ptrace', 'execve'], ['mount', 'execve']), ['execve', 'ptrace', 'mount']);
    assert.equal(unionKernelEvents('all', ['execve']), 'all');
    assert.equal(unionKernelEvents(['execve'], 'all'), 'all');
  });
});

describe('the production pipeline reports the kernel events of what it compiles', () => {
  const spec = (falco: string, disabled: string[] = []): RuleSetSpec => ({
    version: 1, falco: [{ name: 'rules.yaml', text: falco }], rego: [], signatureDir: '', disabled, ruleMatching: 'all',
  });
  const rule = (name: string, condition: string, enabled = true) =>
    `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: WARNING\n  enabled: ${enabled}\n`;
  /** Every built-in signature, by name, so a set can be narrowed to its Falco rules. */
  const signatureNames = async () => (await pipeline.compile(spec(''))).summary.filter((r) => r.engine === 'tracee').map((r) => r.name);

  it('an execve rule without signatures needs only the process life cycle', async () => {
    const result = await pipeline.compile(spec(rule('exec', 'evt.type = execve and proc.name = x'), await signatureNames()));
    assert.deepEqual(result.kernelEvents, STATE_EVENTS.processes);
  });

  it('a disabled rule needs nothing, whether disabled in its file or by name', async () => {
    const off = await signatureNames();
    const inFile = rule('exec', 'evt.type = execve') + rule('anything', 'proc.name = x', false);
    assert.deepEqual((await pipeline.compile(spec(inFile, off))).kernelEvents, STATE_EVENTS.processes);
    const byName = rule('exec', 'evt.type = execve') + rule('anything', 'proc.name = x');
    assert.equal((await pipeline.compile(spec(byName, off))).kernelEvents, 'all');
    assert.deepEqual((await pipeline.compile(spec(byName, [...off, 'anything']))).kernelEvents, STATE_EVENTS.processes);
  });

  it('the built-in rules and signatures switch part of the sensor events off', async () => {
    const text = await readFile(new URL('../../rules/vigil_rules.yaml', import.meta.url), 'utf8');
    const events = list((await pipeline.compile(spec(text))).kernelEvents!);
    for (const name of ['execve', 'openat', 'ptrace', 'mmap', 'mount', 'connect', 'close', 'init_module']) assert.ok(events.includes(name), name);
    for (const name of ['unlink', 'rename', 'kill', 'setuid', 'sendto']) assert.ok(!events.includes(name), name);
    assert.ok(events.length < EVENTS.length);
  });
});
