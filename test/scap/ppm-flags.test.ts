import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cloneFlagsFromPpm, cloneFlagsToPpm, openFlagsFromPpm, openFlagsToPpm, PPM_CODECS, ptraceRequestFromPpm, ptraceRequestToPpm,
  type PpmCodecName,
} from '../../src/scap/ppm-flags.js';

const O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_TRUNC = 0o1000, O_CLOEXEC = 0o2000000, O_DIRECTORY = 0o200000;
const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x100, MAP_LOCKED = 0x2000;
const MAP_NORESERVE = 0x4000, MAP_STACK = 0x20000;
const RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
const AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
const CLONE_NEWNS = 0x20000, CLONE_NEWUSER = 0x10000000, CLONE_NEWNET = 0x40000000;

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
  assert.equal(cloneFlagsToPpm(CLONE_THREAD), 1 << 13);
  assert.equal(cloneFlagsFromPpm(1 << 15), CLONE_VM);
  const linux = CLONE_VM | CLONE_THREAD | CLONE_NEWPID | CLONE_CHILD_SETTID;
  assert.equal(cloneFlagsFromPpm(cloneFlagsToPpm(linux | 0x11)), linux);
});

test('ptrace requests map between PPM indexes and Linux numbers', () => {
  assert.equal(ptraceRequestFromPpm(11), 16, 'PPM_PTRACE_ATTACH is PTRACE_ATTACH');
  assert.equal(ptraceRequestToPpm(0x4206), 20, 'PTRACE_SEIZE');
  assert.equal(ptraceRequestToPpm(30), 35, 'PTRACE_ARCH_PRCTL');
  assert.equal(ptraceRequestFromPpm(38), 33, 'PPM_PTRACE_SINGLEBLOCK');
  for (const linux of [0, 1, 5, 16, 17, 24, 25, 26, 31, 32, 0x4200, 0x420b]) assert.equal(ptraceRequestFromPpm(ptraceRequestToPpm(linux)), linux);
  assert.equal(ptraceRequestToPpm(9999), 0, 'unknown requests are PPM_PTRACE_UNKNOWN');
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
