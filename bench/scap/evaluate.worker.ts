/**
 * One benchmark worker: reads the whole capture but decodes only its share of it (processes whose
 * hashed pid modulo the worker count is its number, `wantsPid`, plus every process-tree change, so each worker keeps the
 * whole tree as shard workers do), applies that to its state tables and evaluates the stable-style
 * rules on its share of the events.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFalcoRules } from '../../src/falco/index.js';
import type { EvalContext } from '../../src/falco/fields/field.js';
import { replayScap } from '../../src/scap/index.js';
import { STABLE_STYLE_RULES } from '../falco/stable-style-rules.js';
import { shardOf } from './shard-of.js';

const { file, shard, shards, warm } = workerData as { file: string; shard: number; shards: number; warm: boolean };
const { ruleset } = loadFalcoRules([{ name: 'stable-style.yaml', text: STABLE_STYLE_RULES }]);
if (!ruleset) throw new Error('the benchmark rules did not load');

let evaluated = 0;
let alerts = 0;
const wantsPid = shards > 1 ? (pid: number) => shardOf(pid, shards) === shard : undefined;
let warmEpoch = 0;
// A warm worker has been through the capture once, as a long-running daemon's JIT has.
if (warm) await replayScap(file, { wantsPid, onEvent: (evt, applied, state) => void ruleset.evaluate({ evt, num: 1, thread: applied.thread, fd: applied.fd, state, epoch: --warmEpoch }) });
// Module loading and rule compilation stay out of the timing: wait for the start signal.
parentPort!.postMessage('ready');
await new Promise((resolve) => parentPort!.once('message', resolve));
const summary = await replayScap(file, {
  wantsPid,
  onEvent(evt, applied, state) {
    if (shardOf(evt.pid, shards) !== shard) return;
    evaluated++;
    const ctx: EvalContext = { evt, num: evaluated, thread: applied.thread, fd: applied.fd, state, epoch: evaluated };
    alerts += ruleset.evaluate(ctx).length;
  },
});
parentPort!.postMessage({ events: summary.stats.events, evaluated, alerts, error: summary.error?.message });
