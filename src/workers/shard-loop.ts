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
import { threadId, type MessagePort } from 'node:worker_threads';
import type { Alert } from '../alerts/alert.js';
import type { CompiledRules, Pipeline, RuleSetSpec, ShardEvaluator } from './pipeline.js';
import { RulesetSlot } from './ruleset-slot.js';
import { ShardRingReader } from './shard-ring.js';
import { isLifecycle, shardOf } from './shard-route.js';
import { SHARD_STAT } from './shard-stats.js';

const COALESCE_BYTES = 16 * 1024;

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
  /**
   * Sent before each start-up step, so a worker that hangs there can be named with what it was
   * doing. `threadId` (here and in `ready`): the worker thread the pool's watchdog terminates if it hangs.
   */
  | { type: 'starting'; shard: number; step: string; threadId: number }
  | { type: 'ready'; shard: number; version: number; threadId: number }
  /** The last notice of a shard that drained and stopped: everything it posted before has arrived. */
  | { type: 'stopped'; shard: number; events: number };

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
  const ring = new ShardRingReader(o.ring);
  const slot = new RulesetSlot(o.initial);
  for (const p of o.pending) slot.prepare(p);
  const stats = o.stats;
  stats[SHARD_STAT.rulesetVersion] = o.initial.version;
  const idleWaitMs = o.idleWaitMs ?? 100;
  const buf = new Uint8Array(ring.capacity);
  let stopping = false;
  let num = stats[SHARD_STAT.eventsEvaluated]!;
  // The record a previous worker of this shard died on, if any: skipped once, and counted.
  let poison = stats[SHARD_STAT.inFlight]! - 1;

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
        ring.wake();
        break;
    }
  });
  o.port.postMessage({ type: 'ready', shard: o.shard, version: o.initial.version, threadId } satisfies ShardNotice);

  const alerts: Alert[] = [];
  for (;;) {
    const end = ring.peek(buf);
    if (end === 0) {
      if (stopping) break;
      await ring.waitForData(idleWaitMs);
      continue;
    }
    // The batch is a transaction: counters, alerts and the read index move together at its end.
    let off = 0;
    let records = 0;
    let evaluated = num;
    while (off < end) {
      const len = o.pipeline.recordLength(buf, off, end - off);
      if (len > buf.length) {
        // A length no record can have: the stream is corrupt from here; drop what is there, counted.
        stats[SHARD_STAT.decodeErrors] = stats[SHARD_STAT.decodeErrors]! + 1;
        off = end;
        break;
      }
      if (len === 0 || off + len > end) break;
      records++;
      const version = o.pipeline.controlVersion(buf, off, len);
      const container = version < 0 ? o.pipeline.containerOf(buf, off, len) : undefined;
      if (version >= 0) {
        if (!slot.activate(version)) stats[SHARD_STAT.barrierMisses] = stats[SHARD_STAT.barrierMisses]! + 1;
        stats[SHARD_STAT.rulesetVersion] = slot.current.version;
      } else if (container) {
        o.evaluator.container(container);
      } else {
        const position = ring.positionOf(off);
        if (position === poison) {
          stats[SHARD_STAT.poisonSkipped] = stats[SHARD_STAT.poisonSkipped]! + 1;
          poison = -1;
        } else {
          stats[SHARD_STAT.inFlight] = position + 1;
          if (evaluateRecord(o, slot.current, buf, off, len, evaluated + 1, alerts)) evaluated++;
        }
      }
      off += len;
    }
    // The dead worker's batch was all in the ring, so it is inside this first batch: forget it now.
    poison = -1;
    stats[SHARD_STAT.inFlight] = 0;
    if (alerts.length > 0) {
      stats[SHARD_STAT.alerts] = stats[SHARD_STAT.alerts]! + alerts.length;
      o.port.postMessage({ type: 'alerts', shard: o.shard, alerts: alerts.splice(0) } satisfies ShardNotice);
    }
    ring.consume(off);
    num = evaluated;
    stats[SHARD_STAT.recordsRead] = stats[SHARD_STAT.recordsRead]! + records;
    stats[SHARD_STAT.eventsEvaluated] = num;
    stats[SHARD_STAT.bytesRead] = stats[SHARD_STAT.bytesRead]! + off;
    stats[SHARD_STAT.bytesDone] = stats[SHARD_STAT.bytesRead]!;
    stats[SHARD_STAT.lastEvaluatedMs] = Date.now();
    // Let control messages in between batches, even when the ring never runs dry. After a small
    // batch, wait a moment so the next one is bigger: per-batch costs (a message, a wake-up) would
    // otherwise be paid per event when the reader keeps up with a slower producer. Bounded at 1 ms.
    if (off < COALESCE_BYTES && !stopping) await new Promise<void>((resolve) => setTimeout(resolve, 1));
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  o.port.postMessage({ type: 'stopped', shard: o.shard, events: num } satisfies ShardNotice);
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
