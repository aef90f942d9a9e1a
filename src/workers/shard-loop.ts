/**
 * @module One shard's event loop inside its worker. It drains the ring in batches (everything
 * written so far, at most the ring's size), runs each record through the pipeline in order and
 * posts the batch's alerts to the main thread in one message. When the ring is empty it sleeps on
 * the write index with Atomics.waitAsync (bounded, because the C++ producer does not notify), so
 * an idle shard costs nothing and control messages are handled between batches.
 *
 * Control records in the ring are the reload barrier: `v` becomes the current rule set exactly at
 * the record's position in the stream (see rule-manager.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import { RingBuffer } from 'ringbuf.js';
import type { Alert } from '../alerts/alert.js';
import type { CompiledRules, Pipeline, RuleSetSpec, ShardEvaluator } from './pipeline.js';
import { RulesetSlot } from './ruleset-slot.js';
import { waitForChange } from './wait-async.js';
import { READ_INDEX, WRITE_INDEX, ringIndexes } from './shard-ring.js';
import { isLifecycle, shardOf } from './shard-route.js';
import { SHARD_STAT } from './shard-stats.js';

/** Main thread → worker. */
export type ShardCommand =
  | { type: 'prepare'; spec: RuleSetSpec }
  | { type: 'activate'; version: number }
  | { type: 'discard'; version: number }
  | { type: 'stop' };

/** Worker → main thread. */
export type ShardNotice =
  | { type: 'alerts'; shard: number; alerts: Alert[] }
  | { type: 'prepared'; shard: number; version: number; error?: string }
  | { type: 'ready'; shard: number; version: number };

export interface ShardLoopOptions {
  shard: number;
  shards: number;
  ring: SharedArrayBuffer;
  stats: Float64Array;
  port: MessagePort;
  pipeline: Pipeline;
  evaluator: ShardEvaluator;
  initial: CompiledRules;
  /** Sets announced before this worker started whose barrier may still be in the ring. */
  pending: CompiledRules[];
  /** How long an idle shard sleeps before looking at the ring again (ms). */
  idleWaitMs?: number;
}

export async function compileOrThrow(pipeline: Pipeline, spec: RuleSetSpec): Promise<CompiledRules> {
  const result = await pipeline.compile(spec);
  if (!result.rules) throw new Error(`rule set ${spec.version} does not compile in the worker`);
  return result.rules;
}

export async function runShardLoop(o: ShardLoopOptions): Promise<{ events: number }> {
  const ring = new RingBuffer(o.ring, Uint8Array);
  const indexes = ringIndexes(o.ring);
  const slot = new RulesetSlot(o.initial);
  for (const p of o.pending) slot.prepare(p);
  const stats = o.stats;
  stats[SHARD_STAT.rulesetVersion] = o.initial.version;
  const idleWaitMs = o.idleWaitMs ?? 100;
  // Room for a full ring plus the unfinished tail of the previous batch.
  const buf = new Uint8Array(ring.capacity() * 2);
  let carry = 0;
  let stopping = false;
  let num = stats[SHARD_STAT.eventsEvaluated]!;

  o.port.on('message', (cmd: ShardCommand) => {
    switch (cmd.type) {
      case 'prepare': {
        // Compiled between batches; the barrier for this version is only written after every shard acknowledged.
        compileOrThrow(o.pipeline, cmd.spec).then(
          (rules) => {
            slot.prepare(rules);
            o.port.postMessage({ type: 'prepared', shard: o.shard, version: cmd.spec.version } satisfies ShardNotice);
          },
          (err: unknown) => {
            const error = err instanceof Error ? err.message : String(err);
            o.port.postMessage({ type: 'prepared', shard: o.shard, version: cmd.spec.version, error } satisfies ShardNotice);
          },
        );
        break;
      }
      case 'activate':
        // The producer cannot place a barrier (live sensor): switch between two batches instead.
        slot.activate(cmd.version);
        stats[SHARD_STAT.rulesetVersion] = slot.current.version;
        break;
      case 'discard':
        slot.discard(cmd.version);
        break;
      case 'stop':
        stopping = true;
        Atomics.notify(indexes, WRITE_INDEX);
        break;
    }
  });
  o.port.postMessage({ type: 'ready', shard: o.shard, version: o.initial.version } satisfies ShardNotice);

  const alerts: Alert[] = [];
  for (;;) {
    const available = ring.availableRead();
    if (available === 0) {
      if (stopping) break;
      const wr = Atomics.load(indexes, WRITE_INDEX);
      if (ring.availableRead() === 0) await waitForChange(indexes, WRITE_INDEX, wr, idleWaitMs);
      continue;
    }
    const got = ring.pop(buf, available, carry);
    Atomics.notify(indexes, READ_INDEX);
    stats[SHARD_STAT.bytesRead] = stats[SHARD_STAT.bytesRead]! + got;
    const end = carry + got;
    let off = 0;
    while (off < end) {
      const len = o.pipeline.recordLength(buf, off, end - off);
      if (len === 0 || off + len > end) break;
      stats[SHARD_STAT.recordsRead] = stats[SHARD_STAT.recordsRead]! + 1;
      const version = o.pipeline.controlVersion(buf, off, len);
      if (version >= 0) {
        if (!slot.activate(version)) stats[SHARD_STAT.barrierMisses] = stats[SHARD_STAT.barrierMisses]! + 1;
        stats[SHARD_STAT.rulesetVersion] = slot.current.version;
      } else {
        if (evaluateRecord(o, slot.current, buf, off, len, num + 1, alerts)) num++;
      }
      off += len;
    }
    carry = end - off;
    if (carry > 0) buf.copyWithin(0, off, end);
    stats[SHARD_STAT.eventsEvaluated] = num;
    stats[SHARD_STAT.lastEvaluatedMs] = Date.now();
    if (alerts.length > 0) {
      stats[SHARD_STAT.alerts] = stats[SHARD_STAT.alerts]! + alerts.length;
      o.port.postMessage({ type: 'alerts', shard: o.shard, alerts: alerts.splice(0) } satisfies ShardNotice);
    }
    stats[SHARD_STAT.bytesDone] = stats[SHARD_STAT.bytesRead]! - carry;
    // Let control messages in between batches, even when the ring never runs dry.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { events: num };
}

function evaluateRecord(
  o: ShardLoopOptions,
  rules: CompiledRules,
  buf: Uint8Array,
  off: number,
  len: number,
  num: number,
  out: Alert[],
): boolean {
  const stats = o.stats;
  let evt;
  try {
    evt = o.pipeline.decodeRecord(buf, off, len);
  } catch {
    stats[SHARD_STAT.decodeErrors] = stats[SHARD_STAT.decodeErrors]! + 1;
    return false;
  }
  stats[SHARD_STAT.lastEventMs] = Number(evt.ts / 1_000_000n);
  try {
    // Life-cycle events reach every shard; only the owner runs the rules on them.
    if (o.shards > 1 && isLifecycle(evt) && shardOf(evt, o.shards) !== o.shard) {
      o.evaluator.observe(evt, num);
      stats[SHARD_STAT.eventsObserved] = stats[SHARD_STAT.eventsObserved]! + 1;
      return false;
    }
    const found = o.evaluator.evaluate(rules, evt, num);
    for (let i = 0; i < found.length; i++) out.push(found[i]!);
  } catch {
    stats[SHARD_STAT.evalErrors] = stats[SHARD_STAT.evalErrors]! + 1;
  }
  return true;
}
