/**
 * The scap replay path on this thread, by CPU time (the shared machine makes wall time noisy):
 * reader alone (`scapItems`), and reader → state tables → stable-style Falco rules (`replayScap`),
 * over the capture of `test/scap/generate.ts`. Each row runs ROUNDS passes after one warm-up pass
 * and prints the min and median per pass, as events/s of the capture's syscall exits.
 *
 *   node --import tsx bench/scap/cpu.bench.ts [STORIES] [ROUNDS]     (defaults 1000 and 7)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFalcoRules } from '../../src/falco/index.js';
import type { EvalContext } from '../../src/falco/fields/field.js';
import { replayScap, scapItems } from '../../src/scap/index.js';
import { encodeScap } from '../../src/scap/writer.js';
import { generateCapture } from '../../test/scap/generate.js';
import { STABLE_STYLE_RULES } from '../falco/stable-style-rules.js';
import { shardOf } from './shard-of.js';

const stories = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 7);
const file = join(mkdtempSync(join(tmpdir(), 'vigil-scap-cpu-')), 'bench.scap');
const { snapshot, events } = generateCapture(stories);
writeFileSync(file, encodeScap(snapshot, events));
const { ruleset } = loadFalcoRules([{ name: 'stable-style.yaml', text: STABLE_STYLE_RULES }]);
if (!ruleset) throw new Error('the benchmark rules did not load');

async function readerOnly(): Promise<number> {
  let n = 0;
  for await (const item of scapItems(file)) if (item.kind === 'events') n += item.events.length;
  return n;
}

/** Reader → state → rules; with `shard`, one of two shard workers' share (its pids, plus every process-tree change). */
async function withRules(shard?: number): Promise<number> {
  let alerts = 0;
  let num = 0;
  const ctx: EvalContext = { evt: events[0]!, num: 0, thread: undefined, fd: undefined, state: undefined as never, epoch: 0 };
  await replayScap(file, {
    wantsPid: shard === undefined ? undefined : (pid) => shardOf(pid, 2) === shard,
    onEvent(evt, applied, state) {
      if (shard !== undefined && shardOf(evt.pid, 2) !== shard) return;
      ctx.evt = evt;
      ctx.thread = applied.thread;
      ctx.fd = applied.fd;
      ctx.state = state;
      ctx.num = ++num;
      ctx.epoch = num;
      alerts += ruleset!.evaluate(ctx).length;
    },
  });
  return alerts;
}

async function measure(name: string, pass: () => Promise<number>): Promise<void> {
  const result = await pass();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const c = process.cpuUsage();
    const w = performance.now();
    await pass();
    const used = process.cpuUsage(c);
    wall.push(performance.now() - w);
    cpu.push((used.user + used.system) / 1000);
  }
  const rate = (ms: number) => Math.round((events.length / ms) * 1000).toLocaleString('en-US');
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const [c, w] = [sorted(cpu), sorted(wall)];
  const mid = Math.floor(rounds / 2);
  console.log(`${name} (${result}): CPU min ${c[0]!.toFixed(0)} ms / median ${c[mid]!.toFixed(0)} ms = ${rate(c[0]!)} / ${rate(c[mid]!)} events/s; wall median ${w[mid]!.toFixed(0)} ms = ${rate(w[mid]!)} events/s`);
}

const load = os.loadavg()[0]!;
await measure('reader only', readerOnly);
await measure('reader + state + rules', () => withRules());
await measure('reader + state + rules, shard 0 of 2', () => withRules(0));
await measure('reader + state + rules, shard 1 of 2', () => withRules(1));
console.log(`capture: ${events.length.toLocaleString('en-US')} events (${stories} stories); load average ${load.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
