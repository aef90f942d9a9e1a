/**
 * Live throughput of the whole daemon under the one-thread syscall generator, next to the bare
 * libbpf consumer in the same run. Each round starts `vigil run` (built-in rules, W shard workers,
 * stdout off) as its own process and `bare_consumer.c` on a second copy of the BPF object, then
 * `generator.c` does N × close(-1). The daemon's GET /stats is read when the generator starts, when
 * it ends, and once the shard rings are drained (or after --drain-s). Reported per round: events/s
 * offered; the bare consumer's drain rate of the generator's records; the daemon's kernel records
 * read/s and events evaluated/s over the generator's run; evaluated/s until drained; kernel drops
 * and shard drops over the round. Daemon figures count every process's events (the generator's plus
 * the machine's background), the bare figure only the generator's.
 *
 *   node --import tsx bench/pipeline/live.bench.ts [--syscalls N] [--rounds R] [--workers 1,2]
 *
 * Needs root, kernel BTF and the built sensor (npm install).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { childLines } from './child-lines.js';

const { values } = parseArgs({ options: { syscalls: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '2' }, workers: { type: 'string', default: '1,2' }, 'drain-s': { type: 'string', default: '30' } } });
const SYSCALLS = Number(values.syscalls);
const ROUNDS = Number(values.rounds);
const WORKERS = values.workers.split(',').map(Number);
const DRAIN_MS = Number(values['drain-s']) * 1000;
const CLOSE_EVENT_ID = 12;
const GENERATOR_DELAY_MS = 300;
const PORT = 18765;
const TOKEN = 'bench-token-0123456789abcdef';

const here = new URL('.', import.meta.url).pathname;
const root = new URL('../../', import.meta.url).pathname;
const bpf = join(root, 'bpf/');
const bin = mkdtempSync(join(tmpdir(), 'vigil-live-bench-'));
execFileSync('gcc', ['-O2', '-o', join(bin, 'generator'), join(here, 'generator.c')]);
execFileSync('gcc', ['-O2', `-I${bpf}.output`, `-I${bpf}include`, '-o', join(bin, 'bare_consumer'), join(here, 'bare_consumer.c'), '-lbpf', '-lelf', '-lz']);

interface Stats {
  events: { evaluated: number };
  shards: { drops: number; queueDepthBytes: number }[];
  kernel: { drops: number; recordsRead: number };
}

interface Round {
  workers: number;
  offeredPerS: number;
  barePerS: number;
  readPerS: number;
  evaluatedPerS: number;
  evaluatedToDrainPerS: number;
  drainedAfterS: number;
  bareDrops: number;
  kernelDrops: number;
  shardDrops: number;
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stats(): Promise<Stats> {
  return (await (await fetch(`http://127.0.0.1:${PORT}/stats`)).json()) as Stats;
}

async function startDaemon(workers: number): Promise<ChildProcess> {
  const daemon = spawn(process.execPath, [join(root, 'bin/vigil.js'), 'run', '-o', `workers=${workers}`, '-o', `api.listen=127.0.0.1:${PORT}`, '-o', `api.token=${TOKEN}`, '-o', 'stdout_output.enabled=false'], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 600; i++) {
    if (daemon.exitCode !== null) throw new Error(`vigil run exited ${daemon.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) return daemon;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('vigil run did not become healthy in 60 s');
}

async function round(workers: number): Promise<Round> {
  const pidFile = join(bin, 'generator.pid');
  writeFileSync(pidFile, '');
  const daemon = await startDaemon(workers);
  const bare = spawn(join(bin, 'bare_consumer'), [String(CLOSE_EVENT_ID), pidFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bareOut = childLines(bare);
  if ((await bareOut.next()).value !== 'ready') throw new Error('bare consumer did not start');
  await sleep(1000); // the workers' first batches (JIT) before measuring

  const gen = spawn(join(bin, 'generator'), [String(SYSCALLS), String(GENERATOR_DELAY_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  writeFileSync(pidFile, String(gen.pid));
  await sleep(GENERATOR_DELAY_MS);
  const s0 = await stats();
  const t0 = performance.now();
  const genResult = JSON.parse((await childLines(gen).next()).value as string) as { syscalls: number; seconds: number };
  const s1 = await stats();
  const t1 = performance.now();
  let s2 = s1;
  let t2 = t1;
  while (t2 - t1 < DRAIN_MS) {
    await sleep(100);
    s2 = await stats();
    t2 = performance.now();
    if (s2.shards.every((s) => s.queueDepthBytes === 0)) break;
  }
  bare.kill('SIGTERM');
  const bareResult = JSON.parse((await bareOut.next()).value as string) as { ofPid: number; kernelDrops: number };
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));

  const shardDrops = (s: Stats) => s.shards.reduce((a, b) => a + b.drops, 0);
  const window = (t1 - t0) / 1000;
  return {
    workers,
    offeredPerS: Math.round(genResult.syscalls / genResult.seconds),
    barePerS: Math.round(bareResult.ofPid / genResult.seconds),
    readPerS: Math.round((s1.kernel.recordsRead - s0.kernel.recordsRead) / window),
    evaluatedPerS: Math.round((s1.events.evaluated - s0.events.evaluated) / window),
    evaluatedToDrainPerS: Math.round((s2.events.evaluated - s0.events.evaluated) / ((t2 - t0) / 1000)),
    drainedAfterS: Math.round((t2 - t1) / 100) / 10,
    bareDrops: bareResult.kernelDrops,
    kernelDrops: s2.kernel.drops - s0.kernel.drops,
    shardDrops: shardDrops(s2) - shardDrops(s0),
  };
}

const results: Round[] = [];
for (const w of WORKERS) for (let i = 0; i < ROUNDS; i++) results.push(await round(w));
console.log(`live: ${SYSCALLS} close(-1) per round; vigil run (built-in rules) and the bare consumer side by side`);
console.log('workers  offered/s  bare/s  read/s  evaluated/s  evaluated/s to drain (drained after s)  bare drops  kernel drops  shard drops');
for (const r of results) {
  console.log([r.workers, r.offeredPerS, r.barePerS, r.readPerS, r.evaluatedPerS, `${r.evaluatedToDrainPerS} (${r.drainedAfterS})`, r.bareDrops, r.kernelDrops, r.shardDrops].join('  '));
}
console.log(JSON.stringify(results));
