/**
 * The live pipeline against a bare C consumer, side by side in the same run: one BPF object loaded
 * twice (the bare libbpf consumer's copy and vigil's), the same one-thread syscall generator feeding
 * both, each draining its own ring buffer. vigil's addon copies every record into shard rings that JS
 * drains; the bare consumer only counts. Reported: events/s drained by each, the ratio, and drops.
 *
 *   node --import tsx bench/pipeline/pipeline.bench.ts [--syscalls N] [--rounds R] [--shards S]
 *
 * Needs root, kernel BTF and the built sensor (npm install).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { childLines } from './child-lines.js';
import { HDR } from '../../src/events/wire.js';
import { Sensor, ShardReader } from '../../src/sensor/index.js';

const { values } = parseArgs({ options: { syscalls: { type: 'string', default: '2000000' }, rounds: { type: 'string', default: '3' }, shards: { type: 'string', default: '2' } } });
const SYSCALLS = Number(values.syscalls);
const ROUNDS = Number(values.rounds);
const SHARDS = Number(values.shards);
const CLOSE_EVENT_ID = 12;

const here = new URL('.', import.meta.url).pathname;
const bpf = new URL('../../bpf/', import.meta.url).pathname;
const bin = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
execFileSync('gcc', ['-O2', '-o', join(bin, 'generator'), join(here, 'generator.c')]);
execFileSync('gcc', ['-O2', `-I${bpf}.output`, `-I${bpf}include`, '-o', join(bin, 'bare_consumer'), join(here, 'bare_consumer.c'), '-lbpf', '-lelf', '-lz']);

interface Round { offered: number; bare: number; vigil: number; bareDrops: number; kernelDrops: number; shardDrops: number; genSeconds: number }


async function round(): Promise<Round> {
  const pidFile = join(bin, 'generator.pid');
  writeFileSync(pidFile, '');
  const bare = spawn(join(bin, 'bare_consumer'), [String(CLOSE_EVENT_ID), pidFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bareOut = childLines(bare);
  if ((await bareOut.next()).value !== 'ready') throw new Error('bare consumer did not start');

  const sensor = new Sensor({ events: ['close'], shards: SHARDS, shardRingBytes: 64 << 20 });
  const rings = sensor.start();
  const readers = rings.map((sab) => new ShardReader(sab));
  let genPid = -1;
  let vigil = 0;
  const drain = () => {
    for (const r of readers) {
      r.drain((bytes, offset) => {
        if (bytes[offset + HDR.PID]! | (bytes[offset + HDR.PID + 1]! << 8) | (bytes[offset + HDR.PID + 2]! << 16) | (bytes[offset + HDR.PID + 3]! << 24)) {
          const pid = new DataView(bytes.buffer, bytes.byteOffset + offset + HDR.PID, 4).getUint32(0, true);
          if (pid === genPid) vigil++;
        }
      });
    }
  };
  const timer = setInterval(drain, 1);

  const gen = spawn(join(bin, 'generator'), [String(SYSCALLS), '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
  genPid = gen.pid!;
  writeFileSync(pidFile, String(genPid));
  const genResult = JSON.parse(((await childLines(gen).next()).value as string)) as { syscalls: number; seconds: number };
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(timer);
  sensor.stop();
  drain();
  bare.kill('SIGTERM');
  const bareResult = JSON.parse((await bareOut.next()).value as string) as { ofPid: number; kernelDrops: number };
  const s = sensor.stats()!;
  return {
    offered: genResult.syscalls, genSeconds: genResult.seconds, bare: bareResult.ofPid, vigil,
    bareDrops: bareResult.kernelDrops, kernelDrops: s.kernelDrops, shardDrops: s.shardDrops.reduce((a, b) => a + b, 0),
  };
}

const results: Round[] = [];
for (let i = 0; i < ROUNDS; i++) results.push(await round());
const rate = (n: number, r: Round) => Math.round(n / r.genSeconds);
console.log(`pipeline: ${SYSCALLS} close(-1) per round, ${SHARDS} shard rings, generator + bare consumer + vigil side by side`);
console.log('round  offered/s  bare drained/s  vigil drained/s  vigil/bare  bare drops  vigil kernel drops  vigil shard drops');
results.forEach((r, i) => {
  console.log([String(i + 1).padEnd(5), String(rate(r.offered, r)).padStart(9), String(rate(r.bare, r)).padStart(15), String(rate(r.vigil, r)).padStart(16),
    (r.vigil / Math.max(1, r.bare)).toFixed(3).padStart(10), String(r.bareDrops).padStart(11), String(r.kernelDrops).padStart(19), String(r.shardDrops).padStart(18)].join('  '));
});
console.log(JSON.stringify(results));
