/**
 * Test harness for the live sensor: decides whether the kernel tests can run here (root, BTF, built
 * artefacts), compiles the C helpers of test/fixtures/native/, and captures the events of an action.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestContext } from 'node:test';
import { decodeRecord } from '../../src/events/decode.js';
import type { VigilEvent } from '../../src/events/event.js';
import { DEFAULT_ADDON_PATH, DEFAULT_OBJECT_PATH, Sensor, ShardReader, type SensorOptions, type SensorStats } from '../../src/sensor/index.js';

/** Why the live tests cannot run here, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  if (!existsSync('/sys/kernel/btf/vmlinux')) return 'no kernel BTF (/sys/kernel/btf/vmlinux)';
  if (!existsSync(DEFAULT_OBJECT_PATH)) return `BPF object not built (${DEFAULT_OBJECT_PATH}): run npm install`;
  if (!existsSync(DEFAULT_ADDON_PATH)) return `addon not built (${DEFAULT_ADDON_PATH}): run npm install`;
  return undefined;
}

/** Skips the test with the reason printed, except under CI=true, where a missing prerequisite fails it. */
export function requireLiveSensor(t: TestContext): boolean {
  const why = missingPrerequisite();
  if (!why) return true;
  if (process.env['CI'] === 'true') throw new Error(`live sensor test cannot run under CI: ${why}`);
  console.log(`# skipped ${t.name}: ${why}`);
  t.skip(why);
  return false;
}

const FIXTURES = new URL('../fixtures/native/', import.meta.url).pathname;
let built: Record<string, string> | undefined;

/** Compiles every test/fixtures/native/*.c once per process; returns name → binary path. */
export function fixtures(): Record<string, string> {
  if (built) return built;
  const out = mkdtempSync(join(tmpdir(), 'vigil-fixtures-'));
  built = {};
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.c') && !f.endsWith('.bpf.c'))) {
    const name = basename(file, '.c');
    const bin = join(out, name);
    execFileSync('gcc', ['-O1', '-o', bin, join(FIXTURES, file)]);
    built[name] = bin;
  }
  return built;
}

export interface Capture {
  events: VigilEvent[];
  stats: SensorStats;
  undecodable: string[];
}

/** Runs action with the sensor on, then stops it (which drains the last records) and decodes every shard. */
export async function capture(options: SensorOptions, action: () => Promise<void> | void): Promise<Capture> {
  const sensor = new Sensor({ shardRingBytes: 64 << 20, ...options });
  const rings = sensor.start();
  const readers = rings.map((sab) => new ShardReader(sab));
  const events: VigilEvent[] = [];
  const undecodable: string[] = [];
  const drain = () => {
    for (const reader of readers) {
      reader.drain((bytes, offset) => {
        const r = decodeRecord(bytes, offset);
        if (r.ok) events.push(r.event);
        else undecodable.push(r.error);
      });
    }
  };
  try {
    await action();
  } finally {
    sensor.stop();
  }
  drain();
  return { events, stats: sensor.stats()!, undecodable };
}
