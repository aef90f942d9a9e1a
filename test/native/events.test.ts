// Real programs under the live sensor; their events are checked field by field.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AT_FDCWD, NO_LOGINUID, type VigilEvent } from '../../src/events/event.js';
import { EXE_FROM_MEMFD, EXE_LOWER_LAYER, EXE_UPPER_LAYER, EXE_WRITABLE } from '../../src/events/flags.js';
import { capture, fixtures, requireLiveSensor } from './capture.js';

const O_WRONLY = 0o1;
const O_RDWR = 0o2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const EBADF = 9;

/** The one event named `name` of process `pid` (fails if there is not exactly one). */
function one(events: VigilEvent[], pid: number, name: string, where: (e: VigilEvent) => boolean = () => true): VigilEvent {
  const found = events.filter((e) => e.pid === pid && e.name === name && where(e));
  assert.equal(found.length, 1, `${name} events of pid ${pid}: ${found.length}`);
  return found[0]!;
}

/** The header fields every record carries, checked against what /proc says of this (parent) process. */
function assertHostHeader(e: VigilEvent, pid: number, comm: string): void {
  assert.equal(e.pid, pid);
  assert.equal(e.tid, pid);
  assert.equal(e.ppid, process.pid);
  assert.equal(e.vpid, pid); // the test runs in the initial pid namespace
  assert.equal(e.vtid, pid);
  assert.equal(e.vppid, process.pid);
  assert.equal(e.comm, comm);
  assert.equal(e.uid, 0);
  assert.equal(e.gid, 0);
  assert.ok(e.loginuid === NO_LOGINUID || e.loginuid >= 0);
  const selfNs = (ns: string) => Number(/\[(\d+)\]/.exec(readlink(`/proc/self/ns/${ns}`))![1]);
  assert.equal(e.mntns, selfNs('mnt'));
  assert.equal(e.pidns, selfNs('pid'));
  assert.ok(e.cpu >= 0 && e.cpu < 1024);
  assert.ok(e.cgroupId > 0);
  assert.ok(!e.cgroup.includes('docker'));
  const now = BigInt(Date.now()) * 1_000_000n;
  assert.ok(e.ts > now - 60_000_000_000n && e.ts <= now + 1_000_000_000n, `ts ${e.ts} is epoch ns`);
}

function readlink(path: string): string {
  return execFileSync('readlink', [path], { encoding: 'utf8' }).trim();
}

test('exec of /bin/true with arguments', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events, undecodable } = await capture({ events: ['execve', 'procexit'] }, () => {
    pid = spawnSync('/bin/true', ['alpha', 'beta gamma'], { cwd: '/tmp' }).pid!;
  });
  assert.deepEqual(undecodable, []);
  const e = one(events, pid, 'execve');
  assertHostHeader(e, pid, 'true');
  assert.equal(e.ret, 0);
  assert.equal(e.args['exe'], '/bin/true');
  assert.deepEqual(e.args['args'], ['alpha', 'beta gamma']);
  assert.equal(e.args['filename'], '/bin/true');
  assert.equal(e.args['trusted_exepath'], realpathSync('/bin/true'));
  assert.equal(e.args['cwd'], '/tmp');
  assert.equal(e.args['comm'], 'true');
  assert.equal(e.args['uid'], 0);
  assert.equal(e.args['env'], undefined); // envpMax defaults to 0
  const st = statSync(realpathSync('/bin/true'), { bigint: true });
  assert.equal(e.args['exe_ino'], Number(st.ino));
  // Nanosecond epochs lose their last bits as JS numbers.
  assert.ok(Math.abs(Number(e.args['exe_ino_ctime']) - Number(st.ctimeNs)) < 1024, `ctime ${e.args['exe_ino_ctime']} vs ${st.ctimeNs}`);
  assert.ok(Math.abs(Number(e.args['exe_ino_mtime']) - Number(st.mtimeNs)) < 1024, `mtime ${e.args['exe_ino_mtime']} vs ${st.mtimeNs}`);
  assert.equal(e.args['flags'], EXE_WRITABLE, 'root (CAP_DAC_OVERRIDE) on a writable ext4 mount, no overlay, no memfd');
  const exit = one(events, pid, 'procexit');
  assert.equal(exit.args['status'], 0);
  assert.ok(exit.ts >= e.ts);
});

test('argv and envp are kept up to their configured bounds', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events } = await capture({ events: ['execve'], argvMax: 24, envpMax: 40 }, () => {
    pid = spawnSync('/bin/true', ['0123456789', 'abcdefghijklmnop'], { env: { LONG: 'x'.repeat(100), SHORT: '1' } }).pid!;
  });
  const e = one(events, pid, 'execve');
  assert.equal(e.args['exe'], '/bin/true'); // 10 bytes with its NUL
  assert.deepEqual(e.args['args'], ['0123456789', 'abc']); // 24 bytes in all, the last string cut
  assert.deepEqual(e.args['env'], [`LONG=${'x'.repeat(35)}`]);
});

test('the daemon\'s own syscalls are filtered out in the kernel', async (t) => {
  if (!requireLiveSensor(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-self-'));
  const { events } = await capture({ events: ['openat', 'close', 'unlink'] }, () => {
    writeFileSync(join(dir, 'own'), 'x');
    unlinkSync(join(dir, 'own'));
  });
  assert.equal(events.filter((e) => e.pid === process.pid).length, 0);
});

test('a failed exec reports its errno and the argv it was given', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events } = await capture({ events: ['execve'] }, () => {
    pid = spawnSync('/bin/sh', ['-c', 'exec /nonexistent/prog one two 2>/dev/null'], { stdio: 'ignore' }).pid!;
  });
  const failed = one(events, pid, 'execve', (e) => e.ret < 0);
  assert.equal(failed.ret, -2);
  assert.equal(failed.args['filename'], '/nonexistent/prog');
  assert.equal(failed.args['exe'], '/nonexistent/prog');
  assert.deepEqual(failed.args['args'], ['one', 'two']);
});

test('a file opened for writing under a temp dir, then renamed and unlinked', async (t) => {
  if (!requireLiveSensor(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-open-'));
  const bin = fixtures()['fileops']!;
  let pid = 0;
  const { events } = await capture({ events: ['openat', 'close', 'rename', 'unlink'] }, () => {
    const r = spawnSync(bin, [dir]);
    assert.equal(r.status, 0);
    pid = r.pid!;
  });
  const open = one(events, pid, 'openat', (e) => e.args['name'] === `${dir}/created.txt`);
  assertHostHeader(open, pid, 'fileops');
  assert.ok(open.ret >= 3);
  assert.equal(open.args['fd'], open.ret);
  assert.equal(open.args['dirfd'], AT_FDCWD);
  assert.equal(open.args['flags'], O_WRONLY | O_CREAT | O_TRUNC);
  assert.equal(open.args['mode'], 0o640);
  const close = events.find((e) => e.pid === pid && e.name === 'close' && e.args['fd'] === open.ret && e.ts > open.ts)!;
  assert.equal(close.ret, 0);
  const rename = one(events, pid, 'rename');
  assert.deepEqual(rename.args, { oldpath: `${dir}/created.txt`, newpath: `${dir}/renamed.txt` });
  assert.equal(rename.ret, 0);
  const unlink = one(events, pid, 'unlink');
  assert.deepEqual(unlink.args, { path: `${dir}/renamed.txt` });
  assert.equal(unlink.ret, 0);
});

test('a TCP connect to a loopback port', async (t) => {
  if (!requireLiveSensor(t)) return;
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let pid = 0;
  try {
    const { events } = await capture({ events: ['socket', 'connect'] }, async () => {
      const r = spawnSync(fixtures()['tcp_connect']!, [String(port)]);
      assert.equal(r.status, 0);
      pid = r.pid!;
    });
    const socket = one(events, pid, 'socket');
    assert.deepEqual({ domain: socket.args['domain'], type: socket.args['type'], proto: socket.args['proto'] }, { domain: 2, type: 1, proto: 0 });
    const connect = one(events, pid, 'connect');
    assertHostHeader(connect, pid, 'tcp_connect');
    assert.equal(connect.ret, 0);
    assert.equal(connect.args['fd'], socket.ret);
    assert.deepEqual(connect.args['addr'], { family: 2, addr: '127.0.0.1', port });
    const local = connect.args['local'] as { family: number; addr: string; port: number };
    assert.deepEqual([local.family, local.addr], [2, '127.0.0.1']);
    assert.ok(local.port > 0 && local.port !== port, 'the ephemeral local port');
  } finally {
    server.close();
  }
});

/** glibc's dev_t (what stat returns) → the kernel's (major << 20 | minor), which records carry. */
function kernelDev(dev: number): number {
  const major = Math.floor(dev / 256) & 0xfff;
  const minor = (dev & 0xff) | (Math.floor(dev / 4096) & ~0xff & 0xfff00);
  return major * 2 ** 20 + minor;
}

test('open records carry the opened file\'s device and inode', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events } = await capture({ events: ['openat', 'execve'] }, () => {
    pid = spawnSync('/bin/cat', ['/etc/hostname']).pid!;
  });
  const st = statSync('/etc/hostname');
  const open = one(events, pid, 'openat', (e) => e.args['name'] === '/etc/hostname');
  assert.equal(open.args['ino'], st.ino);
  assert.equal(open.args['dev'], kernelDev(st.dev));
  assert.equal(one(events, pid, 'execve').args['exe_ino'], statSync('/bin/cat').ino);
});

test('ptrace(PTRACE_TRACEME)', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events } = await capture({ events: ['ptrace'] }, () => {
    pid = spawnSync(fixtures()['ptrace_traceme']!).pid!;
  });
  const e = one(events, pid, 'ptrace');
  assertHostHeader(e, pid, 'ptrace_traceme');
  assert.equal(e.ret, 0);
  assert.deepEqual(e.args, { request: 0, pid: 0, addr: 0, data: 0 });
});

test('a write open of /proc/self/mem', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events } = await capture({ events: ['openat'] }, () => {
    const r = spawnSync(fixtures()['proc_self_mem']!);
    assert.equal(r.status, 0);
    pid = r.pid!;
  });
  const e = one(events, pid, 'openat', (x) => x.args['name'] === '/proc/self/mem');
  assert.ok(e.ret >= 3);
  assert.equal(e.args['flags'], O_RDWR);
  assert.equal(e.args['dirfd'], AT_FDCWD);
});

test('a memfd created and executed', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events } = await capture({ events: ['memfd_create', 'execve', 'execveat'] }, () => {
    const r = spawnSync(fixtures()['memfd_exec']!, ['/bin/true', 'from-memfd']);
    assert.equal(r.status, 0);
    pid = r.pid!;
  });
  const memfd = one(events, pid, 'memfd_create');
  assert.equal(memfd.args['name'], 'vigil-memfd');
  assert.equal(memfd.args['flags'], 0);
  assert.ok(memfd.ret >= 3);
  const exec = one(events, pid, 'execveat');
  assert.equal(exec.ret, 0);
  assert.equal(exec.args['dirfd'], memfd.ret);
  assert.equal(exec.args['flags'], EXE_FROM_MEMFD | EXE_WRITABLE); // root may write the memfd; not on an overlay
  assert.deepEqual([exec.args['exe'], exec.args['args']], ['/bin/true', ['from-memfd']]);
  assert.equal(exec.args['trusted_exepath'], '/memfd:vigil-memfd (deleted)');
  assert.equal(exec.comm, 'memfd:vigil-mem'); // the memfd's name, cut to 15 characters
});

test('exec flags: the overlay layer an executable comes from, and whether its user may write it', async (t) => {
  if (!requireLiveSensor(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ovl-'));
  for (const d of ['lower', 'upper', 'work', 'merged']) execFileSync('mkdir', ['-p', join(dir, d)]);
  execFileSync('cp', [realpathSync('/bin/true'), join(dir, 'lower', 'from-lower')]);
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${join(dir, 'lower')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, join(dir, 'merged')]);
  t.after(() => spawnSync('umount', [join(dir, 'merged')]));
  const merged = (name: string) => join(dir, 'merged', name);
  execFileSync('cp', [realpathSync('/bin/true'), merged('from-upper')]); // written through the mount: upper layer
  execFileSync('cp', [realpathSync('/bin/true'), join(dir, 'mine')]);
  execFileSync('chmod', ['0755', join(dir, 'mine')]);
  execFileSync('cp', [realpathSync('/bin/true'), join(dir, 'everyones')]);
  execFileSync('chmod', ['0777', join(dir, 'everyones'), dir]);
  // An unprivileged user: no CAP_DAC_OVERRIDE, so only the mode bits decide.
  const asNobody = (path: string) => spawnSync('/usr/bin/python3', ['-c', `import os; os.setgid(65534); os.setuid(65534); os.execv(${JSON.stringify(path)}, ['x'])`]).pid!;
  const pids: Record<string, number> = {};
  const { events } = await capture({ events: ['execve'] }, () => {
    pids['lower'] = spawnSync(merged('from-lower')).pid!;
    pids['upper'] = spawnSync(merged('from-upper')).pid!;
    pids['nobody-0755'] = asNobody(join(dir, 'mine'));
    pids['nobody-0777'] = asNobody(join(dir, 'everyones'));
  });
  const paths: Record<string, string> = { lower: merged('from-lower'), upper: merged('from-upper'), 'nobody-0755': join(dir, 'mine'), 'nobody-0777': join(dir, 'everyones') };
  const flags = (key: string) => one(events, pids[key]!, 'execve', (e) => e.ret === 0 && e.args['filename'] === paths[key]).args['flags'];
  assert.equal(flags('lower'), EXE_LOWER_LAYER | EXE_WRITABLE);
  assert.equal(flags('upper'), EXE_UPPER_LAYER | EXE_WRITABLE);
  assert.equal(flags('nobody-0755'), 0, 'root-owned 0755: not writable by nobody');
  assert.equal(flags('nobody-0777'), EXE_WRITABLE);
});

test('a setuid', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events } = await capture({ events: ['setuid'] }, () => {
    pid = spawnSync(fixtures()['setuid_nobody']!).pid!;
  });
  const e = one(events, pid, 'setuid');
  assert.equal(e.ret, 0);
  assert.deepEqual(e.args, { uid: 65534 });
  assert.equal(e.uid, 65534); // the header is read at exit, after the change
});

test('clone: the parent record names the child by its host ids; procexit names the reaper', async (t) => {
  if (!requireLiveSensor(t)) return;
  let shPid = 0;
  const { events } = await capture({ events: ['clone', 'fork', 'vfork', 'clone3', 'execve', 'procexit'] }, () => {
    shPid = spawnSync('/bin/sh', ['-c', '/bin/true; exit 3']).pid!;
  });
  const fork = events.find((e) => e.pid === shPid && ['clone', 'clone3', 'fork', 'vfork'].includes(e.name) && e.ret > 0)!;
  assert.ok(fork, 'the shell forked');
  const child = fork.args['child_pid'] as number;
  assert.equal(fork.args['child_tid'], child);
  assert.equal(fork.ret, child);
  const childExec = one(events, child, 'execve');
  assert.equal(childExec.ppid, shPid);
  const shExit = one(events, shPid, 'procexit');
  assert.equal(shExit.args['status'], 3 << 8);
  assert.equal(typeof shExit.args['reaper_tid'], 'number');
  assert.equal(events.filter((e) => e.pid === shPid && e.name === 'close').length, 0, 'events not asked for are off in the kernel');
});

test('failing syscalls report the negative errno', async (t) => {
  if (!requireLiveSensor(t)) return;
  let pid = 0;
  const { events } = await capture({ events: ['close'] }, () => {
    pid = spawnSync(fixtures()['storm']!, ['3']).pid!;
  });
  const closes = events.filter((e) => e.pid === pid && e.name === 'close' && e.args['fd'] === -1);
  assert.equal(closes.length, 3);
  for (const c of closes) assert.equal(c.ret, -EBADF);
});
