/**
 * Bytes allocated per replay of the generated capture (V8's sampling heap profiler, counting objects
 * the collector already freed), for a whole replay and for one shard of two (its processes' events
 * plus every process-tree change), with the functions that allocate most. Allocation, not CPU time,
 * is what two workers on this machine contend on (bench/machine/parallel.bench.mjs), and unlike
 * CPU time on a shared VM it does not vary from run to run.
 *
 *   node --import tsx bench/scap/alloc.bench.ts [story|host] [STORIES] [TOP]     (defaults story, 1000 and 8; host = STORIES × 72 events of bench/scap/host-capture.ts)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayScap } from '../../src/scap/index.js';
import { encodeScap } from '../../src/scap/writer.js';
import { generateCapture } from '../../test/scap/generate.js';
import { generateHostCapture } from './host-capture.js';
import { shardOf } from './shard-of.js';

interface ProfileNode { callFrame: { functionName: string; url: string }; selfSize: number; children: ProfileNode[] }

const kind = process.argv[2] ?? 'story';
if (kind !== 'story' && kind !== 'host') throw new Error(`capture kind '${kind}': expected story or host`);
const stories = Number(process.argv[3] ?? 1000);
const top = Number(process.argv[4] ?? 8);
const file = join(mkdtempSync(join(tmpdir(), 'vigil-scap-alloc-')), 'bench.scap');
const { snapshot, events } = kind === 'story' ? generateCapture(stories) : generateHostCapture(stories * 72);
writeFileSync(file, encodeScap(snapshot, events));

const session = new Session();
session.connect();
const PASSES = 3;

async function measure(name: string, wantsPid?: (pid: number) => boolean): Promise<void> {
  const pass = () => replayScap(file, { wantsPid, onEvent: () => undefined });
  await pass();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  for (let i = 0; i < PASSES; i++) await pass();
  const { profile } = await session.post('HeapProfiler.stopSampling') as unknown as { profile: { head: ProfileNode } };
  const bySite = new Map<string, number>();
  const walk = (n: ProfileNode): void => {
    const site = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
    bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize / PASSES);
    n.children.forEach(walk);
  };
  walk(profile.head);
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top).map(([site, bytes]) => `${site} ${(bytes / 1e6).toFixed(1)}`);
  console.log(`| ${name} | ${(total / 1e6).toFixed(1)} | ${Math.round(total / events.length)} | ${sites.join('; ')} |`);
}

console.log(`capture: ${kind}, ${events.length.toLocaleString('en-US')} events, ${PASSES} passes each after a warm-up`);
console.log('| replay | MB allocated per pass | bytes per capture event | top sites (MB) |');
console.log('|---|---:|---:|---|');
await measure('whole capture');
await measure('shard 0 of 2', (pid) => shardOf(pid, 2) === 0);
await measure('tree changes only (no process is this shard\'s)', () => false);
session.disconnect();
