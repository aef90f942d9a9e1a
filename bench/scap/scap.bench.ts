/**
 * One capture, two evaluators, one run: vigil (reader → state tables → stable-style Falco rules,
 * on one and on two worker threads) against Debian's sysdig 0.29.3 evaluating the same rule
 * conditions, macros and lists expanded, OR-ed into one filter. Events/s = the capture's events
 * (syscall exits; sysdig also parses the enter halves) over wall-clock time, file read included;
 * vigil's workers load and compile the rules before the clock starts (a warm worker has also
 * been through the capture once, as a running daemon's JIT has); sysdig's start-up is timed.
 * Two-worker layouts: each worker reads the file and skips other shards' events (`wantsPid`), or
 * this thread reads the capture and routes wire records to shard workers (the daemon's layout).
 * ROUNDS rounds, evaluators interleaved; min and median per evaluator.
 *
 * Two captures: `story` (REPEAT copies of the coverage story of test/scap/generate.ts, 72 events each,
 * 30% of them process-tree changes that every shard must apply) and `host` (REPEAT × 72 events of
 * bench/scap/host-capture.ts, long-lived servers with a few percent of tree changes, as real hosts).
 *
 *   node --import tsx bench/scap/scap.bench.ts [story|host] [REPEAT] [ROUNDS]     (defaults story, 2000, 3)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { encodeEvent } from '../../src/events/encode.js';
import { eventById } from '../../src/events/event-table.js';
import { scapItems } from '../../src/scap/index.js';
import { encodeScap } from '../../src/scap/writer.js';
import type { ShardMessage } from './shard.worker.js';
import { shardOf } from './shard-of.js';
import { STABLE_STYLE_RULES } from '../falco/stable-style-rules.js';
import { generateCapture } from '../../test/scap/generate.js';
import { expandRules } from '../../test/scap/expand-rules.js';
import { generateHostCapture } from './host-capture.js';

interface WorkerResult { events: number; evaluated: number; alerts: number; error?: string }

/** Starts a worker and resolves once it has loaded and compiled the rules. */
function startWorker(file: string, shard: number, shards: number, warm: boolean): Promise<{ go: () => Promise<WorkerResult> }> {
  return new Promise((ready, reject) => {
    const worker = new Worker(new URL('./evaluate-bootstrap.mjs', import.meta.url), { workerData: { file, shard, shards, warm, split: false } });
    worker.once('error', reject);
    worker.once('message', () => ready({
      go: () => new Promise<WorkerResult>((done) => {
        worker.once('message', (result: WorkerResult) => {
          void worker.terminate();
          done(result);
        });
        worker.postMessage('go');
      }),
    }));
  });
}

async function vigil(file: string, shards: number, warm: boolean): Promise<{ ms: number; results: WorkerResult[] }> {
  const workers = await Promise.all(Array.from({ length: shards }, (_, k) => startWorker(file, k, shards, warm)));
  const start = performance.now();
  const results = await Promise.all(workers.map((w) => w.go()));
  return { ms: performance.now() - start, results };
}

/**
 * The daemon's layout: this thread reads the capture once and routes wire records to shard
 * workers (life-cycle records to all, the rest by pid), batch by batch. One untimed pass warms
 * the workers, then the timed pass.
 */
async function sharded(file: string, shards: number): Promise<{ ms: number; alerts: number }> {
  const workers = await Promise.all(Array.from({ length: shards }, (_, shard) => new Promise<Worker>((ready, reject) => {
    const w = new Worker(new URL('./shard-bootstrap.mjs', import.meta.url), { workerData: { shard, shards } });
    w.once('error', reject);
    w.once('message', () => ready(w));
  })));
  const pass = async (): Promise<{ ms: number; alerts: number }> => {
    const start = performance.now();
    for await (const item of scapItems(file)) {
      if (item.kind === 'seed') for (const w of workers) w.postMessage({ kind: 'seed', seed: item.seed } satisfies ShardMessage);
      if (item.kind !== 'events') continue;
      const batches: Uint8Array[][] = workers.map(() => []);
      for (const evt of item.events) {
        const record = encodeEvent(evt);
        if (eventById(evt.id)?.lifecycle) for (const b of batches) b.push(record);
        else batches[shardOf(evt.pid, shards)]!.push(record);
      }
      batches.forEach((records, k) => {
        const bytes = Buffer.concat(records);
        const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        workers[k]!.postMessage({ kind: 'records', bytes: copy } satisfies ShardMessage, [copy]);
      });
    }
    const results = await Promise.all(workers.map((w) => new Promise<{ alerts: number }>((done) => {
      w.once('message', done);
      w.postMessage({ kind: 'end' } satisfies ShardMessage);
    })));
    return { ms: performance.now() - start, alerts: results.reduce((n, r) => n + r.alerts, 0) };
  };
  await pass();
  const timed = await pass();
  await Promise.all(workers.map((w) => w.terminate()));
  return timed;
}

function sysdig(file: string, filter: string): { ms: number; matches: number } {
  const start = performance.now();
  const r = spawnSync('sysdig', ['-r', file, '-p', '%evt.num', filter], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`sysdig: ${r.stderr}`);
  return { ms, matches: r.stdout.split('\n').filter(Boolean).length };
}

const kind = process.argv[2] ?? 'story';
if (kind !== 'story' && kind !== 'host') throw new Error(`capture kind '${kind}': expected story or host`);
const repeat = Number(process.argv[3] ?? 2000);
const rounds = Number(process.argv[4] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'vigil-scap-bench-'));
const file = join(dir, 'bench.scap');
const { snapshot, events } = kind === 'story' ? generateCapture(repeat) : generateHostCapture(repeat * 72);
writeFileSync(file, encodeScap(snapshot, events));

// sysdig takes the conditions it can parse; the rest use fields 0.29.3 predates.
const accepted: string[] = [];
const rejected: string[] = [];
for (const rule of expandRules(STABLE_STYLE_RULES)) {
  const probe = spawnSync('sysdig', ['-r', file, '-n', '1', rule.condition], { encoding: 'utf8' });
  (probe.status === 0 ? accepted : rejected).push(probe.status === 0 ? rule.condition : rule.name);
}
const orFilter = `(${accepted.map((c) => `(${c})`).join(' or ')}) and evt.dir=<`;

type Row = { name: string; run: () => Promise<{ ms: number; alerts: number }> };
const total = (r: { ms: number; results: WorkerResult[] }) => ({ ms: r.ms, alerts: r.results.reduce((n, w) => n + w.alerts, 0) });
const rows: Row[] = [
  { name: 'vigil, 1 worker, cold JIT (all rules)', run: async () => total(await vigil(file, 1, false)) },
  { name: 'vigil, 1 worker, warm (all rules)', run: async () => total(await vigil(file, 1, true)) },
  { name: 'vigil, 2 workers, each reading the file, decoding its own pids, warm', run: async () => total(await vigil(file, 2, true)) },
  { name: 'vigil, reader thread + 1 shard worker (wire records), warm', run: () => sharded(file, 1) },
  { name: 'vigil, reader thread + 2 shard workers (wire records), warm', run: () => sharded(file, 2) },
  { name: 'sysdig 0.29.3, shared rules OR-ed', run: async () => { const r = sysdig(file, orFilter); return { ms: r.ms, alerts: r.matches }; } },
];
const n = events.length;
const rate = (ms: number): string => Math.round((n / ms) * 1000).toLocaleString('en-US');
const loadBefore = os.loadavg()[0]!;
// Rounds interleave the evaluators so a burst of load from elsewhere hits them alike.
const times: number[][] = rows.map(() => []);
const alerts: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const [i, row] of rows.entries()) {
    const r = await row.run();
    times[i]!.push(r.ms);
    alerts[i] = r.alerts;
  }
}
console.log(`capture: ${kind}, ${n.toLocaleString('en-US')} events (${(statSync(file).size / 1e6).toFixed(1)} MB); rules: ${accepted.length} shared with sysdig, not in sysdig 0.29.3: ${rejected.join(', ')}`);
console.log(`${rounds} rounds; load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
console.log('| evaluator | wall ms min / median | events/s best / median | alerts (vigil) / matching events (sysdig) |');
console.log('|---|---:|---:|---:|');
for (const [i, row] of rows.entries()) {
  const sorted = [...times[i]!].sort((x, y) => x - y);
  const [min, median] = [sorted[0]!, sorted[Math.floor(sorted.length / 2)]!];
  console.log(`| ${row.name} | ${min.toFixed(0)} / ${median.toFixed(0)} | ${rate(min)} / ${rate(median)} | ${alerts[i]} |`);
}
