/**
 * One benchmark worker: replays the whole capture through the state tables (every worker needs the
 * whole process tree, as shard workers do) and evaluates the stable-style rules on its share of
 * the events (tid modulo the worker count).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFalcoRules } from '../../src/falco/index.js';
import type { EvalContext } from '../../src/falco/fields/field.js';
import { replayScap } from '../../src/scap/index.js';
import { STABLE_STYLE_RULES } from '../falco/stable-style-rules.js';

const { file, shard, shards, warm } = workerData as { file: string; shard: number; shards: number; warm: boolean };
const { ruleset } = loadFalcoRules([{ name: 'stable-style.yaml', text: STABLE_STYLE_RULES }]);
if (!ruleset) throw new Error('the benchmark rules did not load');

let evaluated = 0;
let alerts = 0;
// A warm worker has been through the capture once, as a long-running daemon's JIT has.
if (warm) await replayScap(file, { onEvent: (evt, applied, state) => void ruleset.evaluate({ evt, num: 1, thread: applied.thread, fd: applied.fd, state, epoch: 0 }) });
// Module loading and rule compilation stay out of the timing: wait for the start signal.
parentPort!.postMessage('ready');
await new Promise((resolve) => parentPort!.once('message', resolve));
const start = process.hrtime.bigint();
const summary = await replayScap(file, {
  onEvent(evt, applied, state) {
    if (evt.tid % shards !== shard) return;
    evaluated++;
    const ctx: EvalContext = { evt, num: evaluated, thread: applied.thread, fd: applied.fd, state, epoch: evaluated };
    alerts += ruleset.evaluate(ctx).length;
  },
});
const ms = Number(process.hrtime.bigint() - start) / 1e6;
parentPort!.postMessage({ events: summary.stats.events, evaluated, alerts, ms, error: summary.error?.message });
