/**
 * @module The live sensor, started only when `vigil run` has no replay input. The addon creates
 * the shard rings and fills them from the kernel; the daemon's workers read them. If the sensor
 * cannot start (not root, no BTF, addon not built, verifier refusal) the daemon stops with the
 * sensor's own one-line reason instead of a stack trace.
 */
import { EVENTS } from '../events/event-table.js';
import { Sensor, SensorStartError } from '../sensor/index.js';
import type { KernelEvents } from '../workers/kernel-events.js';

export interface SensorCounters {
  recordsRead: number;
  kernelDropsPerCpu: number[];
  shardDrops: number[];
  /** The events switched on in the kernel, in the event table's order. */
  eventsEnabled: readonly string[];
}

export interface RunningSensor {
  readonly rings: SharedArrayBuffer[];
  stats(): SensorCounters;
  /** Switch these events on in the kernel and every other one off. */
  setEvents(events: KernelEvents): void;
  stop(): void;
}

export class SensorUnavailableError extends Error {
  constructor(reason: string) {
    super(`the eBPF sensor is not available: ${reason}\n(replay recorded events instead with --input-tracee file:PATH)`);
    this.name = 'SensorUnavailableError';
  }
}

const ALL_EVENTS = EVENTS.map((e) => e.name);
const eventList = (events: KernelEvents): readonly string[] => (events === 'all' ? ALL_EVENTS : events);

/** Starts the sensor with only `events` switched on, so the others never reach the rings. */
export function startSensor(shards: number, ringBytes: number, events: KernelEvents, onNotice: (line: string) => void): RunningSensor {
  let enabled = eventList(events);
  const sensor = new Sensor({
    shards,
    shardRingBytes: ringBytes,
    events: enabled,
    onNotice: (kind, message) => onNotice(`vigil: sensor ${kind}: ${message}`),
  });
  let rings: SharedArrayBuffer[];
  try {
    rings = sensor.start();
  } catch (err) {
    if (err instanceof SensorStartError) throw new SensorUnavailableError(`${err.code}: ${err.message}`);
    throw new SensorUnavailableError(err instanceof Error ? err.message : String(err));
  }
  return {
    rings,
    stats: () => {
      const s = sensor.stats();
      return s
        ? { recordsRead: s.recordsRead, kernelDropsPerCpu: s.kernelDropsPerCpu, shardDrops: s.shardDrops, eventsEnabled: enabled }
        : { recordsRead: 0, kernelDropsPerCpu: [], shardDrops: rings.map(() => 0), eventsEnabled: enabled };
    },
    setEvents: (next) => {
      enabled = eventList(next);
      sensor.setEvents(enabled);
    },
    stop: () => sensor.stop(),
  };
}
