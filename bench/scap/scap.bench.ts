/**
 * One capture, two evaluators, one run: vigil (reader → state tables → stable-style Falco rules,
 * on one and on two worker threads) against Debian's sysdig 0.29.3 evaluating the same rule
 * conditions, macros and lists expanded, OR-ed into one filter. Events/s = the capture's events
 * (syscall exits; sysdig also parses the enter halves) over wall-clock time, file read included;
 * vigil's workers load and compile the rules before the clock starts (a warm worker has also
 * been through the capture once, as a running daemon's JIT has); sysdig's start-up is timed.
 *
 *   node --import tsx bench/scap/scap.bench.ts [REPEAT]     (REPEAT copies of the generated story, default 3000)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { encodeEvent } from '../../src/events/encode.js';
import { eventById } from '../../src/events/event-table.js';
import { scapItems } from '../../src/scap/index.js';
import { encodeScap } from '../../src/scap/writer.js';
import type { ShardMessage } from './shard.worker.js';
import { STABLE_STYLE_RULES } from '../falco/stable-style-rules.js';
import { generateCapture } from '../../test/scap/generate.js';
import { expandRules } from '../../test/scap/expand-rules.js';

interface WorkerResult { events: number; evaluated: number; alerts: number; ms: number; error?: string }

/** Starts a worker and resolves once it has loaded and compiled the rules. */
function startWorker(file: string, shard: number, shards: number, warm: boolean): Promise<{ go: () => Promise<WorkerResult> }> {
  return new Promise((ready, reject) => {
    const worker = new Worker(new URL('./evaluate-bootstrap.mjs', import.meta.url), { workerData: { file, shard, shards, warm } });
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
        else batches[evt.pid % shards]!.push(record);
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

const repeat = Number(process.argv[2] ?? 3000);
const dir = mkdtempSync(join(tmpdir(), 'vigil-scap-bench-'));
const file = join(dir, 'bench.scap');
const { snapshot, events } = generateCapture(repeat);
writeFileSync(file, encodeScap(snapshot, events));

// sysdig takes the conditions it can parse; the rest use fields 0.29.3 predates.
const accepted: string[] = [];
const rejected: string[] = [];
for (const rule of expandRules(STABLE_STYLE_RULES)) {
  const probe = spawnSync('sysdig', ['-r', file, '-n', '1', rule.condition], { encoding: 'utf8' });
  (probe.status === 0 ? accepted : rejected).push(probe.status === 0 ? rule.condition : rule.name);
}
const orFilter = `(${accepted.map((c) => `(${c})`).join(' or ')}) and evt.dir=<`;

const cold = await vigil(file, 1, false);
const one = await vigil(file, 1, true);
const two = await vigil(file, 2, true);
const routed1 = await sharded(file, 1);
const routed2 = await sharded(file, 2);
const ref = sysdig(file, orFilter);
const n = events.length;
const rate = (ms: number): string => Math.round((n / ms) * 1000).toLocaleString('en-US');
console.log(`capture: ${n.toLocaleString('en-US')} events (${(statSync(file).size / 1e6).toFixed(1)} MB, ${repeat} stories); rules: ${accepted.length} shared with sysdig, not in sysdig 0.29.3: ${rejected.join(', ')}`);
console.log('| evaluator | wall ms | events/s | alerts (vigil) / matching events (sysdig) |');
console.log('|---|---:|---:|---:|');
console.log(`| vigil, 1 worker, cold JIT (all rules) | ${cold.ms.toFixed(0)} | ${rate(cold.ms)} | ${cold.results[0]!.alerts} |`);
console.log(`| vigil, 1 worker, warm (all rules) | ${one.ms.toFixed(0)} | ${rate(one.ms)} | ${one.results[0]!.alerts} |`);
console.log(`| vigil, 2 workers, each decoding its own pids, warm (all rules) | ${two.ms.toFixed(0)} | ${rate(two.ms)} | ${two.results.reduce((a, r) => a + r.alerts, 0)} |`);
console.log(`| vigil, reader thread + 1 shard worker, warm (all rules) | ${routed1.ms.toFixed(0)} | ${rate(routed1.ms)} | ${routed1.alerts} |`);
console.log(`| vigil, reader thread + 2 shard workers, warm (all rules) | ${routed2.ms.toFixed(0)} | ${rate(routed2.ms)} | ${routed2.alerts} |`);
console.log(`| sysdig 0.29.3, shared rules OR-ed | ${ref.ms.toFixed(0)} | ${rate(ref.ms)} | ${ref.matches} |`);
