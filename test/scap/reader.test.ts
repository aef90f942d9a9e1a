import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { VigilEvent } from '../../src/events/event.js';
import { readScap, readScapBuffer, ScapParser, scapItems, toThreadInfo, fdsByProcess } from '../../src/scap/index.js';
import { BLOCK, EVENT_BLOCKS } from '../../src/scap/format.js';
import { encodeBlock, encodeEventBlock, encodeSectionHeader } from '../../src/scap/encode.js';
import { encodeParam } from '../../src/scap/params.js';
import { encodeScap } from '../../src/scap/writer.js';
import { CONTAINER_CGROUP, generateCapture } from './generate.js';

const { snapshot, events } = generateCapture();
const capture = encodeScap(snapshot, events);

function collect(data: Buffer): { out: VigilEvent[]; summary: ReturnType<typeof readScapBuffer> } {
  const out: VigilEvent[] = [];
  const summary = readScapBuffer(data, { onEvent: (e) => out.push(e) });
  return { out, summary };
}

/** Offsets of every block in a capture, with its type. */
function blocks(data: Buffer): { at: number; type: number; len: number }[] {
  const list = [];
  for (let at = 0; at < data.length; ) {
    const len = data.readUInt32LE(at + 4);
    list.push({ at, type: data.readUInt32LE(at), len });
    at += len;
  }
  return list;
}

// What the capture format cannot carry, by design of libs' event table: the CSIGNAL byte of clone
// flags, accept's listening fd, and (for the pre-0.10 process list tail sysdig 0.29.3 reads) tty.
const CSIGNAL = 0xff;
function comparable(e: VigilEvent): unknown {
  const args: Record<string, unknown> = { ...e.args };
  delete args.listenfd;
  for (const k of Object.keys(args)) if (args[k] === 0 || args[k] === '') delete args[k];
  if (typeof args.flags === 'number' && ['clone', 'clone3', 'fork', 'vfork'].includes(e.name)) args.flags = (args.flags as number) & ~CSIGNAL;
  return { ...e, tty: 0, args };
}

test('every generated event reads back with the same header and params', () => {
  const { out, summary } = collect(capture);
  assert.equal(summary.error, undefined);
  assert.equal(out.length, events.length);
  assert.equal(summary.stats.events, events.length);
  events.forEach((e, i) => assert.deepEqual(comparable(out[i]!), comparable(e), `event ${i} (${e.name})`));
});

test('enter events are dropped and counted; every exit arrives once', () => {
  const { summary } = collect(capture);
  // procexit has no enter half, nor does a clone child's own return.
  const pairs = events.filter((e) => e.name !== 'procexit' && !(e.ret === 0 && ['clone', 'clone3', 'fork', 'vfork'].includes(e.name))).length;
  assert.equal(summary.stats.enterEvents, pairs);
});

test('the state seed carries the process, fd, user, interface and machine blocks', () => {
  const seeds: unknown[] = [];
  const summary = readScapBuffer(capture, { onSeed: (s) => seeds.push(s), onEvent: () => {} });
  assert.equal(seeds.length, 1, 'seed delivered once, before the events');
  const seed = summary.seed;
  assert.deepEqual(seed.threads.map((t) => [t.tid, t.pid, t.ptid, t.comm]), snapshot.threads.map((t) => [t.tid, t.pid, t.ptid, t.comm]));
  const nginx = seed.threads.find((t) => t.comm === 'nginx')!;
  assert.equal(nginx.cgroup, CONTAINER_CGROUP);
  assert.deepEqual(nginx.args, ['-g', 'daemon off;']);
  assert.equal(nginx.vpid, 1);
  assert.equal(nginx.uid, 101);
  assert.equal(nginx.capEffective, 0x1ffffffffffn);
  assert.deepEqual(seed.users.map((u) => u.name), ['root', 'nginx', 'bob']);
  assert.deepEqual(seed.groups.map((g) => g.gid), [0, 101, 1000]);
  assert.deepEqual(seed.interfaces.map((i) => `${i.name}=${i.addr}/${i.netmask}`), ['lo=127.0.0.1/255.0.0.0', 'eth0=10.0.0.1/255.255.255.0']);
  assert.equal(seed.machine?.hostname, 'vigil-test');
  assert.equal(seed.machine?.numCpus, 2);
  const fds = fdsByProcess(seed);
  assert.deepEqual(fds.get(200)!.map((f) => [f.num, f.type, f.name]), [[0, 'file', '/dev/pts/0'], [1, 'file', '/dev/pts/0'], [2, 'file', '/dev/pts/0']]);
  assert.equal(fds.get(400)![0]!.openFlags, 0o2001, 'open flags come back in Linux numbering');
  assert.deepEqual(fds.get(100)!.map((f) => [f.type, f.name, f.sport, f.l4proto]), [['ipv4', '0.0.0.0:22', 22, 'tcp']]);
  const info = toThreadInfo(nginx, { get: () => undefined, entries: () => [][Symbol.iterator](), size: 0 });
  assert.equal(info.cgroup, CONTAINER_CGROUP);
  assert.equal(info.exepath, 'nginx');
});

test('the process tree follows clone, exec, exit and reparenting', () => {
  const { out } = collect(capture);
  const execed = out.find((e) => e.name === 'execve' && e.tid === 201)!;
  assert.equal(execed.comm, 'cat');
  assert.equal(execed.ppid, 200);
  const afterReparent = out.filter((e) => e.tid === 201 && e.name === 'openat').at(-1)!;
  assert.equal(afterReparent.args.name, '/etc/sudoers');
  assert.equal(afterReparent.ppid, 1, 'reparented to the reaper when bash exits');
  const inContainer = out.find((e) => e.tid === 401 && e.name === 'openat')!;
  assert.equal(inContainer.cgroup, CONTAINER_CGROUP);
  assert.equal(inContainer.vpid, 11);
  assert.equal(inContainer.comm, 'sh');
});

test('a truncated capture reports the offset of the cut block; events before it are delivered', () => {
  const list = blocks(capture);
  const eventBlocks = list.filter((b) => EVENT_BLOCKS.has(b.type));
  for (const cut of [eventBlocks[10]!, eventBlocks[57]!, eventBlocks.at(-1)!]) {
    for (const into of [3, 20, cut.len - 1]) {
      const { out, summary } = collect(capture.subarray(0, cut.at + into));
      assert.equal(summary.error?.offset, cut.at, `cut ${into} bytes into the block at ${cut.at}`);
      assert.match(summary.error!.message, /truncated/);
      const exitsBefore = events.filter((e) => e.ts < capture.readBigUInt64LE(cut.at + 10)).length;
      assert.ok(out.length >= exitsBefore - 1 && out.length <= exitsBefore, `${out.length} events before the cut`);
    }
  }
});

test('chunk boundaries anywhere (inside headers, straddling blocks, larger than a block) give the same events and errors', () => {
  const whole = collect(capture);
  const damaged = Buffer.from(capture);
  const victim = blocks(capture).filter((b) => EVENT_BLOCKS.has(b.type))[40]!;
  damaged.writeUInt32LE(victim.len + 4, victim.at + victim.len - 4);
  const wholeDamaged = collect(damaged);
  for (const size of [1, 3, 7, 8, 9, 100, 4093, 65536]) {
    for (const [data, expected] of [[capture, whole], [damaged, wholeDamaged]] as const) {
      const out: VigilEvent[] = [];
      const parser = new ScapParser({ onEvent: (e) => out.push(e) });
      for (let at = 0; at < data.length; at += size) parser.push(data.subarray(at, at + size));
      parser.end();
      assert.deepEqual(out, expected.out, `chunks of ${size}`);
      assert.deepEqual(parser.error, expected.summary.error, `chunks of ${size}`);
    }
  }
});

test('a bad block trailer is reported at the trailer, after the events before it', () => {
  const list = blocks(capture);
  const target = list.filter((b) => EVENT_BLOCKS.has(b.type))[20]!;
  const bad = Buffer.from(capture);
  bad.writeUInt32LE(target.len + 4, target.at + target.len - 4);
  const { out, summary } = collect(bad);
  assert.equal(summary.error?.offset, target.at + target.len - 4);
  assert.match(summary.error!.message, /trailer length/);
  assert.ok(out.length > 0 && out.length < events.length);
});

test('a parameter length past the event end is reported at that length field', () => {
  const target = blocks(capture).filter((b) => b.type === BLOCK.EV_V2)[5]!;
  const bad = Buffer.from(capture);
  const lensAt = target.at + 8 + 2 + 26;
  bad.writeUInt16LE(0xfff0, lensAt);
  const { summary } = collect(bad);
  assert.equal(summary.error?.offset, lensAt);
  assert.match(summary.error!.message, /runs past the event's end/);
});

test('an absurd block length and a foreign file are errors with offsets, not exceptions', () => {
  const bad = Buffer.from(capture);
  const target = blocks(capture)[3]!;
  bad.writeUInt32LE(5, target.at + 4);
  assert.equal(collect(bad).summary.error?.offset, target.at + 4);
  const foreign = collect(Buffer.from('#!/bin/sh\necho not a capture\n'));
  assert.equal(foreign.summary.error?.offset, 0);
  assert.match(foreign.summary.error!.message, /not a scap capture/);
  assert.match(collect(Buffer.alloc(0)).summary.error!.message, /empty capture/);
});

test('.scap.gz streams through zlib; a missing or broken file is an error, not a throw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-scap-'));
  const gz = join(dir, 'c.scap.gz');
  writeFileSync(gz, gzipSync(capture));
  const out: VigilEvent[] = [];
  const summary = await readScap(gz, { onEvent: (e) => out.push(e) });
  assert.equal(summary.error, undefined);
  assert.equal(out.length, events.length);
  assert.equal(out[5]!.args.name, events[5]!.args.name);

  const cutGz = join(dir, 'cut.scap.gz');
  writeFileSync(cutGz, gzipSync(capture).subarray(0, 2000));
  const partial: VigilEvent[] = [];
  const cut = await readScap(cutGz, { onEvent: (e) => partial.push(e) });
  assert.ok(cut.error, 'a cut gzip stream is reported');
  assert.ok(partial.length > 0, 'events before the cut are delivered');

  const missing = await readScap(join(dir, 'nope.scap'), { onEvent: () => {} });
  assert.match(missing.error!.message, /no such file/);
});

/** Rewrites every EV_V2 block of a capture into another event block layout. */
function convertEventBlocks(data: Buffer, type: number): Buffer {
  const parts: Buffer[] = [];
  for (const b of blocks(data)) {
    const block = data.subarray(b.at, b.at + b.len);
    if (b.type !== BLOCK.EV_V2) {
      parts.push(block);
      continue;
    }
    const cpu = block.subarray(8, 10);
    const evtLen = block.readUInt32LE(10 + 16);
    let evt = Buffer.from(block.subarray(10, 10 + evtLen));
    const kind = EVENT_BLOCKS.get(type)!;
    if (!kind.v2) {
      evt = Buffer.concat([evt.subarray(0, 22), evt.subarray(26)]);
      evt.writeUInt32LE(evt.length, 16);
    }
    const body = Buffer.concat([cpu, kind.flags ? Buffer.from([1, 0, 0, 0]) : Buffer.alloc(0), evt]);
    parts.push(encodeBlock(type, body));
  }
  return Buffer.concat(parts);
}

for (const [label, type] of [['v1 (no nparams)', BLOCK.EV], ['with flags', BLOCK.EVF_V2], ['v1 with flags', BLOCK.EVF], ['large payload', BLOCK.EV_V2_LARGE], ['large with flags', BLOCK.EVF_V2_LARGE]] as const) {
  test(`event blocks ${label} decode to the same events`, () => {
    const { out, summary } = collect(convertEventBlocks(capture, type));
    assert.equal(summary.error, undefined);
    assert.deepEqual(out.map(comparable), collect(capture).out.map(comparable));
  });
}

test('an old openat exit (fd only) takes name, flags and dirfd from its enter event', () => {
  const enter = encodeEventBlock(102, 10n, 200, 0, [encodeParam('i64', -100), encodeParam('str', 'rel/x'), encodeParam('u32', (1 << 2) | 2), encodeParam('u32', 0o600)]);
  const exit = encodeEventBlock(103, 11n, 200, 0, [encodeParam('i64', 7)]);
  const unknown = encodeEventBlock(7, 12n, 200, 0, [encodeParam('i64', 5), encodeParam('buf', Buffer.from('hi'))]);
  const { out, summary } = collect(Buffer.concat([encodeSectionHeader(), enter, exit, unknown]));
  assert.equal(summary.error, undefined);
  assert.equal(summary.stats.unmapped, 1, 'read() is not modelled and is counted');
  assert.equal(out.length, 1);
  assert.deepEqual({ name: out[0]!.name, ret: out[0]!.ret, args: out[0]!.args }, {
    name: 'openat', ret: 7, args: { fd: 7, dirfd: -100, name: 'rel/x', flags: 0o101, mode: 0o600 },
  });
  assert.equal(out[0]!.comm, '<NA>', 'a thread the capture never introduced');
});

test('process list v1 blocks (the oldest layout) seed threads', () => {
  const entry = Buffer.concat([
    encodeParam('i64', 42), encodeParam('i64', 42), encodeParam('i64', 1),
    lstr('oldproc'), lstr('/bin/oldproc'), lstr('a\0b\0'), lstr('/srv'),
    encodeParam('i64', 1024), encodeParam('u32', 0), encodeParam('u32', 1000), encodeParam('u32', 1000),
  ]);
  const { summary } = collect(Buffer.concat([encodeSectionHeader(), encodeBlock(BLOCK.PL_V1, entry)]));
  assert.equal(summary.error, undefined);
  assert.deepEqual(summary.seed.threads.map((t) => [t.tid, t.comm, t.exe, t.args, t.cwd, t.uid, t.vpid]), [[42, 'oldproc', '/bin/oldproc', ['a', 'b'], '/srv', 1000, 42]].map(([tid, comm, exe, args, cwd, uid]) => [tid, comm, exe, args, cwd, uid, -1]));
});

test('fd list v2: connected IPv4 and IPv6 sockets seed their tuple, protocol and name', () => {
  const socketEntry = (fd: number, type: number, src: Buffer, dst: Buffer): Buffer => {
    const body = Buffer.concat([encodeParam('i64', fd), encodeParam('u64', 77), Buffer.from([type]), src, dst, encodeParam('u16', 40000), encodeParam('u16', 443), Buffer.from([2])]);
    return Buffer.concat([encodeParam('u32', body.length + 4), body]);
  };
  const v6 = (last: number): Buffer => Buffer.from([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), last]);
  const entries = Buffer.concat([
    encodeParam('i64', 300),
    socketEntry(4, 3, Buffer.from([10, 0, 0, 1]), Buffer.from([10, 0, 0, 5])),
    socketEntry(5, 4, v6(1), v6(2)),
  ]);
  const { summary } = collect(Buffer.concat([encodeSectionHeader(), encodeBlock(BLOCK.FDL_V2, entries)]));
  assert.equal(summary.error, undefined);
  const pick = ({ num, type, family, l4proto, cip, cport, sip, sport, connected, ino, name }: Record<string, unknown>) => ({ num, type, family, l4proto, cip, cport, sip, sport, connected, ino, name });
  assert.deepEqual(summary.seed.fds.map((f) => pick(f.fd as unknown as Record<string, unknown>)), [
    { num: 4, type: 'ipv4', family: 2, l4proto: 'tcp', cip: '10.0.0.1', cport: 40000, sip: '10.0.0.5', sport: 443, connected: true, ino: 77, name: '10.0.0.1:40000->10.0.0.5:443' },
    { num: 5, type: 'ipv6', family: 10, l4proto: 'tcp', cip: '2001:db8::1', cport: 40000, sip: '2001:db8::2', sport: 443, connected: true, ino: 77, name: '2001:db8::1:40000->2001:db8::2:443' },
  ]);
});

function lstr(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16LE(b.length);
  return Buffer.concat([len, b]);
}

test("an exception in the caller's handler propagates instead of posing as a corrupt capture", () => {
  const boom = new Error('handler bug');
  assert.throws(() => readScapBuffer(capture, { onEvent: () => { throw boom; } }), (err) => err === boom);
});

test("streaming from a file, a handler's exception rejects as itself, not as a read error", async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-reader-')), 'c.scap');
  writeFileSync(file, capture);
  const boom = new Error('handler bug');
  let seen = 0;
  await assert.rejects(readScap(file, { onEvent: () => { if (++seen === 30) throw boom; } }), (err) => err === boom);
  assert.equal(seen, 30);
});

test('random corruption never throws: every damaged capture ends in events and/or an error with an offset', () => {
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 300; round++) {
    const bad = Buffer.from(capture);
    for (let k = 0; k < 1 + random(8); k++) bad[random(bad.length)] = random(256);
    const cut = random(4) === 0 ? bad.subarray(0, random(bad.length)) : bad;
    const { summary } = collect(cut);
    if (summary.error) assert.ok(summary.error.offset >= 0 && summary.error.offset <= cut.length, `round ${round}: offset ${summary.error.offset}`);
  }
});

/** An event block with u32 parameter lengths (libs' large-payload events such as 324 and 402). */
function largeEventBlock(id: number, params: readonly Buffer[]): Buffer {
  const evtLen = 26 + params.length * 4 + params.reduce((n, p) => n + p.length, 0);
  const head = Buffer.alloc(2 + 26);
  head.writeBigUInt64LE(1n, 2);
  head.writeBigInt64LE(-1n, 10);
  head.writeUInt32LE(evtLen, 18);
  head.writeUInt16LE(id, 22);
  head.writeUInt32LE(params.length, 24);
  const lens = Buffer.alloc(params.length * 4);
  params.forEach((p, i) => lens.writeUInt32LE(p.length, i * 4));
  return encodeBlock(BLOCK.EV_V2_LARGE, Buffer.concat([head, lens, ...params]));
}

test('container metadata events fill the seed in every form libsinsp saves them; bad or late ones are counted, not applied', () => {
  const doc = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ container: { id, type: 0, name: `n-${id.slice(0, 3)}`, image: 'busybox:1.36', ...extra } });
  const full = 'ab'.repeat(32);
  const blocksIn = [
    encodeSectionHeader(),
    encodeEventBlock(228, 1n, -1, 0, [encodeParam('str', full), encodeParam('u32', 7), encodeParam('str', 'db'), encodeParam('str', 'postgres:16')]),
    encodeEventBlock(272, 1n, -1, 0, [encodeParam('str', doc('111111111111', { imagerepo: 'docker.io/library/busybox', imagetag: '1.36', privileged: true, labels: { 'io.kubernetes.pod.namespace': 'ns1' } }))]),
    largeEventBlock(324, [encodeParam('str', doc('222222222222', { type: 8 }))]),
    largeEventBlock(402, [encodeParam('u32', 999), encodeParam('str', 'container'), Buffer.from(doc('333333333333', { type: 11 }))]),
    largeEventBlock(402, [encodeParam('u32', 999), encodeParam('str', 'something-else'), Buffer.from('{}')]),
    encodeEventBlock(272, 1n, -1, 0, [encodeParam('str', '{"container": ')]),
    encodeEventBlock(103, 11n, 200, 0, [encodeParam('i64', 7)]),
    encodeEventBlock(272, 12n, -1, 0, [encodeParam('str', doc('444444444444'))]),
  ];
  const { out, summary } = collect(Buffer.concat(blocksIn));
  assert.equal(summary.error, undefined);
  assert.equal(out.length, 1, 'the syscall still arrives');
  assert.deepEqual(summary.seed.containers.map((c) => [c.id, c.type, c.name, c.imageRepository, c.imageTag]), [
    [full.slice(0, 12), 'containerd', 'db', 'postgres', '16'],
    ['111111111111', 'docker', 'n-111', 'docker.io/library/busybox', '1.36'],
    ['222222222222', 'cri-o', 'n-222', 'busybox', '1.36'],
    ['333333333333', 'podman', 'n-333', 'busybox', '1.36'],
  ]);
  assert.equal(summary.seed.containers[1]!.privileged, true);
  assert.equal(summary.seed.containers[1]!.k8sNamespace, 'ns1');
  assert.equal(summary.stats.containers, 4);
  assert.equal(summary.stats.containersSkipped, 3, 'another plugin\'s async event, a broken document, one after the first syscall (no onContainer)');

  // With onContainer, the late one arrives in stream order between the events around it.
  const order: string[] = [];
  const withHandler = readScapBuffer(Buffer.concat([...blocksIn, encodeEventBlock(103, 13n, 200, 0, [encodeParam('i64', 8)])]), {
    onEvent: (e) => order.push(`event ${e.ret}`),
    onContainer: (c) => order.push(`container ${c.id}`),
  });
  assert.deepEqual(order, ['event 7', 'container 444444444444', 'event 8']);
  assert.equal(withHandler.stats.containers, 5);
  assert.equal(withHandler.stats.containersSkipped, 2);
});

test('scapItems yields a mid-stream container between the events around it', async () => {
  const doc = JSON.stringify({ container: { id: '555555555555', type: 0, name: 'late', image: 'alpine:3' } });
  const data = Buffer.concat([
    encodeSectionHeader(),
    encodeEventBlock(103, 11n, 200, 0, [encodeParam('i64', 7)]),
    encodeEventBlock(272, 12n, -1, 0, [encodeParam('str', doc)]),
    encodeEventBlock(103, 13n, 200, 0, [encodeParam('i64', 8)]),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-items-'));
  writeFileSync(join(dir, 'c.scap'), data);
  const kinds: string[] = [];
  for await (const item of scapItems(join(dir, 'c.scap'))) {
    if (item.kind === 'events') kinds.push(...item.events.map((e) => `event ${e.ret}`));
    else if (item.kind === 'container') kinds.push(`container ${item.info.name}`);
    else kinds.push(item.kind);
  }
  assert.deepEqual(kinds, ['seed', 'event 7', 'container late', 'event 8']);
});
