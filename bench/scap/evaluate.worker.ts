/**
 * One benchmark worker, in one of two layouts:
 * - `split: false`: reads the whole capture itself but decodes only its share of it (processes whose
 *   hashed pid modulo the worker count is its number, `wantsPid`, plus every process-tree change, so
 *   each worker keeps the whole tree as shard workers do);
 * - `split: true`: the bench thread splits the capture (ScapSplitter) and transfers this shard's
 *   capture bytes in large chunks (`{ buf, len }` messages, then `'end'`); one replay per pass.
 * Either way it applies its share to its state tables and evaluates the stable-style rules on the
 * events of its own processes.
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { loadFalcoRules } from '../../src/falco/index.js';
import type { EvalContext } from '../../src/falco/fields/field.js';
import { replayScap } from '../../src/scap/index.js';
import { STABLE_STYLE_RULES } from '../falco/stable-style-rules.js';
import { shardOf } from './shard-of.js';

export type SplitChunk = { buf: ArrayBuffer; len: number } | 'end';

const { file, shard, shards, warm, split } = workerData as { file: string; shard: number; shards: number; warm: boolean; split: boolean };
const { ruleset } = loadFalcoRules([{ name: 'stable-style.yaml', text: STABLE_STYLE_RULES }]);
if (!ruleset) throw new Error('the benchmark rules did not load');

// Epochs key per-event caches: they must not repeat across passes.
let epoch = 0;
const wantsPid = shards > 1 && !split ? (pid: number) => shardOf(pid, shards) === shard : undefined;

const pass = async (source: string | Readable): Promise<{ events: number; evaluated: number; alerts: number; error?: string }> => {
  let evaluated = 0;
  let alerts = 0;
  const summary = await replayScap(source, {
    wantsPid,
    onEvent(evt, applied, state) {
      if (shardOf(evt.pid, shards) !== shard) return;
      evaluated++;
      const ctx: EvalContext = { evt, num: evaluated, thread: applied.thread, fd: applied.fd, state, epoch: ++epoch };
      alerts += ruleset.evaluate(ctx).length;
    },
  });
  return { events: summary.stats.events, evaluated, alerts, error: summary.error?.message };
};

if (split) {
  // Chunks of the next pass may arrive while this one still replays: each 'end' starts a new stream.
  let feeding = new Readable({ read() {} });
  const passes: Readable[] = [feeding];
  parentPort!.on('message', (m: SplitChunk) => {
    if (m !== 'end') return void feeding.push(Buffer.from(m.buf, 0, m.len));
    feeding.push(null);
    feeding = new Readable({ read() {} });
    passes.push(feeding);
  });
  parentPort!.postMessage('ready');
  for (;;) parentPort!.postMessage(await pass(passes.shift()!));
} else {
  // A warm worker has been through the capture once, as a long-running daemon's JIT has.
  if (warm) await pass(file);
  // Module loading and rule compilation stay out of the timing: wait for the start signal.
  parentPort!.postMessage('ready');
  await new Promise((resolve) => parentPort!.once('message', resolve));
  parentPort!.postMessage(await pass(file));
}
