// The live sensor as a whole: nothing left behind on stop, exact drop accounting, shard routing, the
// kernel-side event switch, and start-up errors that say why.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeRecord } from '../../src/events/decode.js';
import { HDR, VIGIL_F_LIFECYCLE } from '../../src/events/wire.js';
import { Sensor, SensorStartError, ShardReader } from '../../src/sensor/index.js';
import { capture, fixtures, requireLiveSensor } from '../native/capture.js';

type Kind = 'prog' | 'map' | 'link';

function bpftoolIds(kind: Kind): Set<number> {
  const list = JSON.parse(execFileSync('bpftool', ['-j', kind, 'list'], { encoding: 'utf8' }) || '[]') as { id: number }[];
  return new Set(list.map((o) => o.id));
}

/** The BPF objects this process holds open, from /proc/self/fdinfo (other processes may load their own). */
function heldByUs(): Record<Kind, number[]> {
  const held: Record<Kind, number[]> = { prog: [], map: [], link: [] };
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    let info = '';
    try {
      info = readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    const link = /^link_id:\s*(\d+)/m.exec(info);
    const prog = /^prog_id:\s*(\d+)/m.exec(info);
    const map = /^map_id:\s*(\d+)/m.exec(info);
    if (link) held.link.push(Number(link[1]));
    else if (prog) held.prog.push(Number(prog[1]));
    else if (map) held.map.push(Number(map[1]));
  }
  return held;
}

test('stop detaches everything: no program, link or map is left', async (t) => {
  if (!requireLiveSensor(t)) return;
  const kinds = ['prog', 'map', 'link'] as const;
  const sensor = new Sensor();
  sensor.start();
  const ours = heldByUs();
  for (const k of kinds) assert.deepEqual(ours[k].filter((id) => !bpftoolIds(k).has(id)), [], `bpftool lists our ${k}s`);
  sensor.stop();
  assert.equal(new Set(ours.prog).size, 5, 'five programs were loaded');
  assert.equal(new Set(ours.link).size, 5, 'five links were attached');
  assert.ok(new Set(ours.map).size >= 6, 'the maps were created');
  // the kernel frees maps from a work queue after the last reference goes: allow it a moment
  let left: string[] = [];
  for (let i = 0; i < 50; i++) {
    left = kinds.flatMap((k) => ours[k].filter((id) => bpftoolIds(k).has(id)).map((id) => `${k} ${id}`));
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(left, [], 'left after stop');
  assert.deepEqual(heldByUs(), { prog: [], map: [], link: [] });
  assert.equal(sensor.stats()!.running, false);
});

test('drop accounting is exact: with a tiny shard ring under a syscall storm, produced = consumed + counted drops', async (t) => {
  if (!requireLiveSensor(t)) return;
  const sensor = new Sensor({ events: ['close'], shards: 1, shardRingBytes: 32 << 10 });
  const [ring] = sensor.start();
  const reader = new ShardReader(ring!);
  let consumed = 0;
  const timer = setInterval(() => (consumed += reader.drain(() => {})), 1);
  try {
    await new Promise<void>((resolve, reject) => {
      const storm = spawn(fixtures()['storm']!, ['300000']);
      storm.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`storm exited ${code}`))));
    });
  } finally {
    sensor.stop();
    clearInterval(timer);
  }
  consumed += reader.drain(() => {});
  const s = sensor.stats()!;
  const shardDrops = s.shardDrops[0]!;
  assert.ok(shardDrops > 0, 'the tiny ring overflowed');
  assert.ok(consumed > 0);
  assert.equal(s.recordsRead, s.emitted, 'every record the kernel wrote was read');
  assert.equal(s.shardRouted[0], s.recordsRead);
  assert.equal(consumed + shardDrops, s.recordsRead);
  assert.equal(consumed + shardDrops + s.kernelDrops, s.emitted + s.kernelDrops, 'produced = consumed + counted drops');
  assert.equal(s.malformed, 0);
});

test('a full kernel ring buffer is counted per CPU, and everything it did hold is read', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  // 64 KiB kernel ring, never woken (the poller only drains once a second): most of the storm cannot fit
  const { events, stats } = await capture({ events: ['close'], kernelRingBytes: 64 << 10, wakeupBytes: 1 << 30, pollTimeoutMs: 1000 }, () => {
    pid = spawnSync(fixtures()['storm']!, ['50000']).pid!;
  });
  const stormRecords = events.filter((e) => e.pid === pid && e.args['fd'] === -1).length;
  assert.ok(stats.kernelDrops > 0, 'the kernel ring overflowed');
  assert.equal(stats.kernelDropsPerCpu.reduce((a, b) => a + b, 0), stats.kernelDrops);
  assert.ok(stormRecords < 50000);
  assert.equal(stats.recordsRead, stats.emitted, 'every record that was written was read');
  assert.equal(events.length, stats.recordsRead);
});

test('with room enough, every syscall of the storm arrives exactly once', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events, stats } = await capture({ events: ['close'] }, () => {
    pid = spawnSync(fixtures()['storm']!, ['20000']).pid!;
  });
  assert.equal(stats.kernelDrops, 0);
  assert.deepEqual(stats.shardDrops, [0]);
  assert.equal(events.filter((e) => e.pid === pid && e.name === 'close' && e.args['fd'] === -1).length, 20000);
});

test('records route by process; life-cycle records reach every shard', async (t) => {
  if (!requireLiveSensor(t)) return;
  const sensor = new Sensor({ shards: 3, events: ['execve', 'procexit', 'close'] });
  const rings = sensor.start();
  const pids: number[] = [];
  try {
    for (let i = 0; i < 6; i++) pids.push(spawnSync(fixtures()['storm']!, ['5']).pid!);
  } finally {
    sensor.stop();
  }
  const shardOf = new Map<number, Set<number>>();
  const lifecycle = new Map<number, number>();
  rings.forEach((sab, shard) =>
    new ShardReader(sab).drain((bytes, offset) => {
      const r = decodeRecord(bytes, offset);
      assert.ok(r.ok);
      if (!pids.includes(r.event.pid)) return;
      if (bytes[offset + HDR.FLAGS]! & VIGIL_F_LIFECYCLE) {
        lifecycle.set(r.event.pid, (lifecycle.get(r.event.pid) ?? 0) + 1);
      } else {
        shardOf.set(r.event.pid, (shardOf.get(r.event.pid) ?? new Set()).add(shard));
      }
    }),
  );
  for (const pid of pids) {
    assert.equal(shardOf.get(pid)?.size, 1, `pid ${pid}'s syscalls stay on one shard`);
    assert.equal(lifecycle.get(pid), 2 * 3, `pid ${pid}'s execve and procexit reach all 3 shards`);
  }
  const s = sensor.stats()!;
  assert.equal(s.shardRouted.length, 3);
});

test('events can be switched off in the kernel while running', async (t) => {
  if (!requireLiveSensor(t)) return;
  const sensor = new Sensor({ events: ['close'] });
  const [ring] = sensor.start();
  let on = 0;
  let off = 0;
  try {
    on = spawnSync(fixtures()['storm']!, ['10']).pid!;
    sensor.setEvents(['execve']);
    off = spawnSync(fixtures()['storm']!, ['10']).pid!;
  } finally {
    sensor.stop();
  }
  const closes = new Map<number, number>();
  new ShardReader(ring!).drain((bytes, offset) => {
    const r = decodeRecord(bytes, offset);
    if (r.ok && r.event.name === 'close') closes.set(r.event.pid, (closes.get(r.event.pid) ?? 0) + 1);
  });
  assert.ok((closes.get(on) ?? 0) >= 10);
  assert.equal(closes.get(off), undefined);
});

test('a BPF object the verifier refuses fails start-up with the verifier reason', async (t) => {
  if (!requireLiveSensor(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bad-'));
  const bpf = new URL('../../bpf/', import.meta.url).pathname;
  const obj = join(dir, 'bad.bpf.o');
  execFileSync('clang', ['-g', '-O2', '-target', 'bpf', '-D__TARGET_ARCH_x86', `-I${bpf}.output`, `-I${bpf}include`, '-c',
    new URL('../fixtures/native/bad_verifier.bpf.c', import.meta.url).pathname, '-o', obj]);
  const sensor = new Sensor({ objectPath: obj });
  assert.throws(() => sensor.start(), (err: unknown) => {
    assert.ok(err instanceof SensorStartError);
    assert.equal(err.code, 'verifier');
    assert.match(err.message, /map_value_or_null/);
    return true;
  });
  assert.deepEqual(heldByUs(), { prog: [], map: [], link: [] }, 'a failed start leaves nothing behind');
});

test('a missing or unreadable BPF object is reported as such', (t) => {
  if (!requireLiveSensor(t)) return;
  assert.throws(() => new Sensor({ objectPath: '/nonexistent/vigil.bpf.o' }).start(), { name: 'SensorStartError', code: 'object-missing' });
  const junk = join(mkdtempSync(join(tmpdir(), 'vigil-junk-')), 'junk.o');
  writeFileSync(junk, 'not an ELF file');
  assert.throws(() => new Sensor({ objectPath: junk }).start(), { name: 'SensorStartError', code: 'object-missing' });
});
