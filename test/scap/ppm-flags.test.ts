import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cloneFlagsFromPpm, cloneFlagsToPpm, openFlagsFromPpm, openFlagsToPpm, ptraceRequestFromPpm, ptraceRequestToPpm,
} from '../../src/scap/ppm-flags.js';

const O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_TRUNC = 0o1000, O_CLOEXEC = 0o2000000, O_DIRECTORY = 0o200000;

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
  for (const linux of [0, 1, 5, 16, 17, 24, 0x4200, 0x420b]) assert.equal(ptraceRequestFromPpm(ptraceRequestToPpm(linux)), linux);
  assert.equal(ptraceRequestToPpm(9999), 0, 'unknown requests are PPM_PTRACE_UNKNOWN');
});
