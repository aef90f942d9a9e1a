/**
 * Lossless hot reload: N numbered events are replayed at full speed while the rules are reloaded
 * 50 times over the API. Every event must be evaluated exactly once, every alert must come from
 * the version it names (each version's rule has its own name), versions never go backwards along
 * the stream (the barrier sits at one position of the stream in every shard), and the counts add
 * up. Run twice: on the fake pipeline with many events, and on the real one (wire format, state
 * tables, Falco engine and Tracee signatures in the workers).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import { REAL_PIPELINE, eventLine, startTestDaemon } from './helpers.js';

const RELOADS = 50;

interface Scenario {
  events: number;
  pipelineUrl?: string;
  rules(k: number): string;
  line(seq: number): string;
  seqOf(alert: Alert): number;
}

async function reloadDuringReplay(s: Scenario): Promise<void> {
  const t = await startTestDaemon(s.rules(0), [], undefined, s.pipelineUrl);
  try {
    const chunk = Math.ceil(s.events / RELOADS);
    let previous: Promise<Response> = Promise.resolve(new Response());
    const responses: Promise<Response>[] = [];
    let seq = 0;
    for (let k = 1; k <= RELOADS; k++) {
      const lines: string[] = [];
      for (let i = 0; i < chunk && seq < s.events; i++) lines.push(s.line(++seq));
      if (!t.input.write(`${lines.join('\n')}\n`)) await new Promise((r) => t.input.once('drain', r));
      await previous;
      await writeFile(t.rulesFile, s.rules(k));
      previous = t.request('/rules/reload', { method: 'POST' });
      responses.push(previous);
    }
    t.input.end();
    const statuses = await Promise.all(responses.map(async (r) => (await r).status));
    assert.deepEqual(new Set(statuses), new Set([200]));
    await t.daemon.settle();

    assert.equal(t.alerts.length, s.events, 'one alert per event');
    const versionOf = new Map<number, number>();
    for (const a of t.alerts) {
      const n = s.seqOf(a);
      assert.ok(!versionOf.has(n), `event ${n} evaluated twice`);
      versionOf.set(n, a.rulesetVersion);
      assert.equal(a.rule, `R${a.rulesetVersion - 1}`, 'the alert comes from the version it names');
    }
    let last = 0;
    for (let n = 1; n <= s.events; n++) {
      const v = versionOf.get(n);
      assert.ok(v !== undefined, `event ${n} never evaluated`);
      assert.ok(v >= last, `event ${n} saw version ${v} after an earlier event saw ${last}`);
      last = v;
    }
    assert.ok(new Set(versionOf.values()).size > 1, 'reloads happened during the replay');

    const stats = t.daemon.stats();
    assert.equal(stats.events.evaluated, s.events);
    assert.equal(stats.alerts.total, s.events);
    assert.equal(Object.values(stats.alerts.byVersion).reduce((a, b) => a + b, 0), s.events);
    assert.equal(stats.rules.version, RELOADS + 1);
    assert.equal(stats.rules.reloads.filter((r) => r.ok).length, RELOADS + 1);
    assert.equal(stats.events.read, s.events + RELOADS * stats.shards.length, 'records = events + one control record per reload per shard');
  } finally {
    await t.daemon.stop();
  }
}

test('50 reloads during a full-speed replay lose no event and mix no versions (fake pipeline)', () =>
  reloadDuringReplay({
    events: 40_000,
    rules: (k) => `R${k}: *\n`,
    line: (seq) => eventLine(seq),
    seqOf: (a) => a.fields['seq'] as number,
  }));

test('the same on the real pipeline: Falco rules, state tables and signatures in the workers', () =>
  reloadDuringReplay({
    events: 10_000,
    pipelineUrl: REAL_PIPELINE,
    rules: (k) => `- rule: R${k}\n  desc: every open of a numbered file\n  condition: evt.type = openat and fd.name startswith /tmp/vigil-seq/\n  output: opened %fd.name\n  priority: WARNING\n`,
    line: (seq) =>
      JSON.stringify({
        timestamp: 1_700_000_000_000_000_000 + seq, processorId: 0, processId: 100 + (seq % 13), threadId: 100 + (seq % 13), parentProcessId: 1,
        hostProcessId: 100 + (seq % 13), hostThreadId: 100 + (seq % 13), hostParentProcessId: 1, userId: 0, mountNamespace: 1, pidNamespace: 1,
        processName: 'cat', hostName: 'h', containerId: '', eventId: '257', eventName: 'openat', argsNum: 4, returnValue: 3, stackAddresses: null,
        args: [
          { name: 'dirfd', type: 'int', value: -100 },
          { name: 'pathname', type: 'const char*', value: `/tmp/vigil-seq/${seq}` },
          { name: 'flags', type: 'string', value: 'O_RDONLY' },
          { name: 'mode', type: 'mode_t', value: 0 },
        ],
      }),
    seqOf: (a) => Number(String(a.fields['fd.name']).split('/').pop()),
  }));
