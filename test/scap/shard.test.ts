import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { VigilEvent } from '../../src/events/event.js';
import { StateTables } from '../../src/state/index.js';
import { encodeScap, replayScap } from '../../src/scap/index.js';
import { generateCapture } from './generate.js';

const { snapshot, events } = generateCapture(3);
const capture = encodeScap(snapshot, events);
const TREE_CHANGES = new Set(['clone', 'clone3', 'fork', 'vfork', 'execve', 'execveat', 'procexit', 'setuid', 'setresuid', 'setgid', 'setresgid']);

async function replay(wantsPid?: (pid: number) => boolean): Promise<{ seen: VigilEvent[]; tables: StateTables; otherShards: number }> {
  const tables = new StateTables();
  const seen: VigilEvent[] = [];
  const summary = await replayScap(Readable.from([capture]), { onEvent: (evt) => void seen.push(evt), wantsPid }, tables);
  assert.equal(summary.error, undefined);
  return { seen, tables, otherShards: summary.stats.otherShards };
}

test("a shard's replay delivers its processes' events, decoded as in a full replay, plus every process-tree change", async () => {
  const full = await replay();
  assert.equal(full.otherShards, 0);
  for (const shard of [0, 1]) {
    const mine = (pid: number) => pid % 2 === shard;
    const part = await replay(mine);
    const expected = full.seen.filter((e) => mine(e.pid) || TREE_CHANGES.has(e.name));
    assert.ok(part.otherShards > 0);
    assert.ok(expected.length < full.seen.length);
    assert.deepEqual(part.seen, expected);
    // Every shard keeps the whole process tree.
    assert.deepEqual([...part.tables.processes.values()].map((t) => t.tid).sort(), [...full.tables.processes.values()].map((t) => t.tid).sort());
  }
});
