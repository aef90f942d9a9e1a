/**
 * @module The live sensor, started only when `vigil run` has no replay input. The addon creates
 * the shard rings and fills them from the kernel; the daemon's workers read them. If the sensor
 * cannot start (not root, no BTF, addon not built, verifier refusal) the daemon stops with the
 * sensor's own one-line reason instead of a stack trace.
 */
import { Sensor, SensorStartError } from '../sensor/index.js';

export interface SensorCounters {
  recordsRead: number;
  kernelDropsPerCpu: number[];
  shardDrops: number[];
}

export interface RunningSensor {
  readonly rings: SharedArrayBuffer[];
  stats(): SensorCounters;
  stop(): void;
}

export class SensorUnavailableError extends Error {
  constructor(reason: string) {
    super(`the eBPF sensor is not available: ${reason}\n(replay recorded events instead with --input-tracee file:PATH)`);
    this.name = 'SensorUnavailableError';
  }
}

export function startSensor(shards: number, ringBytes: number, onNotice: (line: string) => void): RunningSensor {
  const sensor = new Sensor({ shards, shardRingBytes: ringBytes, onNotice: (kind, message) => onNotice(`vigil: sensor ${kind}: ${message}`) });
  let rings: SharedArrayBuffer[];
  try {
    rings = sensor.start();
  } catch (err) {
    if (err instanceof SensorStartError) throw new SensorUnavailableError(`${err.code}: ${err.message}`);
    throw new SensorUnavailableError(err instanceof Error ? err.message : String(err));
  }
  const empty = { recordsRead: 0, kernelDropsPerCpu: [], shardDrops: rings.map(() => 0) };
  return {
    rings,
    stats: () => {
      const s = sensor.stats();
      return s ? { recordsRead: s.recordsRead, kernelDropsPerCpu: s.kernelDropsPerCpu, shardDrops: s.shardDrops } : empty;
    },
    stop: () => sensor.stop(),
  };
}
