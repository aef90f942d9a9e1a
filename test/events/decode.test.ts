import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRecord } from '../../src/events/decode.js';
import { encodeEvent, EncodeError } from '../../src/events/encode.js';
import { eventByName } from '../../src/events/event-table.js';
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { HDR, VIGIL_F_ARGV0, VIGIL_F_CONTAINER, VIGIL_F_LIFECYCLE, VIGIL_F_TRUNCATED } from '../../src/events/wire.js';

const CONTAINER = '/docker/' + 'ab12'.repeat(16);

function event(name: string, args: Record<string, ArgValue>, extra: Partial<VigilEvent> = {}): VigilEvent {
  return {
    id: eventByName(name)!.id, name, ts: 1_795_973_242_205_204_482n, cpu: 1, pid: 4242, tid: 4243, ppid: 1,
    vpid: 42, vtid: 43, vppid: 0, uid: 1000, gid: 1000, loginuid: 0xffffffff, comm: 'bash', tty: (136 << 20) | 3,
    mntns: 4026531841, pidns: 4026531836, cgroupId: 2 ** 40 + 7, cgroup: '/', ret: 0, args, ...extra,
  };
}

const cases: VigilEvent[] = [
  event('execve', { exe: '/bin/true', args: ['a', 'b c', ''], env: ['PATH=/bin'], cwd: '/tmp', filename: '/usr/bin/true', uid: 0, cap_effective: 2 ** 41 - 1 }),
  event('openat', { fd: 3, dirfd: -100, name: 'x/é.txt', flags: 0o1101, mode: 0o644 }, { ret: 3 }),
  event('openat', { fd: -13, dirfd: -100, name: '/etc/shadow', flags: 2 }, { ret: -13, cgroup: CONTAINER }),
  event('connect', { fd: 5, addr: { family: 2, addr: '127.0.0.1', port: 8080 } }),
  event('connect', { fd: 5, addr: { family: 10, addr: '2001:db8::1', port: 443 } }),
  event('connect', { fd: 5, addr: { family: 1, path: '/run/docker.sock' } }),
  event('connect', { fd: 5, addr: { family: 1, path: '@abstract' } }),
  event('sendto', { fd: 5, size: 3, data: new Uint8Array([1, 2, 3]) }),
  event('ptrace', { request: 0, pid: 0, addr: 0, data: 0 }),
  event('clone', { flags: 0x1200011, child_tid: 999, child_pid: 999 }, { ret: 57 }),
  event('procexit', { status: 9, reaper_tid: 1 }),
  event('mmap', { addr: 0x7f00_0000_0000, length: 4096, prot: 7, flags: 0x22, fd: -1, offset: 0 }),
  event('kill', {}, { ret: -1 }),
];

test('decode(encode(e)) gives back e', () => {
  for (const e of cases) {
    const r = decodeRecord(encodeEvent(e));
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepEqual(r.event, e);
  }
});

test('an argument past 65,535 bytes is cut there and the record is flagged truncated; the next record is whole', () => {
  const long = 'é'.repeat(40_000); // 80,000 bytes of UTF-8
  const cut = decodeRecord(encodeEvent(event('execve', { exe: '/bin/sh', args: [long, 'x'], cwd: '/' })));
  assert.ok(cut.ok);
  assert.equal(encodeEvent(event('execve', { exe: '/bin/sh', args: [long], cwd: '/' }))[HDR.FLAGS]! & VIGIL_F_TRUNCATED, VIGIL_F_TRUNCATED);
  const args = cut.event.args.args as string[];
  assert.equal(args.length, 1);
  assert.ok(Buffer.byteLength(args[0]!) <= 0xffff && args[0]!.startsWith('éé'));
  assert.equal(cut.event.args.cwd, '/');
  // The reused assembly buffer leaves nothing of the long record in a short one.
  const short = event('openat', { fd: 3, dirfd: -100, name: 'a', flags: 0, mode: 0 }, { comm: 'x' });
  const again = decodeRecord(encodeEvent(short));
  assert.ok(again.ok && again.event);
  assert.deepEqual(again.event, short);
});

test('encode flags life-cycle events and container cgroups for the router', () => {
  assert.equal(encodeEvent(cases[0]!)[HDR.FLAGS]! & VIGIL_F_LIFECYCLE, VIGIL_F_LIFECYCLE);
  assert.equal(encodeEvent(cases[1]!)[HDR.FLAGS], 0);
  assert.equal(encodeEvent(cases[2]!)[HDR.FLAGS]! & VIGIL_F_CONTAINER, VIGIL_F_CONTAINER);
});

test('a kernel exec record (VIGIL_F_ARGV0) has argv[0] split into exe', () => {
  const bytes = encodeEvent(event('execve', { args: ['/bin/true', 'a', 'b'] }));
  bytes[HDR.FLAGS] = bytes[HDR.FLAGS]! | VIGIL_F_ARGV0;
  const r = decodeRecord(bytes);
  assert.ok(r.ok);
  assert.equal(r.event.args['exe'], '/bin/true');
  assert.deepEqual(r.event.args['args'], ['a', 'b']);
});

test('records decode back to back at an offset', () => {
  const a = encodeEvent(cases[1]!);
  const b = encodeEvent(cases[3]!);
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  const first = decodeRecord(both, 0);
  assert.ok(first.ok);
  const second = decodeRecord(both, first.size);
  assert.ok(second.ok);
  assert.deepEqual(second.event, cases[3]);
});

test('bad records are reported with a reason, not thrown', () => {
  const good = encodeEvent(cases[1]!);
  const ARGS = 104 + '/'.length; // header, then the cgroup path
  const bad = (mutate: (b: Uint8Array, v: DataView) => void) => {
    const b = good.slice();
    mutate(b, new DataView(b.buffer));
    return decodeRecord(b);
  };
  const short = decodeRecord(good.subarray(0, 50));
  assert.deepEqual([short.ok, short.ok ? 0 : short.size], [false, 0]);
  const version = bad((b) => (b[HDR.VERSION] = 99));
  assert.ok(!version.ok && /wire version 99/.test(version.error) && version.size === good.length);
  const id = bad((_, v) => v.setUint16(HDR.EVENT_ID, 999, true));
  assert.ok(!id.ok && /unknown event id 999/.test(id.error));
  const kind = bad((b) => (b[ARGS + 1] = 3)); // the fd arg (S64) claims to be a string
  assert.ok(!kind.ok && /wire kind 3/.test(kind.error));
  const overrun = bad((_, v) => v.setUint16(ARGS + 2, 5000, true));
  assert.ok(!overrun.ok && /overruns/.test(overrun.error));
});

test('encode refuses unknown events and mistyped arguments', () => {
  assert.throws(() => encodeEvent({ ...cases[1]!, id: 999 }), EncodeError);
  assert.throws(() => encodeEvent(event('openat', { name: 7 })), EncodeError);
});
