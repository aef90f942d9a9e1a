/**
 * The daemon's pipeline without the kernel, measured in one run:
 *  1. shard-worker throughput: wire records of a mixed event corpus written straight into the shard
 *     rings, evaluated by 1 and 2 workers (state tables, the full rule set: the built-in rules plus
 *     the stable-style benchmark rules, and the built-in Tracee signatures) — events/s;
 *  2. Tracee JSON replay end to end (`vigil run --input-tracee` path: JSON parse, mapping, wire
 *     encoding on the main thread) with 2 workers — events/s;
 *  3. alert latency from the event's timestamp to SSE delivery, under background load — p50/p99;
 *  4. with root and the built sensor, the same latency live, from the kernel timestamp.
 *
 *   node --import tsx bench/pipeline/replay.bench.ts [--events N]     (1–3)
 *   node --import tsx bench/pipeline/replay.bench.ts --live           (4: root, built sensor)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import { applyOverrides, defaultConfig } from '../../src/daemon/config.js';
import { startDaemon } from '../../src/daemon/main.js';
import { ShardPool } from '../../src/daemon/pool.js';
import { encodeEvent } from '../../src/events/encode.js';
import type { VigilEvent } from '../../src/events/event.js';
import type { RuleSetSpec } from '../../src/workers/pipeline.js';
import { ShardRingWriter, createShardRing } from '../../src/workers/shard-ring.js';
import { isLifecycle, shardOf } from '../../src/workers/shard-route.js';
import { SHARD_STAT, createShardStats } from '../../src/workers/shard-stats.js';
import { STABLE_STYLE_RULES } from '../falco/stable-style-rules.js';
import { corpus } from './corpus.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '300000' }, live: { type: 'boolean', default: false } } });
const EVENTS = Number(values.events);
const PIPELINE_URL = new URL('../../src/workers/default-pipeline.ts', import.meta.url).href;
const BUILTIN = new URL('../../rules/vigil_rules.yaml', import.meta.url).pathname;

function spec(): RuleSetSpec {
  return {
    version: 1,
    falco: [{ name: BUILTIN, text: readFileSync(BUILTIN, 'utf8') }, { name: 'stable-style.yaml', text: STABLE_STYLE_RULES }],
    rego: [],
    signatureDir: '',
    disabled: [],
    ruleMatching: 'all',
  };
}

async function workerThroughput(workers: number, events: VigilEvent[]): Promise<{ eventsPerSec: number; alerts: number }> {
  const rings = Array.from({ length: workers }, () => createShardRing(8 << 20));
  const stats = Array.from({ length: workers }, () => createShardStats());
  let alerts = 0;
  const pool = new ShardPool({
    pipelineUrl: PIPELINE_URL, rings, stats,
    shardOptions: { procRoot: '/nonexistent', maxThreads: 32768, maxFdsPerProcess: 1024, maxContainers: 1024 },
    onAlerts: (a) => (alerts += a.length), onFailure: (s, e) => console.error(`shard ${s} failed: ${String(e)}`),
  });
  await pool.start(spec());
  const writers = rings.map((r) => new ShardRingWriter(r));
  const records = events.map((e) => ({ bytes: encodeEvent(e), all: workers > 1 && isLifecycle(e), shard: shardOf(e, workers) }));
  let expected = 0;
  const started = performance.now();
  for (const r of records) {
    const targets = r.all ? writers : [writers[r.shard]!];
    for (const w of targets) if (!w.tryWrite(r.bytes)) await w.write(r.bytes);
    expected += targets.length;
  }
  const done = () => stats.reduce((a, s) => a + s[SHARD_STAT.recordsRead]!, 0);
  while (done() < expected) await new Promise((r) => setTimeout(r, 2));
  const seconds = (performance.now() - started) / 1000;
  await pool.stop();
  return { eventsPerSec: events.length / seconds, alerts };
}

function traceeLine(seq: number, tsNs: bigint, ptrace: boolean): string {
  const common = `"timestamp":${tsNs},"processorId":0,"processId":${100 + (seq % 17)},"threadId":${100 + (seq % 17)},"parentProcessId":1,"hostProcessId":${100 + (seq % 17)},"hostThreadId":${100 + (seq % 17)},"hostParentProcessId":1,"userId":0,"mountNamespace":1,"pidNamespace":1,"hostName":"h","containerId":"","stackAddresses":null,"returnValue":${ptrace ? 0 : 3}`;
  return ptrace
    ? `{${common},"processName":"dbg","eventId":"101","eventName":"ptrace","argsNum":2,"args":[{"name":"request","type":"long","value":"PTRACE_TRACEME"},{"name":"pid","type":"pid_t","value":0}]}`
    : `{${common},"processName":"cat","eventId":"257","eventName":"openat","argsNum":3,"args":[{"name":"dirfd","type":"int","value":-100},{"name":"pathname","type":"const char*","value":"/var/lib/db/f${seq % 97}"},{"name":"flags","type":"string","value":"O_RDONLY"}]}`;
}

async function jsonReplay(events: number): Promise<number> {
  const input = new PassThrough();
  const config = applyOverrides(defaultConfig(), ['stdout_output.enabled=false', 'api.enabled=false', 'workers=2', 'state.proc_root=/nonexistent']);
  const daemon = await startDaemon(config, { pipelineUrl: PIPELINE_URL, input, log: () => {} });
  const lines: string[] = [];
  for (let i = 0; i < events; i++) lines.push(traceeLine(i, 1_700_000_000_000_000_000n + BigInt(i), false));
  const started = performance.now();
  for (let i = 0; i < lines.length; i += 5000) {
    if (!input.write(`${lines.slice(i, i + 5000).join('\n')}\n`)) await new Promise((r) => input.once('drain', r));
  }
  input.end();
  await daemon.settle();
  const seconds = (performance.now() - started) / 1000;
  await daemon.stop();
  return events / seconds;
}

const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

/** Read alerts from the SSE stream and record now − alert.ts (ms) for each, until `samples` are in. */
async function sseLatencies(url: string, samples: number, latencies: number[]): Promise<void> {
  const res = await fetch(url);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const received = nowNs();
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data) latencies.push(Number(received - BigInt((JSON.parse(data.slice(6)) as { ts: number }).ts)) / 1e6);
    }
    if (latencies.length >= samples) break;
  }
}

function quantiles(latencies: number[]): { p50: number; p99: number; max: number; n: number } {
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1]!, n: latencies.length };
}

async function alertLatency(samples: number): Promise<{ p50: number; p99: number; max: number; n: number }> {
  const input = new PassThrough();
  const config = applyOverrides(defaultConfig(), ['stdout_output.enabled=false', 'api.listen=127.0.0.1:0', 'api.token=bench-token-0123456789', 'workers=2', 'state.proc_root=/nonexistent']);
  const daemon = await startDaemon(config, { pipelineUrl: PIPELINE_URL, input, log: () => {}, idleWaitMs: 100 });
  const latencies: number[] = [];
  const reader = sseLatencies(`${daemon.url}/alerts/stream?rule=${encodeURIComponent('PTRACE anti-debug')}`, samples, latencies);
  // Background load of about 10k events/s in 10 ms slices (below the JSON replay rate, so the input
  // does not queue), with one alerting event per slice.
  let seq = 0;
  while (latencies.length < samples) {
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) lines.push(traceeLine(seq++, nowNs(), false));
    lines.push(traceeLine(seq++, nowNs(), true));
    input.write(`${lines.join('\n')}\n`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await reader;
  input.end();
  await daemon.stop();
  return quantiles(latencies);
}

/**
 * Live (root, built sensor): the daemon on the kernel sensor with the built-in rules; a Python
 * process calls ptrace(PTRACE_TRACEME) every 20 ms; latency = SSE delivery − the kernel timestamp.
 */
const WARMUP_ALERTS = 20;

async function liveLatency(samples: number): Promise<string> {
  const config = applyOverrides(defaultConfig(), ['stdout_output.enabled=false', 'api.listen=127.0.0.1:0', 'api.token=bench-token-0123456789', 'workers=1']);
  let daemon;
  try {
    daemon = await startDaemon(config, { pipelineUrl: PIPELINE_URL, log: () => {} });
  } catch (err) {
    return `live: skipped (${(err as Error).message.split('\n')[0]})`;
  }
  const latencies: number[] = [];
  const reader = sseLatencies(`${daemon.url}/alerts/stream?rule=${encodeURIComponent('PTRACE anti-debug')}`, samples + WARMUP_ALERTS, latencies);
  const py = 'import ctypes,time\nlibc=ctypes.CDLL(None)\nwhile True:\n  libc.ptrace(0,0,0,0)\n  time.sleep(0.02)\n';
  const child = spawn('python3', ['-c', py], { stdio: 'ignore' });
  const before = daemon.stats();
  const started = performance.now();
  await reader;
  const seconds = (performance.now() - started) / 1000;
  const after = daemon.stats();
  child.kill();
  await daemon.stop();
  // The first alerts meet a cold JIT and a state table still learning the system: not counted.
  const q = quantiles(latencies.slice(WARMUP_ALERTS));
  const rate = (after.events.evaluated - before.events.evaluated) / seconds;
  return `live alert latency, kernel timestamp → SSE delivery (1 worker, whole-system load ${(rate / 1000).toFixed(1)} k events/s, kernel drops ${after.kernel.drops}, shard drops ${after.shards.reduce((a, sh) => a + sh.drops, 0)}): p50 ${q.p50.toFixed(2)} ms, p99 ${q.p99.toFixed(2)} ms, max ${q.max.toFixed(2)} ms (${q.n} alerts)`;
}

if (values.live) {
  console.log(await liveLatency(200));
} else {
  const events = corpus(EVENTS);
  console.log(`corpus: ${events.length} events; rules: built-in + stable-style Falco rules, built-in Tracee signatures`);
  for (const workers of [1, 2]) {
    const r = await workerThroughput(workers, events);
    console.log(`shard workers=${workers}: ${(r.eventsPerSec / 1000).toFixed(0)} k events/s (${r.alerts} alerts)`);
  }
  console.log(`Tracee JSON replay, 2 workers: ${((await jsonReplay(Math.min(EVENTS, 200_000))) / 1000).toFixed(0)} k events/s`);
  const lat = await alertLatency(300);
  console.log(`alert latency, event timestamp → SSE delivery (2 workers, ~10k events/s replay load): p50 ${lat.p50.toFixed(2)} ms, p99 ${lat.p99.toFixed(2)} ms, max ${lat.max.toFixed(2)} ms (${lat.n} alerts)`);
}
