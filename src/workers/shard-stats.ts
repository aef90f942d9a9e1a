/**
 * @module Per-shard counters in a SharedArrayBuffer: the worker writes them as it goes, the main
 * thread reads them for /stats and /metrics without a message per event. Slots are Float64 (exact
 * integers up to 2^53); only the owning worker writes, so plain stores are enough.
 */
export const SHARD_STAT = {
  recordsRead: 0,
  eventsEvaluated: 1,
  decodeErrors: 2,
  evalErrors: 3,
  alerts: 4,
  bytesRead: 5,
  /** Event time of the last evaluated event, ms since epoch (lag = now − this). */
  lastEventMs: 6,
  /** Wall time the last event was evaluated, ms since epoch. */
  lastEvaluatedMs: 7,
  rulesetVersion: 8,
  barrierMisses: 9,
  /** Life-cycle events of processes another shard owns: applied to state, not evaluated. */
  eventsObserved: 10,
  /** Bytes fully processed, alerts posted: equal to the bytes written once the shard has settled. */
  bytesDone: 11,
  /** Ring position + 1 of the record being evaluated (0 = none): after a crash, the record to skip. */
  inFlight: 12,
  /** Records skipped because a worker died evaluating them. */
  poisonSkipped: 13,
} as const;

export type ShardStatName = keyof typeof SHARD_STAT;
const SLOTS = 16;

export function createShardStats(): Float64Array {
  return new Float64Array(new SharedArrayBuffer(SLOTS * Float64Array.BYTES_PER_ELEMENT));
}

export function readShardStats(stats: Float64Array): Record<ShardStatName, number> {
  const out = {} as Record<ShardStatName, number>;
  for (const [name, slot] of Object.entries(SHARD_STAT)) out[name as ShardStatName] = stats[slot]!;
  return out;
}
