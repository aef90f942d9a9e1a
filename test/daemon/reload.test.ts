/**
 * Lossless hot reload: N numbered events are replayed at full speed while the rules are reloaded
 * 50 times over the API. Every event must be evaluated exactly once, every alert must come from
 * the version it names (each version's rule has its own name), versions never go backwards along
 * the stream (the barrier sits at one position of the stream in every shard), and the counts add up.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { eventLine, startTestDaemon } from './helpers.js';

const N = 40_000;
const RELOADS = 50;

test('50 reloads during a full-speed replay lose no event and mix no versions', async () => {
  const t = await startTestDaemon('R0: *\n');
  try {
    const chunk = Math.ceil(N / RELOADS);
    let previous: Promise<Response> = Promise.resolve(new Response());
    const responses: Promise<Response>[] = [];
    let seq = 0;
    for (let k = 1; k <= RELOADS; k++) {
      const lines: string[] = [];
      for (let i = 0; i < chunk && seq < N; i++) lines.push(eventLine(++seq));
      if (!t.input.write(`${lines.join('\n')}\n`)) await new Promise((r) => t.input.once('drain', r));
      await previous;
      await writeFile(t.rulesFile, `R${k}: *\n`);
      previous = t.request('/rules/reload', { method: 'POST' });
      responses.push(previous);
    }
    t.input.end();
    const statuses = await Promise.all(responses.map(async (r) => (await r).status));
    assert.deepEqual(new Set(statuses), new Set([200]));
    await t.daemon.settle();

    assert.equal(t.alerts.length, N, 'one alert per event');
    const bySeq = new Map<number, number>();
    for (const a of t.alerts) {
      const s = a.fields['seq'] as number;
      assert.ok(!bySeq.has(s), `event ${s} evaluated twice`);
      bySeq.set(s, a.rulesetVersion);
      assert.equal(a.rule, `R${a.rulesetVersion - 1}`, 'the alert comes from the version it names');
    }
    let last = 0;
    for (let s = 1; s <= N; s++) {
      const v = bySeq.get(s);
      assert.ok(v !== undefined, `event ${s} never evaluated`);
      assert.ok(v >= last, `event ${s} saw version ${v} after an earlier event saw ${last}`);
      last = v;
    }
    assert.ok(last <= RELOADS + 1);
    assert.ok(new Set(bySeq.values()).size > 1, 'reloads happened during the replay');

    const stats = t.daemon.stats();
    assert.equal(stats.events.evaluated, N);
    assert.equal(stats.alerts.total, N);
    assert.equal(Object.values(stats.alerts.byVersion).reduce((a, b) => a + b, 0), N);
    assert.equal(stats.rules.version, RELOADS + 1);
    assert.equal(stats.rules.reloads.filter((r) => r.ok).length, RELOADS + 1);
    assert.equal(stats.events.read, N + RELOADS * stats.shards.length, 'records = events + one control record per reload per shard');
  } finally {
    await t.daemon.stop();
  }
});
