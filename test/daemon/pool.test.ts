/**
 * The shard pool: a worker that dies is replaced, its shard resumes from its ring, the failure is
 * counted. (The record a worker dies on mid-batch is skipped once by its replacement: shard-loop.ts.)
 * Also: a stop drains what is in the rings before the workers end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventLine, startTestDaemon } from './helpers.js';

test('a dying worker is restarted and its shard resumes without losing other events', async () => {
  const t = await startTestDaemon('All: *\n', ['workers=1']);
  try {
    const lines: string[] = [];
    for (let i = 1; i <= 300; i++) lines.push(eventLine(i));
    lines.push(JSON.stringify({ eventName: 'die', processId: 1, args: [{ name: 'seq', value: 0 }] }));
    for (let i = 301; i <= 600; i++) lines.push(eventLine(i));
    t.input.end(`${lines.join('\n')}\n`);
    await t.daemon.settle();
    const seqs = t.alerts.map((a) => a.fields['seq'] as number).sort((a, b) => a - b);
    // The poison event (seq 0) kills its worker just after its batch was committed.
    assert.deepEqual(seqs, Array.from({ length: 601 }, (_, i) => i), 'every event evaluated exactly once');
    const stats = t.daemon.stats();
    assert.equal(stats.shards[0]!.workerFailures, 1);
    assert.equal(stats.events.evaluated, 601);
  } finally {
    await t.daemon.stop();
  }
});

test('stop drains the rings before the workers end', async () => {
  const t = await startTestDaemon('All: *\n');
  const lines: string[] = [];
  for (let i = 1; i <= 5000; i++) lines.push(eventLine(i));
  t.input.end(`${lines.join('\n')}\n`);
  await t.daemon.inputDone;
  await t.daemon.stop();
  assert.equal(t.alerts.length, 5000);
});
