/**
 * Finding and loading the native addon (native/build/Release/vigil_sensor.node) and the BPF object
 * (bpf/.output/vigil.bpf.o), both built by `npm install` (scripts/build-native.mjs). Paths resolve from
 * the package root, so they work from src/ (tsx) and dist/src/ alike.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's counters; numbers are exact below 2^53. */
export interface NativeStats {
  running: boolean;
  recordsRead: number;
  bytesRead: number;
  /** Records whose length did not match the BPF sample (never expected; counted, not routed). */
  malformed: number;
  kernelDropsPerCpu: number[];
  enterDropsPerCpu: number[];
  emittedPerCpu: number[];
  shardRouted: number[];
  shardDrops: number[];
  /** Control records asked for with insertControl (tickets 1…n). */
  controlsRequested: number;
  /** Control records written into each shard ring, in ticket order. */
  controlsWritten: number[];
}

export interface NativeSensorOptions {
  objectPath: string;
  selfTgid: number;
  argvMax: number;
  envpMax: number;
  dataMax: number;
  wakeupBytes: number;
  ringBytes: number;
  pollTimeoutMs: number;
  enabled: number[];
  shards: Uint8Array[];
  onNotice?: (kind: string, message: string) => void;
}

export interface NativeSensor {
  start(): void;
  stop(): void;
  stats(): NativeStats;
  setEnabled(ids: number[]): void;
  /** Queue a whole wire record for every shard ring; returns its ticket. */
  insertControl(record: Uint8Array): number;
}

export interface NativeAddon {
  Sensor: new (options: NativeSensorOptions) => NativeSensor;
  wireVersion: number;
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const DEFAULT_ADDON_PATH = join(packageRoot(), 'native', 'build', 'Release', 'vigil_sensor.node');
export const DEFAULT_OBJECT_PATH = join(packageRoot(), 'bpf', '.output', 'vigil.bpf.o');

export function loadAddon(path = DEFAULT_ADDON_PATH): NativeAddon {
  return createRequire(import.meta.url)(path) as NativeAddon;
}
