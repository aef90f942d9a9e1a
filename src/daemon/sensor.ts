/**
 * @module The live sensor, loaded only when `vigil run` has no replay input. The addon (src/sensor)
 * is asked to fill the daemon's shard rings; if it is missing, not built, or the kernel side cannot
 * start (not root, no BTF), the daemon stops with one clear message instead of a stack trace.
 *
 * Expected shape of src/sensor/index.ts (cross-team contract):
 *   startSensor({ rings: SharedArrayBuffer[] }) → Promise<{ stats(): SensorStats; stop(): Promise<void> }>
 */
import { moduleUrl } from './module-url.js';

export interface SensorStats {
  recordsRead: number;
  bytes: number;
  kernelDropsPerCpu: number[];
  shardDrops: number[];
}

export interface RunningSensor {
  stats(): SensorStats;
  stop(): Promise<void>;
}

export class SensorUnavailableError extends Error {
  constructor(reason: string) {
    super(`the eBPF sensor is not available: ${reason}\n(replay recorded events instead with --input-tracee file:PATH)`);
    this.name = 'SensorUnavailableError';
  }
}

type SensorModule = { startSensor?: (o: { rings: SharedArrayBuffer[] }) => Promise<RunningSensor> };

export async function startSensor(rings: SharedArrayBuffer[]): Promise<RunningSensor> {
  let mod: SensorModule;
  try {
    mod = (await import(moduleUrl('../sensor/index.js', import.meta.url))) as SensorModule;
  } catch (err) {
    throw new SensorUnavailableError(err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
  if (typeof mod.startSensor !== 'function') throw new SensorUnavailableError('src/sensor exports no startSensor()');
  try {
    return await mod.startSensor({ rings });
  } catch (err) {
    throw new SensorUnavailableError(err instanceof Error ? err.message : String(err));
  }
}
