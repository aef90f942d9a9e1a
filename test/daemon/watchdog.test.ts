/**
 * The shard watchdog. Unit: when a shard counts as stalled (unread records, no progress for the
 * timeout). End to end, on real worker threads with the fake pipeline, whose `hang` event busy-loops
 * in the worker and whose `#hang-in-worker` rules line busy-loops a worker's compile:
 *  - a worker stuck on an event is terminated and replaced; the shard resumes, the stuck record is
 *    skipped once, every other event is evaluated once, the failure is counted as stalled;
 *  - a reload issued while a worker is stuck fails naming the shard, the running set stays, the next works;
 *  - a prepare no worker acknowledges fails the reload after the timeout, and the workers are restarted;
 *  - a control record waiting on the full ring of a stuck worker lands once it is replaced;
 *  - with the timeout 0, a worker that spins is left alone;
 *  - a worker that hangs while starting is ended after the start timeout, named with its step;
 *  - on the real pipeline, a JS signature in the rules dir whose onEvent loops forever.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { StallWatch, type ShardProgress } from '../../src/daemon/watchdog.js';
import { pipeline } from '../fixtures/workers/fake-pipeline.js';
import { REAL_PIPELINE, eventLine, startTestDaemon, type TestDaemon } from './helpers.js';

const at = (depth: number, bytesRead: number, inFlight = 0): ShardProgress => ({ depth, bytesRead, inFlight });

test('a shard is stalled only with unread records and no progress for the timeout', () => {
  const w = new StallWatch(1000);
  w.reset(0, at(0, 0), 0);
  assert.equal(w.stalled(0, at(0, 0), 5000), false, 'an empty ring is idle, not stalled');
  assert.equal(w.stalled(0, at(100, 0), 5100), false, 'the clock runs from the last look at an empty ring');
  assert.equal(w.stalled(0, at(100, 0), 5999), false);
  assert.equal(w.stalled(0, at(100, 0, 17), 6099), false, 'a new record under evaluation is progress');
  assert.equal(w.stalled(0, at(100, 50, 17), 7000), false, 'a committed batch is progress');
  assert.equal(w.stalled(0, at(100, 50, 17), 7999), false);
  assert.equal(w.stalled(0, at(100, 50, 17), 8000), true);
  w.forget(0);
  assert.equal(w.stalled(0, at(100, 50, 17), 9000), false, 'a shard without a running worker is not judged');
  const off = new StallWatch(0);
  off.reset(0, at(100, 0), 0);
  assert.equal(off.stalled(0, at(100, 0), 1e9), false, 'timeout 0 disables');
});

function hangLine(marker: string, spinMs?: number): string {
  const args = [{ name: 'seq', value: 0 }, { name: 'marker', value: marker }, ...(spinMs ? [{ name: 'spinMs', value: spinMs }] : [])];
  return JSON.stringify({ eventName: 'hang', processId: 1, args });
}

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => eventLine(from + i)).join('\n') + '\n';

async function until(what: string, check: () => boolean, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Replay events 1..n, then an event that wedges its worker; resolves once the worker is stuck in it. */
async function wedge(t: TestDaemon, n: number): Promise<void> {
  const marker = join(t.dir, `hang-${Date.now()}`);
  t.input.write(lines(1, n) + hangLine(marker) + '\n');
  await until('the worker reaches the hang event', () => existsSync(marker));
}

const seqs = (t: TestDaemon) => t.alerts.map((a) => a.fields['seq'] as number).sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('a worker stuck in an event is restarted, its shard resumes, the failure counts as stalled', async () => {
  const t = await startTestDaemon('All: *\n', ['workers=1', 'workers_stall_timeout=1']);
  try {
    await wedge(t, 100);
    t.input.end(lines(101, 200));
    await t.daemon.settle();
    assert.deepEqual(seqs(t), range(1, 200), 'every event but the stuck one evaluated exactly once');
    const shard = t.daemon.stats().shards[0]!;
    assert.deepEqual(shard.workerFailuresByReason, { crashed: 0, stalled: 1 });
    assert.equal(shard.workerFailures, 1);
    const stalls = t.logs.filter((l) => /shard 0 worker stalled/.test(l));
    assert.equal(stalls.length, 1, `logged once: ${t.logs.join('\n')}`);
    assert.match(stalls[0]!, /no progress for 1 s/);
    const stats = (await (await t.request('/stats')).json()) as { shards: { workerFailuresByReason: { stalled: number } }[] };
    assert.equal(stats.shards[0]!.workerFailuresByReason.stalled, 1);
    const metrics = await (await t.request('/metrics')).text();
    assert.match(metrics, /vigil_worker_failures_total\{shard="0",reason="stalled"\} 1/);
    assert.match(metrics, /vigil_worker_failures_total\{shard="0",reason="crashed"\} 0/);
  } finally {
    await t.daemon.stop();
  }
});

test('a reload issued while a worker is stuck fails naming the shard; the running set stays; the next reload works', async () => {
  const t = await startTestDaemon('R1: *\n', ['workers=1', 'workers_stall_timeout=1']);
  try {
    await wedge(t, 10);
    await writeFile(t.rulesFile, 'R2: *\n');
    const refused = await t.request('/rules/reload', { method: 'POST' });
    assert.equal(refused.status, 503, "a set the workers could not take: retry later");
    const body = (await refused.json()) as { message: string };
    assert.match(body.message, /worker for shard 0 .*rule set v2.*it was restarted/);
    assert.equal(t.daemon.rules.currentVersion, 1, 'the running set stays');
    assert.equal(t.daemon.rules.reloadHistory().at(-1)!.ok, false);

    t.input.write(lines(11, 20));
    await until('events after the stuck one are evaluated', () => t.alerts.length === 20);
    assert.ok(t.alerts.every((a) => a.rulesetVersion === 1 && a.rule === 'R1'));

    const ok = await t.request('/rules/reload', { method: 'POST' });
    assert.equal(ok.status, 200);
    assert.equal(t.daemon.rules.currentVersion, 2);
    t.input.end(lines(21, 30));
    await t.daemon.settle();
    assert.deepEqual(seqs(t), range(1, 30));
    assert.ok(t.alerts.filter((a) => (a.fields['seq'] as number) > 20).every((a) => a.rule === 'R2' && a.rulesetVersion === 2));
    assert.equal(t.daemon.stats().shards[0]!.workerFailuresByReason.stalled, 1);
  } finally {
    await t.daemon.stop();
  }
});

test('a prepare the workers do not acknowledge in time fails the reload; they restart on the running set', async () => {
  const t = await startTestDaemon('R1: *\n', ['workers=2', 'workers_stall_timeout=1']);
  try {
    await writeFile(t.rulesFile, 'R2: *\n#hang-in-worker\n');
    await assert.rejects(t.daemon.rules.reload('test'), (err: Error) => {
      for (const shard of [0, 1]) assert.match(err.message, new RegExp(`worker for shard ${shard} did not acknowledge rule set v2 within 1 s; it was restarted`));
      return true;
    });
    assert.equal(t.daemon.rules.currentVersion, 1);
    await until('both workers are counted as stalled', () => t.daemon.stats().shards.every((s) => s.workerFailuresByReason.stalled === 1));

    t.input.write(lines(1, 50));
    await until('the restarted workers evaluate', () => t.alerts.length === 50);
    assert.ok(t.alerts.every((a) => a.rule === 'R1'), 'the refused set never ran');

    await writeFile(t.rulesFile, 'R2: *\n');
    assert.equal((await t.daemon.rules.reload('test')).version, 2);
    t.input.end(lines(51, 100));
    await t.daemon.settle();
    assert.deepEqual(seqs(t), range(1, 100));
    assert.ok(t.alerts.filter((a) => (a.fields['seq'] as number) > 50).every((a) => a.rule === 'R2'));
  } finally {
    await t.daemon.stop();
  }
});

test('a control record waiting for room in a stuck worker\'s full ring lands once the worker is replaced', async () => {
  const t = await startTestDaemon('All: *\n', ['workers=1', 'workers_stall_timeout=1', 'ring_size=65536']);
  try {
    await wedge(t, 10);
    // Far more than the ring holds: the replay writer waits for room, then the control record behind it.
    t.input.write(lines(11, 1000));
    await until('the ring is full', () => t.daemon.stats().shards[0]!.queueDepthBytes > 60_000);
    await t.daemon.replay!.insertControl(pipeline.encodeControl(1));
    t.input.end();
    await t.daemon.settle();
    assert.deepEqual(seqs(t), range(1, 1000));
    assert.equal(t.daemon.stats().shards[0]!.workerFailuresByReason.stalled, 1);
  } finally {
    await t.daemon.stop();
  }
});

test('with workers_stall_timeout 0 a spinning worker is not restarted', async () => {
  const t = await startTestDaemon('All: *\n', ['workers=1', 'workers_stall_timeout=0']);
  try {
    const marker = join(t.dir, 'spin');
    // Spins three times as long as the timeout the other tests use, then carries on.
    t.input.end(lines(1, 10) + hangLine(marker, 3000) + '\n' + lines(11, 20));
    await t.daemon.settle();
    assert.ok(existsSync(marker));
    assert.deepEqual(seqs(t), range(0, 20), 'the spinning event finished and alerted too');
    assert.deepEqual(t.daemon.stats().shards[0]!.workerFailuresByReason, { crashed: 0, stalled: 0 });
  } finally {
    await t.daemon.stop();
  }
});

test('a JS signature whose onEvent never returns is ended like a crash (real pipeline)', async () => {
  let marker = '';
  const t = await startTestDaemon(
    '- rule: Never\n  desc: never matches\n  condition: evt.type = execve and proc.name = no-such-process\n  output: never\n  priority: WARNING\n',
    ['workers=1', 'workers_stall_timeout=1'],
    (c) => {
      const dir = join(c.rules_files[0]!, '..');
      c.rules_dir = dir;
      marker = join(dir, 'spinning');
      writeFileSync(
        join(dir, 'spinner.mjs'),
        `import { writeFileSync } from 'node:fs';
export default {
  cb: null,
  init(cb) { this.cb = cb; },
  getMetadata() { return { ID: 'SPIN-1', Version: '1', Name: 'spinner', Description: 'loops on close(77)', Tags: [], Properties: { Severity: 1 } }; },
  getSelectedEvents() { return [{ Source: 'tracee', Name: 'close', Origin: '*' }]; },
  onEvent(event) {
    const fd = event.Payload.args?.find((a) => a.name === 'fd')?.value;
    if (fd === 77) { writeFileSync(${JSON.stringify(marker)}, ''); for (;;) {} }
    this.cb({ Data: { fd }, Event: event, SigMetadata: this.getMetadata() });
  },
  onSignal() {},
  close() {},
};
`,
      );
    },
    REAL_PIPELINE,
  );
  const close = (fd: number) =>
    JSON.stringify({
      timestamp: 1_700_000_000_000_000_000 + fd, processId: 50, threadId: 50, hostProcessId: 50, hostThreadId: 50, processName: 'app', hostName: 'h',
      eventId: '3', eventName: 'close', returnValue: 0, args: [{ name: 'fd', type: 'int', value: fd }],
    });
  try {
    t.input.write(range(1, 20).map(close).join('\n') + '\n' + close(77) + '\n');
    await until('the signature spins', () => existsSync(marker));
    t.input.end(range(21, 40).map(close).join('\n') + '\n');
    await t.daemon.settle();
    assert.equal(t.alerts.filter((a) => a.engine === 'tracee').length, 40, 'every close but the one it hung on');
    assert.equal(t.daemon.stats().shards[0]!.workerFailuresByReason.stalled, 1);
  } finally {
    await t.daemon.stop();
  }
});

test('a worker that hangs while starting is restarted and named with its step; the daemon starts, serves and stops', async () => {
  // The fake pipeline's compile spins in a worker on this line (the main thread's compile accepts it).
  const t = await startTestDaemon('R1: *\n#hang-in-worker\n', ['workers=1', 'workers_start_timeout=5']);
  try {
    await until('a hung start is logged naming the compile', () => t.logs.some((l) => /shard 0 worker stalled and was restarted: did not finish starting within 5 s \(it was compiling rule set v1\)/.test(l)));
    assert.ok(t.daemon.stats().shards[0]!.workerFailuresByReason.stalled >= 1);
    assert.equal((await t.request('/healthz')).status, 200, 'the API serves while the shard restarts');
  } finally {
    await t.daemon.stop();
  }
});
