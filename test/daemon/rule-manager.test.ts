/**
 * The rule manager against fake workers: the order of the reload protocol (compile here → prepare in
 * every worker → barrier → commit), refusals that keep the running set and use up no version, and
 * serialised concurrent reloads.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RuleSetError } from '../../src/diagnostics/index.js';
import { ReloadFailedError, RuleManager, type RuleTargets } from '../../src/daemon/rule-manager.js';
import { readRuleFiles } from '../../src/daemon/rule-sources.js';
import type { RuleSetSpec } from '../../src/workers/pipeline.js';
import { pipeline } from '../fixtures/workers/fake-pipeline.js';

async function setup(refuse = false) {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-rm-'));
  const file = join(dir, 'r.rules');
  await writeFile(file, 'A: openat\n');
  const log: string[] = [];
  const targets: RuleTargets = {
    prepare: async (spec: RuleSetSpec) => {
      log.push(`prepare ${spec.version}`);
      return refuse ? ['shard 0: out of memory'] : [];
    },
    discard: (v) => log.push(`discard ${v}`),
    committed: (spec) => log.push(`committed ${spec.version}`),
    activate: (v) => log.push(`activate ${v}`),
  };
  const rules = new RuleManager({ pipeline, readSources: () => readRuleFiles([file], ''), signatureDir: '', ruleMatching: 'all' });
  await rules.initial();
  rules.attach(targets, { insertControl: async (record) => void log.push(`barrier ${pipeline.controlVersion(record, 0, record.length)}`) });
  return { rules, file, log };
}

test('a valid set is prepared everywhere, then its barrier is written, then it is committed', async () => {
  const { rules, log } = await setup();
  const r = await rules.reload('test');
  assert.equal(r.version, 2);
  assert.deepEqual(log, ['prepare 2', 'barrier 2', 'committed 2']);
  assert.deepEqual(rules.reloadHistory().map((h) => [h.version, h.trigger, h.ok]), [[1, 'start', true], [2, 'test', true]]);
});

test('an invalid set is refused with diagnostics; no worker sees it and no version is used', async () => {
  const { rules, file, log } = await setup();
  await writeFile(file, 'A: openat\n!nope\n');
  await assert.rejects(rules.reload('test'), (e: unknown) => e instanceof RuleSetError && e.diagnostics.length === 1);
  assert.deepEqual(log, []);
  assert.equal(rules.currentVersion, 1);
  await writeFile(file, 'B: openat\n');
  assert.equal((await rules.reload('test')).version, 2, 'the refused set used no version');
});

test('a missing rules file refuses the reload with LOAD_ERR_FILE_READ', async () => {
  const { rules, file } = await setup();
  await rm(file);
  await assert.rejects(rules.reload('test'), (e: unknown) => e instanceof RuleSetError && e.diagnostics[0]!.code === 'LOAD_ERR_FILE_READ');
  assert.equal(rules.reloadHistory().at(-1)!.ok, false);
});

test('a set a worker cannot compile is discarded and the running set stays', async () => {
  const { rules, log } = await setup(true);
  await assert.rejects(rules.reload('test'), (e: unknown) => e instanceof ReloadFailedError && /workers refused rule set: shard 0: out of memory/.test(e.message) && e.runningVersion === 1);
  assert.deepEqual(log, ['prepare 2', 'discard 2']);
  assert.equal(rules.currentVersion, 1);
  assert.deepEqual(rules.rules().map((r) => r.name), ['A']);
});

test('concurrent reloads run one after the other, in order', async () => {
  const { rules, log } = await setup();
  const versions = await Promise.all([rules.reload('a'), rules.reload('b'), rules.setEnabled('A', false)]);
  assert.deepEqual(versions.map((v) => v.version), [2, 3, 4]);
  assert.deepEqual(log.filter((l) => l.startsWith('barrier')), ['barrier 2', 'barrier 3', 'barrier 4']);
  assert.equal(rules.rules()[0]!.enabled, false);
});

test('live sensor rings: the barrier goes through the rings\' producer, found through the targets', async () => {
  const { rules, log } = await setup();
  const sensor = { insertControl: async (record: Uint8Array) => void log.push(`sensor barrier ${pipeline.controlVersion(record, 0, record.length)}`) };
  const targets = { prepare: async () => [], discard: () => {}, committed: (s: RuleSetSpec) => log.push(`committed ${s.version}`), activate: (v: number) => log.push(`activate ${v}`), barrier: () => sensor };
  rules.attach(targets, undefined);
  await rules.reload('live');
  assert.deepEqual(log, ['sensor barrier 2', 'committed 2']);
});

test('without any barrier producer workers are told to switch between batches', async () => {
  const { rules, log } = await setup();
  const targets = { prepare: async () => [], discard: () => {}, committed: (s: RuleSetSpec) => log.push(`committed ${s.version}`), activate: (v: number) => log.push(`activate ${v}`) };
  rules.attach(targets, undefined);
  await rules.reload('live');
  assert.deepEqual(log, ['activate 2', 'committed 2']);
});

test('a reload widens the kernel events to both sets before its barrier and narrows to the new set after it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-rm-'));
  const file = join(dir, 'r.rules');
  await writeFile(file, 'A: execve\n');
  // The fake rules name one event each ("name: event"); the set needs those events.
  const withEvents: typeof pipeline = {
    ...pipeline,
    async compile(spec) {
      const result = await pipeline.compile(spec);
      const events = spec.falco.flatMap((s) => [...s.text.matchAll(/: (\w+)/g)].map((m) => m[1]!));
      return { ...result, kernelEvents: events.includes('all') ? 'all' : events };
    },
  };
  const log: string[] = [];
  const rules = new RuleManager({ pipeline: withEvents, readSources: () => readRuleFiles([file], ''), signatureDir: '', ruleMatching: 'all' });
  await rules.initial();
  assert.deepEqual(rules.kernelEvents(), ['execve']);
  const targets: RuleTargets = {
    prepare: async (spec) => (log.push(`prepare ${spec.version}`), []),
    discard: () => {},
    committed: () => {},
    activate: () => {},
  };
  const barrier = { insertControl: async (record: Uint8Array) => void log.push(`barrier ${pipeline.controlVersion(record, 0, record.length)}`) };
  rules.attach(targets, barrier, { setEvents: (events) => log.push(`events ${events === 'all' ? 'all' : events.join(',')}`) });
  await writeFile(file, 'B: openat\n');
  await rules.reload('test');
  assert.deepEqual(log, ['prepare 2', 'events execve,openat', 'barrier 2', 'events openat']);
  assert.deepEqual(rules.kernelEvents(), ['openat']);
  log.length = 0;
  await writeFile(file, 'C: all\n');
  await rules.reload('test');
  assert.deepEqual(log, ['prepare 3', 'events all', 'barrier 3', 'events all']);
  log.length = 0;
  await writeFile(file, 'C: all\n!nope\n');
  await assert.rejects(rules.reload('test'));
  assert.deepEqual(log, [], 'a refused set switches nothing');
});
