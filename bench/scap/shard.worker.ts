/**
 * One shard of the sharded benchmark mode: wire records (src/events/encode.ts) arrive in batches
 * from the one thread that reads the capture, as the daemon's shard rings deliver them. Life-cycle
 * records come to every shard (each keeps the whole process tree) and are evaluated by the shard
 * that owns the process (`shardOf`); the rest come only to that shard.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeRecord } from '../../src/events/decode.js';
import { loadFalcoRules } from '../../src/falco/index.js';
import { seedStateTables, withCaptureUsers, type StateSeed } from '../../src/scap/index.js';
import { StateTables } from '../../src/state/index.js';
import type { StateView } from '../../src/state/types.js';
import { STABLE_STYLE_RULES } from '../falco/stable-style-rules.js';
import { shardOf } from './shard-of.js';

export type ShardMessage = { kind: 'seed'; seed: StateSeed } | { kind: 'records'; bytes: ArrayBuffer } | { kind: 'end' };

const { shard, shards } = workerData as { shard: number; shards: number };
const { ruleset } = loadFalcoRules([{ name: 'stable-style.yaml', text: STABLE_STYLE_RULES }]);
if (!ruleset) throw new Error('the benchmark rules did not load');

let tables = new StateTables();
let state: StateView = tables;
let evaluated = 0;
let alerts = 0;
let bad = 0;

parentPort!.on('message', (msg: ShardMessage) => {
  if (msg.kind === 'seed') {
    tables = new StateTables();
    seedStateTables(tables, msg.seed);
    state = withCaptureUsers(tables, msg.seed);
    evaluated = 0;
    alerts = 0;
  } else if (msg.kind === 'records') {
    const bytes = new Uint8Array(msg.bytes);
    for (let offset = 0; offset < bytes.length; ) {
      const decoded = decodeRecord(bytes, offset);
      if (!decoded.ok) {
        bad++;
        if (decoded.size === 0) break;
        offset += decoded.size;
        continue;
      }
      offset += decoded.size;
      const evt = decoded.event;
      const applied = tables.apply(evt);
      if (shardOf(evt.pid, shards) === shard) {
        evaluated++;
        alerts += ruleset.evaluate({ evt, num: evaluated, thread: applied.thread, fd: applied.fd, state, epoch: evaluated }).length;
      }
      tables.finish(evt);
    }
  } else {
    parentPort!.postMessage({ evaluated, alerts, bad });
  }
});
parentPort!.postMessage('ready');
