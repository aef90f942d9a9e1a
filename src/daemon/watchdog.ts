/**
 * @module The shard watchdog's judgement: a worker is wedged when its ring holds unread records
 * and it has made no progress for the stall timeout. Progress is either a committed batch (the
 * shard's bytes-read counter moves) or a new record under evaluation (its in-flight position
 * moves), so a worker busy with one long batch is not mistaken for a stuck one. An empty ring is
 * idle, never stalled. The pool samples each running shard on a timer and acts on the verdict.
 */
import { ringDepth } from '../workers/shard-ring.js';
import { SHARD_STAT } from '../workers/shard-stats.js';

export interface ShardProgress {
  /** Unread bytes in the shard ring. */
  depth: number;
  bytesRead: number;
  /** Ring position + 1 of the record being evaluated (0 = between records). */
  inFlight: number;
}

export function sampleProgress(ring: SharedArrayBuffer, stats: Float64Array): ShardProgress {
  return { depth: ringDepth(ring), bytesRead: stats[SHARD_STAT.bytesRead]!, inFlight: stats[SHARD_STAT.inFlight]! };
}

interface Mark {
  bytesRead: number;
  inFlight: number;
  since: number;
}

export class StallWatch {
  private readonly marks = new Map<number, Mark>();

  /** `timeoutMs` 0 = never stalled. */
  constructor(readonly timeoutMs: number) {}

  get enabled(): boolean {
    return this.timeoutMs > 0;
  }

  /** A fresh worker took the shard over: its clock starts now. */
  reset(shard: number, p: ShardProgress, now: number): void {
    this.marks.set(shard, { bytesRead: p.bytesRead, inFlight: p.inFlight, since: now });
  }

  /** The shard has no running worker to judge (it is restarting or stopped). */
  forget(shard: number): void {
    this.marks.delete(shard);
  }

  /** True when `shard` has had unread records and no progress for the timeout. */
  stalled(shard: number, p: ShardProgress, now: number): boolean {
    const mark = this.marks.get(shard);
    if (!mark || !this.enabled) return false;
    if (p.depth === 0 || p.bytesRead !== mark.bytesRead || p.inFlight !== mark.inFlight) {
      this.reset(shard, p, now);
      return false;
    }
    return now - mark.since >= this.timeoutMs;
  }
}

/** "15 s", "1.5 s": how timeouts appear in messages. */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms) / 1000} s`;
}
