import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { eventByName, type FlagTable } from '../../src/events/event-table.js';
import { renderFlags } from '../../src/events/flags.js';
import { encodeScap, readScapBuffer } from '../../src/scap/index.js';
import { openFlagsFromPpm, openFlagsToPpm, PPM_CODECS, type PpmCodecName } from '../../src/scap/ppm-flags.js';
import { sysdigAvailable } from './falco-harness.js';
import { baseSnapshot } from './generate.js';

const O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_TRUNC = 0o1000, O_CLOEXEC = 0o2000000, O_DIRECTORY = 0o200000;
const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x100, MAP_LOCKED = 0x2000;
const MAP_NORESERVE = 0x4000, MAP_STACK = 0x20000;
const RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
const AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
const MS_RDONLY = 1, MS_NOSUID = 2, MS_BIND = 0x1000, MNT_DETACH = 2, UMOUNT_NOFOLLOW = 8;
const RENAME_EXCHANGE = 2, CLONE_NEWNS = 0x20000, CLONE_NEWUSER = 0x10000000, CLONE_NEWNET = 0x40000000, AF_INET6 = 10;

test('open flags: access mode is two PPM bits, the rest one bit each', () => {
  assert.equal(openFlagsToPpm(0), 1, 'O_RDONLY is PPM_O_RDONLY');
  assert.equal(openFlagsToPpm(O_WRONLY), 2);
  assert.equal(openFlagsToPpm(O_RDWR), 3);
  assert.equal(openFlagsToPpm(O_WRONLY | O_CREAT | O_TRUNC), 2 | (1 << 2) | (1 << 8));
  for (const linux of [0, O_WRONLY, O_RDWR | O_CLOEXEC, O_WRONLY | O_CREAT | O_TRUNC, O_DIRECTORY | O_CLOEXEC]) {
    assert.equal(openFlagsFromPpm(openFlagsToPpm(linux)), linux, linux.toString(8));
  }
});

test('clone flags round-trip; the CSIGNAL byte has no PPM bit', () => {
  const CLONE_VM = 0x100, CLONE_THREAD = 0x10000, CLONE_NEWPID = 0x20000000, CLONE_CHILD_SETTID = 0x1000000;
  assert.equal(PPM_CODECS.clone.toPpm(CLONE_THREAD), 1 << 13);
  assert.equal(PPM_CODECS.clone.fromPpm(1 << 15), CLONE_VM);
  const linux = CLONE_VM | CLONE_THREAD | CLONE_NEWPID | CLONE_CHILD_SETTID;
  assert.equal(PPM_CODECS.clone.fromPpm(PPM_CODECS.clone.toPpm(linux | 0x11)), linux);
});

test('ptrace requests map between PPM indexes and Linux numbers', () => {
  assert.equal(PPM_CODECS.ptrace.fromPpm(11), 16, 'PPM_PTRACE_ATTACH is PTRACE_ATTACH');
  assert.equal(PPM_CODECS.ptrace.toPpm(0x4206), 20, 'PTRACE_SEIZE');
  assert.equal(PPM_CODECS.ptrace.toPpm(30), 35, 'PTRACE_ARCH_PRCTL');
  assert.equal(PPM_CODECS.ptrace.fromPpm(38), 33, 'PPM_PTRACE_SINGLEBLOCK');
  for (const linux of [0, 1, 5, 16, 17, 24, 25, 26, 31, 32, 0x4200, 0x420b]) assert.equal(PPM_CODECS.ptrace.fromPpm(PPM_CODECS.ptrace.toPpm(linux)), linux);
  assert.equal(PPM_CODECS.ptrace.toPpm(9999), 0, 'unknown requests are PPM_PTRACE_UNKNOWN');
});

test('PPM bit values from ppm_events_public.h', () => {
  const { prot, mmap, dup3, resolve, execveat } = PPM_CODECS;
  assert.equal(prot.toPpm(PROT_READ | PROT_EXEC), 0b101);
  assert.equal(prot.toPpm(PROT_GROWSDOWN), 1 << 4);
  assert.equal(prot.fromPpm(1 << 5), PROT_GROWSUP);
  assert.equal(mmap.toPpm(MAP_PRIVATE | MAP_ANONYMOUS), (1 << 1) | (1 << 3));
  assert.equal(mmap.toPpm(MAP_SHARED | MAP_FIXED), (1 << 0) | (1 << 2));
  assert.equal(mmap.toPpm(MAP_GROWSDOWN | MAP_NORESERVE), (1 << 9) | (1 << 6));
  assert.equal(mmap.fromPpm(1 << 14), MAP_LOCKED);
  assert.equal(mmap.fromPpm(1 << 5), 0, 'PPM_MAP_RENAME has no x86_64 bit');
  assert.equal(mmap.toPpm(MAP_STACK), 0, 'MAP_STACK has no PPM bit');
  assert.equal(dup3.toPpm(O_CLOEXEC), 1 << 12, 'PPM_O_CLOEXEC');
  assert.equal(dup3.toPpm(0), 0, 'dup3 carries no access mode, unlike open');
  assert.equal(resolve.toPpm(RESOLVE_BENEATH), 1 << 0);
  assert.equal(resolve.toPpm(RESOLVE_NO_XDEV), 1 << 4);
  assert.equal(resolve.fromPpm(1 << 1), RESOLVE_IN_ROOT);
  assert.equal(execveat.toPpm(AT_EMPTY_PATH), 1 << 0, 'PPM_EXVAT_AT_EMPTY_PATH');
  assert.equal(execveat.toPpm(AT_SYMLINK_NOFOLLOW), 1 << 1, 'PPM_EXVAT_AT_SYMLINK_NOFOLLOW');
});

test('every codec round-trips the Linux values it has PPM bits for', () => {
  const values: Record<PpmCodecName, number[]> = {
    open: [0, O_RDWR | O_CREAT | O_CLOEXEC],
    dup3: [0, O_CLOEXEC],
    clone: [0, (CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWNET) + 0x80000000],
    prot: [0, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP],
    mmap: [MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_PRIVATE, MAP_SHARED | MAP_FIXED | MAP_LOCKED | MAP_GROWSDOWN | MAP_NORESERVE | 0x40 | 0x800 | 0x1000 | 0x8000 | 0x10000],
    resolve: [0, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, 0x3f],
    execveat: [0, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW],
    ptrace: [0, 16, 0x4206],
  };
  for (const [name, list] of Object.entries(values) as [PpmCodecName, number[]][]) {
    const codec = PPM_CODECS[name];
    for (const linux of list) assert.equal(codec.fromPpm(codec.toPpm(linux)), linux, `${name} ${linux.toString(16)}`);
  }
});

/** A flag param vigil writes, where sysdig 0.29.3 shows it (`dir`), and the names it must print. */
interface FlagCase {
  event: string;
  args: Record<string, ArgValue>;
  /** The param sysdig prints (`%evt.arg.<param>`) and the vigil flag table that renders it, if vigil keeps it. */
  param: string;
  table?: FlagTable;
  dir: '>' | '<';
  sysdig: string;
}

const AT = -100;
const CASES: readonly FlagCase[] = [
  { event: 'mmap', args: { addr: 0, length: 4096, prot: PROT_READ | PROT_WRITE, flags: MAP_PRIVATE | MAP_ANONYMOUS, fd: -1, offset: 0 }, param: 'prot', table: 'prot', dir: '>', sysdig: 'PROT_READ|PROT_WRITE' },
  { event: 'mmap', args: { addr: 0, length: 4096, prot: PROT_READ | PROT_EXEC, flags: MAP_SHARED | MAP_FIXED | MAP_LOCKED, fd: 3, offset: 0 }, param: 'flags', table: 'mmap_flags', dir: '>', sysdig: 'MAP_SHARED|MAP_FIXED|MAP_LOCKED' },
  { event: 'mmap', args: { addr: 0, length: 4096, prot: PROT_READ, flags: MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, fd: -1, offset: 0 }, param: 'flags', table: 'mmap_flags', dir: '>', sysdig: 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE' },
  { event: 'mprotect', args: { addr: 0x7f0000000000, length: 4096, prot: PROT_READ | PROT_EXEC }, param: 'prot', table: 'prot', dir: '>', sysdig: 'PROT_READ|PROT_EXEC' },
  { event: 'openat2', args: { fd: 3, dirfd: AT, name: '/etc/hosts', flags: 0, mode: 0, resolve: RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS }, param: 'resolve', dir: '<', sysdig: 'RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS' },
  { event: 'execveat', args: { dirfd: AT, filename: '/bin/sh', at_flags: AT_EMPTY_PATH, exe: 'sh', args: ['-c', 'id'], env: [], cwd: '/root', comm: 'sh' }, param: 'flags', dir: '>', sysdig: 'AT_EMPTY_PATH' },
  { event: 'unlinkat', args: { dirfd: AT, name: '/tmp/dir', flags: AT_REMOVEDIR }, param: 'flags', table: 'at_flags', dir: '<', sysdig: 'AT_REMOVEDIR' },
  { event: 'linkat', args: { olddir: AT, oldpath: '/etc/passwd', newdir: AT, newpath: '/tmp/p', flags: AT_SYMLINK_FOLLOW | AT_EMPTY_PATH }, param: 'flags', table: 'at_flags', dir: '<', sysdig: 'AT_SYMLINK_FOLLOW|AT_EMPTY_PATH' },
  { event: 'renameat2', args: { olddirfd: AT, oldpath: '/tmp/a', newdirfd: AT, newpath: '/tmp/b', flags: RENAME_EXCHANGE }, param: 'flags', table: 'rename_flags', dir: '<', sysdig: 'RENAME_EXCHANGE' },
  { event: 'mount', args: { dev: '/dev/sda1', dir: '/mnt', type: 'ext4', flags: MS_RDONLY | MS_NOSUID | MS_BIND }, param: 'flags', table: 'mount_flags', dir: '>', sysdig: 'RDONLY|NOSUID|BIND' },
  { event: 'umount2', args: { name: '/mnt', flags: MNT_DETACH | UMOUNT_NOFOLLOW }, param: 'flags', table: 'umount_flags', dir: '>', sysdig: 'DETACH|NOFOLLOW' },
  { event: 'setns', args: { fd: 4, nstype: CLONE_NEWNET }, param: 'nstype', table: 'unshare_flags', dir: '>', sysdig: 'CLONE_NEWNET' },
  { event: 'unshare', args: { flags: CLONE_NEWNS | CLONE_NEWUSER }, param: 'flags', table: 'unshare_flags', dir: '>', sysdig: 'CLONE_NEWNS|CLONE_NEWUSER' },
  { event: 'fchmodat', args: { dirfd: AT, filename: '/tmp/x', mode: 0o2640 }, param: 'mode', table: 'open_mode', dir: '<', sysdig: 'S_IRGRP|S_IWUSR|S_IRUSR|S_ISGID' },
  { event: 'socket', args: { fd: 5, domain: AF_INET6, type: 1, proto: 6 }, param: 'domain', table: 'socket_family', dir: '>', sysdig: 'AF_INET6' },
];

const T0 = 1_700_000_000_000_000_000n;
const BASH = 200;

function caseEvent(c: FlagCase, i: number): VigilEvent {
  const def = eventByName(c.event)!;
  return {
    id: def.id, name: c.event, ts: T0 + BigInt(i) * 1000n, cpu: 0, pid: BASH, tid: BASH, ppid: 100, vpid: BASH,
    vtid: BASH, vppid: 100, uid: 0, gid: 0, loginuid: 0, comm: 'bash', tty: 34816, mntns: 0, pidns: 0, cgroupId: 0,
    cgroup: '/user.slice', ret: def.fd === 'creates' ? (c.args.fd as number) : 0, args: c.args,
  };
}

const snapshot = baseSnapshot();
const capture = encodeScap(snapshot, CASES.map(caseEvent));

test('a capture of flag params reads back with the Linux values it was written with', () => {
  const read: VigilEvent[] = [];
  const summary = readScapBuffer(capture, { onEvent: (e) => read.push(e) });
  assert.equal(summary.error, undefined);
  assert.equal(read.length, CASES.length);
  CASES.forEach((c, i) => {
    for (const p of eventByName(c.event)!.params) {
      const written = c.args[p.name];
      if (typeof written === 'number') assert.equal(read[i]!.args[p.name], written, `${c.event}.${p.name}`);
    }
  });
});

test('sysdig 0.29.3 prints the flag names vigil wrote, as vigil renders them', { skip: !sysdigAvailable() && 'sysdig is not installed' }, () => {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-ppm-')), 'flags.scap');
  writeFileSync(file, capture);
  const params = [...new Set(CASES.map((c) => c.param))];
  const r = spawnSync('sysdig', ['-r', file, '-p', `*%evt.rawtime\t%evt.dir\t${params.map((p) => `%evt.arg.${p}`).join('\t')}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const shown = new Map<string, string[]>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const [ts, dir, ...values] = line.split('\t');
    shown.set(`${ts} ${dir}`, values);
  }
  const read: VigilEvent[] = [];
  readScapBuffer(capture, { onEvent: (e) => read.push(e) });
  CASES.forEach((c, i) => {
    // Enter events are written 1 ns before their exit.
    const ts = caseEvent(c, i).ts - (c.dir === '>' ? 1n : 0n);
    const text = shown.get(`${ts} ${c.dir}`)?.[params.indexOf(c.param)];
    assert.equal(text, c.sysdig, `${c.event} ${c.param}`);
    if (c.table) assert.equal(renderFlags(c.table, read[i]!.args[c.param] as number), c.sysdig, `vigil's rendering of ${c.event} ${c.param}`);
  });
});
