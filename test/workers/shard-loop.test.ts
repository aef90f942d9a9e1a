/**
 * The shard loop in-thread (no Piscina): version switches exactly at control records, a record a
 * previous worker died on is skipped once, undecodable records are counted and skipped.
 */
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { test } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import type { RuleSetSpec } from '../../src/workers/pipeline.js';
import { runShardLoop, type ShardNotice } from '../../src/workers/shard-loop.js';
import { ShardRingWriter, createShardRing } from '../../src/workers/shard-ring.js';
import { SHARD_STAT, createShardStats } from '../../src/workers/shard-stats.js';
import { pipeline } from '../fixtures/workers/fake-pipeline.js';

const spec = (version: number): RuleSetSpec => ({ version, falco: [{ name: 'r', text: `R${version}: *\n` }], rego: [], signatureDir: '', disabled: [], ruleMatching: 'all' });

function record(seq: number, name = 'openat'): Uint8Array {
  const evt = pipeline.parseTraceeLine(JSON.stringify({ eventName: name, processId: 1, args: [{ name: 'seq', value: seq }] }));
  assert.notEqual(typeof evt, 'string');
  return pipeline.encodeEvent(evt as Exclude<typeof evt, string>);
}

async function runOnce(ring: SharedArrayBuffer, stats: Float64Array, pending: number[] = []): Promise<Alert[]> {
  const channel = new MessageChannel();
  const alerts: Alert[] = [];
  const done = new Promise<void>((resolve) =>
    channel.port1.on('message', (n: ShardNotice) => {
      if (n.type === 'alerts') alerts.push(...n.alerts);
      if (n.type === 'stopped') resolve();
    }),
  );
  const loop = runShardLoop({
    shard: 0, shards: 1, ring, stats, port: channel.port2, pipeline, evaluator: pipeline.createShard({ shard: 0, procRoot: '', maxThreads: 1, maxFdsPerProcess: 1, maxContainers: 1 }),
    initial: (await pipeline.compile(spec(1))).rules!, pending: await Promise.all(pending.map(async (v) => (await pipeline.compile(spec(v))).rules!)), idleWaitMs: 5,
  });
  channel.port1.postMessage({ type: 'stop' });
  await loop;
  await done;
  channel.port1.close();
  return alerts;
}

test('control records switch the version exactly where they sit in the stream', async () => {
  const ring = createShardRing(1 << 16);
  const w = new ShardRingWriter(ring);
  for (const seq of [1, 2]) w.tryWrite(record(seq));
  w.tryWrite(pipeline.encodeControl(2));
  for (const seq of [3, 4]) w.tryWrite(record(seq));
  w.tryWrite(pipeline.encodeControl(3));
  w.tryWrite(record(5));
  const alerts = await runOnce(ring, createShardStats(), [2, 3]);
  assert.deepEqual(alerts.map((a) => [a.fields['seq'], a.rulesetVersion, a.rule]), [[1, 1, 'R1'], [2, 1, 'R1'], [3, 2, 'R2'], [4, 2, 'R2'], [5, 3, 'R3']]);
});

test('the record a dead worker was evaluating is skipped once by its replacement', async () => {
  const ring = createShardRing(1 << 16);
  const w = new ShardRingWriter(ring);
  const first = record(1);
  w.tryWrite(first);
  w.tryWrite(record(2, 'die-here'));
  w.tryWrite(record(3));
  const stats = createShardStats();
  // What a worker that died evaluating the second record leaves behind: its ring position + 1.
  stats[SHARD_STAT.inFlight] = first.length + 1;
  const alerts = await runOnce(ring, stats);
  assert.deepEqual(alerts.map((a) => a.fields['seq']), [1, 3]);
  assert.equal(stats[SHARD_STAT.poisonSkipped], 1);
  assert.equal(stats[SHARD_STAT.inFlight], 0);
});

test('an undecodable record is counted and skipped', async () => {
  const ring = createShardRing(1 << 16);
  const w = new ShardRingWriter(ring);
  w.tryWrite(record(1));
  const garbage = record(2);
  garbage.fill(0x7b, 8); // `{{{{…`: not JSON
  w.tryWrite(garbage);
  w.tryWrite(record(3));
  const stats = createShardStats();
  const alerts = await runOnce(ring, stats);
  assert.deepEqual(alerts.map((a) => a.fields['seq']), [1, 3]);
  assert.equal(stats[SHARD_STAT.decodeErrors], 1);
  assert.equal(stats[SHARD_STAT.recordsRead], 3);
});
