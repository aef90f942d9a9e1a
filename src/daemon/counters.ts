/**
 * @module The daemon's counters in one snapshot, the single source for `GET /stats` and
 * `GET /metrics`: every place an event can be dropped has its own number here (kernel ring per
 * CPU, shard ring, undecodable record, bad replay line, output queue, rate limit).
 */
import { readShardStats } from '../workers/shard-stats.js';
import { ringDepth } from '../workers/shard-ring.js';
import type { AlertBus } from './alert-bus.js';
import type { FailureCounts } from './pool.js';
import type { ReplayStats } from './replay.js';
import type { ReloadRecord } from './rule-manager.js';
import type { SensorCounters } from './sensor.js';

export interface ShardSnapshot {
  shard: number;
  queueDepthBytes: number;
  /** ms between now and the event time of the last evaluated event (0 when the queue is empty). */
  lagMs: number;
  recordsRead: number;
  eventsEvaluated: number;
  eventsObserved: number;
  decodeErrors: number;
  evalErrors: number;
  alerts: number;
  rulesetVersion: number;
  /** Workers of this shard that were restarted, by reason (`crashed`, or `stalled`: ended by the watchdog). */
  workerFailures: number;
  workerFailuresByReason: FailureCounts;
  drops: number;
}

export interface StatsSnapshot {
  uptimeSeconds: number;
  input: 'sensor' | 'replay';
  events: { read: number; evaluated: number; decodeErrors: number };
  shards: ShardSnapshot[];
  /** `events`: the sensor events switched on in the kernel (none when replaying), `eventsEnabled` their count. */
  kernel: { dropsPerCpu: number[]; drops: number; recordsRead: number; eventsEnabled: number; events: string[] };
  replay?: ReplayStats;
  alerts: { total: number; byRule: Record<string, number>; byVersion: Record<string, number>; belowPriority: number; suppressedByRule: Record<string, number> };
  outputs: Record<string, { written: number; dropped: number; errors: number }>;
  sse: { clients: number; slowDisconnects: number };
  rules: { version: number; reloads: ReloadRecord[] };
}

export interface CounterSources {
  startedAt: number;
  rings: SharedArrayBuffer[];
  shardStats: Float64Array[];
  workerFailures(): FailureCounts[];
  sensor?(): SensorCounters;
  replay?(): ReplayStats;
  bus: AlertBus;
  sse(): { clients: number; slowDisconnects: number };
  rulesetVersion(): number;
  reloads(): ReloadRecord[];
}

export function collectStats(src: CounterSources, now = Date.now()): StatsSnapshot {
  const sensor = src.sensor?.();
  const failures = src.workerFailures();
  const shards = src.shardStats.map((stats, shard): ShardSnapshot => {
    const s = readShardStats(stats);
    const depth = ringDepth(src.rings[shard]!);
    const byReason = { crashed: failures[shard]?.crashed ?? 0, stalled: failures[shard]?.stalled ?? 0 };
    return {
      shard,
      queueDepthBytes: depth,
      lagMs: depth > 0 && s.lastEventMs > 0 ? Math.max(0, now - s.lastEventMs) : 0,
      recordsRead: s.recordsRead,
      eventsEvaluated: s.eventsEvaluated,
      eventsObserved: s.eventsObserved,
      decodeErrors: s.decodeErrors,
      evalErrors: s.evalErrors,
      alerts: s.alerts,
      rulesetVersion: s.rulesetVersion,
      workerFailures: byReason.crashed + byReason.stalled,
      workerFailuresByReason: byReason,
      drops: sensor?.shardDrops[shard] ?? 0,
    };
  });
  const sum = (f: (s: ShardSnapshot) => number) => shards.reduce((a, s) => a + f(s), 0);
  const outputs: StatsSnapshot['outputs'] = {};
  for (const o of src.bus.outputs) outputs[o.name] = o.stats();
  const replay = src.replay?.();
  return {
    uptimeSeconds: Math.round((now - src.startedAt) / 1000),
    input: src.sensor ? 'sensor' : 'replay',
    events: { read: sum((s) => s.recordsRead), evaluated: sum((s) => s.eventsEvaluated), decodeErrors: sum((s) => s.decodeErrors) },
    shards,
    kernel: {
      dropsPerCpu: sensor?.kernelDropsPerCpu ?? [],
      drops: (sensor?.kernelDropsPerCpu ?? []).reduce((a, b) => a + b, 0),
      recordsRead: sensor?.recordsRead ?? 0,
      eventsEnabled: sensor?.eventsEnabled.length ?? 0,
      events: [...(sensor?.eventsEnabled ?? [])],
    },
    ...(replay ? { replay } : {}),
    alerts: {
      total: src.bus.total,
      byRule: src.bus.alertsByRule(),
      byVersion: src.bus.alertsByVersion(),
      belowPriority: src.bus.belowPriority,
      suppressedByRule: src.bus.suppressed(),
    },
    outputs,
    sse: src.sse(),
    rules: { version: src.rulesetVersion(), reloads: src.reloads() },
  };
}
