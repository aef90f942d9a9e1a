/**
 * What a second worker thread buys on this machine, independent of vigil: the same fixed job on one
 * worker, then on two workers at once (each doing the whole job), for three kinds of work:
 *   - arithmetic: no allocation at all;
 *   - cache-resident reads: random reads over 256 KiB (fits a core's L2), no allocation;
 *   - memory-bound reads: random reads over 64 MiB (misses every cache), no allocation;
 *   - short-lived objects: allocation that dies young (the scavenger's cheap case);
 *   - retained objects: allocation of which a fifth survives in a Map, as state tables keep
 *     processes and fds (survivors are copied by the scavenger and then marked in the old space).
 * slowdown = wall time of two workers / wall time of one; 1.00 means the second core is free.
 *
 *   node bench/machine/parallel.bench.mjs [ROUNDS]     (default 3)
 */
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const JOBS = {
  arithmetic() {
    let x = 0;
    const a = new Float64Array(1 << 16);
    for (let i = 0; i < 1e8; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      a[i & 0xffff] += x;
    }
    return x;
  },
  'cache-resident reads': () => randomReads(1 << 16),
  'memory-bound reads': () => randomReads(1 << 24),
  'short-lived objects': () => allocate(5000),
  'retained objects': () => allocate(5),
};

/** Dependent random reads (each index comes from the last value) over `words` 32-bit words. */
function randomReads(words) {
  const a = new Int32Array(words);
  for (let i = 0; i < words; i++) a[i] = (Math.imul(i, 0x9e3779b1) >>> 0) % words;
  let at = 0;
  for (let i = 0; i < 2e7; i++) at = a[(at + i) & (words - 1)];
  return at;
}

/** Builds objects shaped like small events; every `keepEvery`-th stays in a Map until the round ends. */
function allocate(keepEvery) {
  let sum = 0;
  for (let round = 0; round < 5; round++) {
    const kept = new Map();
    for (let i = 0; i < 1e6; i++) {
      const o = { a: i, b: `x${i}`, c: [i, i + 1], d: { e: i } };
      sum += o.c.length;
      if (i % keepEvery === 0) kept.set(i, o);
    }
  }
  return sum;
}

if (!isMainThread) {
  parentPort.postMessage(JOBS[workerData.job]());
} else {
  const rounds = Number(process.argv[2] ?? 3);
  const run = (job, workers) => new Promise((done, fail) => {
    const start = performance.now();
    let left = workers;
    for (let i = 0; i < workers; i++) {
      const w = new Worker(new URL(import.meta.url), { workerData: { job } });
      w.once('error', fail);
      w.once('message', () => {
        if (--left === 0) done(performance.now() - start);
      });
    }
  });
  const load = os.loadavg()[0];
  console.log('| work (each worker does the whole job) | 1 worker, ms (min) | 2 workers at once, ms (min) | slowdown |');
  console.log('|---|---:|---:|---:|');
  for (const job of Object.keys(JOBS)) {
    const one = [];
    const two = [];
    for (let r = 0; r < rounds; r++) {
      one.push(await run(job, 1));
      two.push(await run(job, 2));
    }
    const [a, b] = [Math.min(...one), Math.min(...two)];
    console.log(`| ${job} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
  }
  console.log(`${rounds} rounds; load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
}
