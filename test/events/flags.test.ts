import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXE_FROM_MEMFD, EXE_UPPER_LAYER, EXE_WRITABLE, errnoName, flagNames, renderCapabilities, renderFlags, renderResult,
} from '../../src/events/flags.js';
import { EVENTS, type FlagTable } from '../../src/events/event-table.js';

const O = { WRONLY: 1, RDWR: 2, CREAT: 0o100, EXCL: 0o200, TRUNC: 0o1000, APPEND: 0o2000, NONBLOCK: 0o4000, DIRECTORY: 0o200000, CLOEXEC: 0o2000000 };

test('open flags print in libs order with the access mode in its slot', () => {
  const cases: [number, string][] = [
    [0, 'O_RDONLY'],
    [O.WRONLY, 'O_WRONLY'],
    [O.RDWR, 'O_RDWR'],
    [O.WRONLY | O.CREAT | O.TRUNC | O.CLOEXEC, 'O_TRUNC|O_CREAT|O_WRONLY|O_CLOEXEC'],
    [O.RDWR | O.CREAT | O.EXCL, 'O_EXCL|O_CREAT|O_RDWR'],
    [O.DIRECTORY | O.NONBLOCK | O.CLOEXEC, 'O_DIRECTORY|O_NONBLOCK|O_RDONLY|O_CLOEXEC'],
    [O.APPEND | O.WRONLY, 'O_APPEND|O_WRONLY'],
  ];
  for (const [value, text] of cases) assert.equal(renderFlags('open_flags', value), text, `flags ${value.toString(8)}`);
});

test('file modes print as S_I* names, setuid last', () => {
  assert.equal(renderFlags('open_mode', 0o4755), 'S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID');
  assert.equal(renderFlags('open_mode', 0o2000), 'S_ISGID');
  assert.equal(renderFlags('open_mode', 0), '');
});

test('execve flags', () => {
  assert.equal(renderFlags('execve_flags', EXE_WRITABLE | EXE_UPPER_LAYER), 'EXE_WRITABLE|EXE_UPPER_LAYER');
  assert.equal(renderFlags('execve_flags', EXE_FROM_MEMFD), 'EXE_FROM_MEMFD');
  assert.equal(renderFlags('execve_flags', 0), '');
});

test('enumerations: ptrace requests, socket families, signals, bpf commands; unknown values print as numbers', () => {
  assert.equal(renderFlags('ptrace_request', 16), 'PTRACE_ATTACH');
  assert.equal(renderFlags('ptrace_request', 0), 'PTRACE_TRACEME');
  assert.equal(renderFlags('ptrace_request', 0x4206), 'PTRACE_SEIZE');
  assert.equal(renderFlags('ptrace_request', 5), 'PTRACE_POKEDATA');
  assert.equal(renderFlags('socket_family', 17), 'AF_PACKET');
  assert.equal(renderFlags('socket_family', 2), 'AF_INET');
  assert.equal(renderFlags('socket_family', 10), 'AF_INET6');
  assert.equal(renderFlags('signal', 9), 'SIGKILL');
  assert.equal(renderFlags('bpf_cmd', 5), 'BPF_PROG_LOAD');
  assert.equal(renderFlags('ptrace_request', 999), '999');
});

test('socket types combine the type and the SOCK_* flags', () => {
  assert.equal(renderFlags('socket_type', 1), 'SOCK_STREAM');
  assert.equal(renderFlags('socket_type', 2 | O.CLOEXEC | O.NONBLOCK), 'SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC');
});

test('prot, mmap, at, rename, mount, umount, namespace and memfd flags', () => {
  assert.equal(renderFlags('prot', 0), 'PROT_NONE');
  assert.equal(renderFlags('prot', 7), 'PROT_READ|PROT_WRITE|PROT_EXEC');
  assert.equal(renderFlags('mmap_flags', 0x22), 'MAP_PRIVATE|MAP_ANONYMOUS');
  assert.equal(renderFlags('at_flags', 0x200), 'AT_REMOVEDIR');
  assert.equal(renderFlags('rename_flags', 1), 'RENAME_NOREPLACE');
  assert.equal(renderFlags('mount_flags', 0x1000 | 0x4000), 'BIND|REC');
  assert.equal(renderFlags('umount_flags', 2), 'DETACH');
  assert.equal(renderFlags('unshare_flags', 0x20000 | 0x40000000), 'CLONE_NEWNS|CLONE_NEWNET');
  assert.equal(renderFlags('memfd_flags', 3), 'MFD_CLOEXEC|MFD_ALLOW_SEALING');
});

test('clone flags, including the clone3 bits above bit 31', () => {
  assert.equal(renderFlags('clone_flags', 0x10000 | 0x100), 'CLONE_THREAD|CLONE_VM');
  assert.equal(renderFlags('clone_flags', 0x200000000), 'CLONE_INTO_CGROUP');
  assert.equal(renderFlags('clone_flags', 0x80000000), 'CLONE_IO');
});

test('renderings are stable across repeated (memoised) calls', () => {
  for (let i = 0; i < 3; i++) assert.equal(renderFlags('open_flags', O.RDWR | O.CREAT), 'O_CREAT|O_RDWR');
});

test('every flag table an event parameter names can render', () => {
  const tables = new Set<FlagTable>();
  for (const e of EVENTS) for (const p of e.params) if (p.table) tables.add(p.table);
  for (const t of tables) assert.ok(flagNames(t).length > 0, t);
});

test('errno names and evt.res text', () => {
  assert.equal(errnoName(2), 'ENOENT');
  assert.equal(errnoName(13), 'EACCES');
  assert.equal(errnoName(115), 'EINPROGRESS');
  assert.equal(errnoName(41), undefined);
  assert.equal(renderResult(0), 'SUCCESS');
  assert.equal(renderResult(7), 'SUCCESS');
  assert.equal(renderResult(-2), 'ENOENT');
  assert.equal(renderResult(-111), 'ECONNREFUSED');
  assert.equal(renderResult(-9999), '-9999');
});

test('capability masks print as CAP_* names', () => {
  assert.equal(renderCapabilities(0n), '');
  assert.equal(renderCapabilities((1n << 21n) | 1n), 'CAP_CHOWN CAP_SYS_ADMIN');
  assert.match(renderCapabilities(0x1ffffffffffn), /^CAP_CHOWN .* CAP_BPF CAP_CHECKPOINT_RESTORE$/);
});
