import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { VigilEvent } from '../../src/events/event.js';
import { StateTables } from '../../src/state/index.js';
import { encodeScap, replayScap, ScapSplitter, type ScapReadSummary } from '../../src/scap/index.js';
import { generateCapture } from './generate.js';

const { snapshot, events } = generateCapture(3);
const capture = encodeScap(snapshot, events);
const TREE_CHANGES = new Set(['clone', 'clone3', 'fork', 'vfork', 'execve', 'execveat', 'procexit', 'setuid', 'setresuid', 'setgid', 'setresgid']);
const shardOf = (pid: number) => (Math.imul(pid, 0x9e3779b1) >>> 16) % 2;

/** Splits `bytes` in `pieces` input chunks (so blocks straddle chunk borders) with small output chunks. */
function split(bytes: Buffer, pieces: number): Buffer[][] {
  const out: Buffer[][] = [[], []];
  const splitter = new ScapSplitter(2, shardOf, (shard, chunk) => out[shard]!.push(Buffer.from(chunk)), 4096);
  const step = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length; at += step) splitter.push(bytes.subarray(at, at + step));
  splitter.end();
  return out;
}

async function replay(chunks: Buffer[]): Promise<{ seen: VigilEvent[]; tables: StateTables; summary: ScapReadSummary }> {
  const tables = new StateTables();
  const seen: VigilEvent[] = [];
  const summary = await replayScap(Readable.from(chunks), { onEvent: (evt) => void seen.push(evt) }, tables);
  return { seen, tables, summary };
}

test('each shard of a split capture replays its processes\' events as a full replay does, plus every process-tree change', async () => {
  const full = await replay([capture]);
  assert.equal(full.summary.error, undefined);
  const shards = split(capture, 7);
  let owned = 0;
  for (const shard of [0, 1]) {
    const part = await replay(shards[shard]!);
    assert.equal(part.summary.error, undefined);
    const expected = full.seen.filter((e) => shardOf(e.pid) === shard || TREE_CHANGES.has(e.name));
    assert.ok(expected.length < full.seen.length);
    assert.deepEqual(part.seen, expected);
    owned += part.seen.filter((e) => shardOf(e.pid) === shard).length;
    assert.deepEqual([...part.tables.processes.values()].map((t) => t.tid).sort(), [...full.tables.processes.values()].map((t) => t.tid).sort());
  }
  // Every event is owned by exactly one shard.
  assert.equal(owned, full.seen.length);
});

test('a truncated capture is reported by every shard, after the events before the cut', async () => {
  const cut = capture.subarray(0, capture.length - 10);
  for (const chunks of split(cut, 3)) {
    const part = await replay(chunks);
    assert.match(part.summary.error?.message ?? '', /truncated capture/);
    assert.ok(part.seen.length > 0);
  }
});

test('a block with an impossible length is forwarded to every shard, whose parser names it', async () => {
  const bad = Buffer.from(capture);
  const lastBlock = bad.length - bad.readUInt32LE(bad.length - 4);
  bad.writeUInt32LE(5, lastBlock + 4);
  for (const chunks of split(bad, 1)) {
    const part = await replay(chunks);
    assert.match(part.summary.error?.message ?? '', /invalid block length 5/);
  }
});
