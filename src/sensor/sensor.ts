/**
 * The live sensor: start-up checks, then the native addon loads and attaches the BPF programs and drains
 * their ring buffer into N shard rings (SharedArrayBuffers) that workers read with ShardReader.
 *
 * @example
 *   const sensor = new Sensor({ shards: 2, events: ['execve', 'openat'] });
 *   const rings = sensor.start();          // throws SensorStartError with a code and a clear message
 *   const reader = new ShardReader(rings[0]);
 *   …
 *   await sensor.insertControl(record);    // the same record in every ring, at one stream position
 *   sensor.stop();                         // detaches everything; stats() stays readable
 */
import { eventByName, EVENTS } from '../events/event-table.js';
import { checkWireVersion, VIGIL_RECORD_MAX, WireVersionError } from '../events/wire.js';
import { DEFAULT_ADDON_PATH, DEFAULT_OBJECT_PATH, loadAddon, type NativeSensor, type NativeStats } from './addon.js';
import { SensorStartError } from './errors.js';
import { currentPreflightInput, preflight } from './preflight.js';
import { createShardRing } from './shard-reader.js';

export interface SensorOptions {
  /** Number of shard rings (one per worker). Default 1. */
  shards?: number;
  /** Bytes of each shard ring. Default 8 MiB. */
  shardRingBytes?: number;
  /** Bytes of the kernel ring buffer (a power of two, page multiple). Default 16 MiB. */
  kernelRingBytes?: number;
  /** Event names to capture; the others are switched off in the kernel. Default: all. */
  events?: readonly string[];
  /** Bytes of argv / envp kept per exec (envp 0 = none), and of send/recv payloads (0 = none). */
  argvMax?: number;
  envpMax?: number;
  dataMax?: number;
  /** Bytes waiting in the kernel ring before the poller is woken; it also drains every pollTimeoutMs. */
  wakeupBytes?: number;
  pollTimeoutMs?: number;
  objectPath?: string;
  addonPath?: string;
  /** Rare notices from the poller thread (e.g. a fatal poll error). */
  onNotice?: (kind: string, message: string) => void;
}

/** How often insertControl looks whether the poller thread has placed its record (ms). */
const CONTROL_CHECK_MS = 1;

/** The running sensor that writes each shard ring, so a ring's consumer can find its producer. */
const producers = new WeakMap<SharedArrayBuffer, Sensor>();

/** The sensor that fills `ring`, or undefined when the ring is not a live sensor's. */
export function ringProducer(ring: SharedArrayBuffer): Sensor | undefined {
  return producers.get(ring);
}

export interface SensorStats extends NativeStats {
  kernelDrops: number;
  emitted: number;
}

export class Sensor {
  readonly #options: SensorOptions;
  #native: NativeSensor | undefined;
  #rings: SharedArrayBuffer[] = [];

  constructor(options: SensorOptions = {}) {
    this.#options = options;
  }

  /** Starts capturing; returns the shard rings, one per shard. */
  start(): SharedArrayBuffer[] {
    if (this.#native?.stats().running) return this.#rings;
    const o = this.#options;
    const objectPath = o.objectPath ?? DEFAULT_OBJECT_PATH;
    const addonPath = o.addonPath ?? DEFAULT_ADDON_PATH;
    preflight(currentPreflightInput(objectPath, addonPath));
    const addon = loadAddon(addonPath);
    try {
      checkWireVersion(addon.wireVersion);
    } catch (err) {
      throw new SensorStartError('wire-version', (err as WireVersionError).message);
    }
    this.#rings = Array.from({ length: o.shards ?? 1 }, () => createShardRing(Math.max(o.shardRingBytes ?? 8 << 20, VIGIL_RECORD_MAX * 2)));
    this.#native = new addon.Sensor({
      objectPath,
      selfTgid: process.pid,
      argvMax: o.argvMax ?? 4096,
      envpMax: o.envpMax ?? 0,
      dataMax: o.dataMax ?? 0,
      wakeupBytes: o.wakeupBytes ?? 64 << 10,
      ringBytes: o.kernelRingBytes ?? 16 << 20,
      pollTimeoutMs: o.pollTimeoutMs ?? 10,
      enabled: eventIds(o.events),
      shards: this.#rings.map((sab) => new Uint8Array(sab)),
      ...(o.onNotice ? { onNotice: o.onNotice } : {}),
    });
    try {
      this.#native.start();
    } catch (err) {
      throw fromNative(err as Error & { code?: string });
    }
    for (const ring of this.#rings) producers.set(ring, this);
    return this.#rings;
  }

  /**
   * Have the poller thread write `record` (a whole wire record, e.g. the reload barrier) into every
   * shard ring between two kernel records, so every shard meets it at the same point of the stream.
   * Resolves once it is in every ring. A full ring delays it, never loses it: the records for that
   * shard are dropped (counted in shardDrops) until it fits. Rejects if the sensor stops first.
   */
  insertControl(record: Uint8Array): Promise<void> {
    const native = this.#native;
    if (!native?.stats().running) return Promise.reject(new Error('insertControl: the sensor is not running'));
    const ticket = native.insertControl(record);
    return new Promise((resolve, reject) => {
      const check = () => {
        const s = native.stats();
        if (s.controlsWritten.every((n) => n >= ticket)) resolve();
        else if (!s.running) reject(new Error(`the sensor stopped before control record ${ticket} reached every shard ring`));
        else setTimeout(check, CONTROL_CHECK_MS);
      };
      check();
    });
  }

  /** Detaches every program and frees every map; the last records are drained into the rings first. */
  stop(): void {
    this.#native?.stop();
  }

  /** Switches events on or off in the kernel while running. */
  setEvents(events: readonly string[] | undefined): void {
    this.#native?.setEnabled(eventIds(events));
  }

  stats(): SensorStats | undefined {
    const s = this.#native?.stats();
    if (!s) return undefined;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return { ...s, kernelDrops: sum(s.kernelDropsPerCpu), emitted: sum(s.emittedPerCpu) };
  }
}

function eventIds(events: readonly string[] | undefined): number[] {
  if (!events) return EVENTS.map((e) => e.id);
  return events.map((name) => {
    const def = eventByName(name);
    if (!def) throw new SensorStartError('sensor', `unknown event '${name}' (see src/events/event-table.ts)`);
    return def.id;
  });
}

function fromNative(err: Error & { code?: string }): SensorStartError {
  switch (err.code) {
    case 'permission':
      return new SensorStartError('permission', err.message);
    case 'load':
      return new SensorStartError('verifier', err.message);
    case 'attach':
      return new SensorStartError('attach', err.message);
    case 'open':
      return new SensorStartError('object-missing', err.message);
    default:
      return new SensorStartError('sensor', err.message);
  }
}
