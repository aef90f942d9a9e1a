import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateTables } from '../../src/state/index.js';
import { ancestorAt, ancestorsOf, sessionLeaderOf } from '../../src/state/ancestry.js';
import { ProcessTable } from '../../src/state/process-table.js';
import { makeEvent } from './make-event.js';

const CLONE_THREAD = 0x10000;
const CLONE_VM = 0x100;
const CLONE_FILES = 0x400;
const O_CLOEXEC = 0o2000000;

/** init(1) → sshd(10) → bash(20), all exec'd, so the tree has names. */
function tree(): StateTables {
  const s = new StateTables();
  const exec = (pid: number, ppid: number, comm: string, exe: string, args: string[] = []) => {
    s.apply(makeEvent('execve', { pid, ppid, comm }, { exe, args, comm, trusted_exepath: exe, cwd: '/', sid: pid === 20 ? 20 : 1 }));
  };
  exec(1, 0, 'systemd', '/sbin/init');
  s.apply(makeEvent('clone', { pid: 1, comm: 'systemd', ret: 10 }, { flags: 0, child_tid: 10, child_pid: 10 }));
  exec(10, 1, 'sshd', '/usr/sbin/sshd', ['-D']);
  s.apply(makeEvent('clone', { pid: 10, ppid: 1, comm: 'sshd', ret: 20 }, { flags: 0, child_tid: 20, child_pid: 20 }));
  exec(20, 10, 'bash', '/bin/bash', ['-l']);
  return s;
}

test('clone of a process: new pid, parent is the caller, fds copied, image inherited, cloneTs = event time', () => {
  const s = tree();
  s.apply(makeEvent('openat', { pid: 20, comm: 'bash', ret: 3 }, { fd: 3, dirfd: -100, name: '/etc/hosts', flags: 0 }));
  const evt = makeEvent('clone', { pid: 20, ppid: 10, comm: 'bash', ret: 30 }, { flags: 0, child_tid: 30, child_pid: 30 });
  s.apply(evt);
  const child = s.thread(30)!;
  const parent = s.thread(20)!;
  assert.equal(child.pid, 30);
  assert.equal(child.ptid, 20);
  assert.equal(child.comm, 'bash');
  assert.equal(child.exe, '/bin/bash');
  assert.deepEqual(child.args, ['-l']);
  assert.equal(child.cloneTs, evt.ts);
  assert.notEqual(child.fds, parent.fds);
  assert.equal(child.fds.get(3)?.name, '/etc/hosts');
  s.apply(makeEvent('close', { pid: 30, ppid: 20, comm: 'bash', ret: 0 }, { fd: 3 }));
  s.finish(makeEvent('close', { pid: 30, ppid: 20, comm: 'bash', ret: 0 }, { fd: 3 }));
  assert.equal(child.fds.get(3), undefined, 'closed in the child');
  assert.equal(parent.fds.get(3)?.name, '/etc/hosts', 'still open in the parent');
});

test('clone of a thread: same pid, same parent as the process, shared fd table', () => {
  const s = tree();
  s.apply(makeEvent('clone', { pid: 20, ppid: 10, comm: 'bash', ret: 21 }, { flags: CLONE_THREAD | CLONE_VM | CLONE_FILES, child_tid: 21, child_pid: 20 }));
  const thread = s.thread(21)!;
  assert.equal(thread.pid, 20);
  assert.equal(thread.ptid, 10);
  assert.equal(thread.fds, s.thread(20)!.fds);
  s.apply(makeEvent('openat', { pid: 20, tid: 21, comm: 'bash', ret: 4 }, { fd: 4, dirfd: -100, name: '/tmp/x', flags: 1 }));
  assert.equal(s.thread(20)!.fds.get(4)?.name, '/tmp/x', 'an fd opened by one thread is seen by the others');
});

test("a child's own clone return creates it when the parent's was not seen", () => {
  const s = tree();
  s.apply(makeEvent('clone', { pid: 40, ppid: 20, comm: 'bash', ret: 0 }, { flags: 0 }));
  const child = s.thread(40)!;
  assert.equal(child.ptid, 20);
  assert.equal(child.exe, '/bin/bash');
});

test('a failed clone creates nothing', () => {
  const s = tree();
  s.apply(makeEvent('clone', { pid: 20, ppid: 10, comm: 'bash', ret: -11 }, { flags: 0 }));
  assert.equal(s.stats().threads, 3);
});

test('execve success replaces the image; CLOEXEC fds close; parent stays', () => {
  const s = tree();
  s.apply(makeEvent('openat', { pid: 20, comm: 'bash', ret: 5 }, { fd: 5, dirfd: -100, name: '/etc/a', flags: O_CLOEXEC }));
  s.apply(makeEvent('openat', { pid: 20, comm: 'bash', ret: 6 }, { fd: 6, dirfd: -100, name: '/etc/b', flags: 0 }));
  s.apply(makeEvent('execve', { pid: 20, ppid: 10, comm: 'cat', uid: 1000, loginuid: 1000 }, {
    exe: 'cat', args: ['/etc/shadow'], env: ['HOME=/root'], cwd: '/root', comm: 'cat', trusted_exepath: '/usr/bin/cat',
    flags: 3, uid: 1000, gid: 1000, loginuid: 1000, tty: 34816, cap_effective: 0, cap_permitted: 1 << 21,
  }));
  const t = s.thread(20)!;
  assert.equal(t.comm, 'cat');
  assert.equal(t.exe, 'cat');
  assert.equal(t.exepath, '/usr/bin/cat');
  assert.deepEqual(t.args, ['/etc/shadow']);
  assert.deepEqual(t.env, ['HOME=/root']);
  assert.equal(t.cwd, '/root');
  assert.equal(t.uid, 1000);
  assert.equal(t.tty, 34816);
  assert.equal(t.execFlags, 3);
  assert.equal(t.capPermitted, 1n << 21n);
  assert.equal(t.ptid, 10);
  assert.equal(t.fds.get(5), undefined, 'O_CLOEXEC fd closed by exec');
  assert.equal(t.fds.get(6)?.name, '/etc/b');
});

test('a failed execve changes nothing', () => {
  const s = tree();
  s.apply(makeEvent('execve', { pid: 20, ppid: 10, comm: 'bash', ret: -2 }, { exe: 'nope', args: ['x'], comm: 'nope', trusted_exepath: '/nope' }));
  const t = s.thread(20)!;
  assert.equal(t.comm, 'bash');
  assert.equal(t.exe, '/bin/bash');
  assert.deepEqual(t.args, ['-l']);
});

test('procexit reparents children to reaper_tid; ancestry follows', () => {
  const s = tree();
  s.apply(makeEvent('clone', { pid: 20, ppid: 10, comm: 'bash', ret: 30 }, { flags: 0, child_tid: 30, child_pid: 30 }));
  const exit = makeEvent('procexit', { pid: 20, ppid: 10, comm: 'bash' }, { status: 0, reaper_tid: 10 });
  s.apply(exit);
  s.finish(exit);
  assert.equal(s.thread(20), undefined);
  const child = s.thread(30)!;
  assert.equal(child.ptid, 10);
  const lookup = (tid: number) => s.thread(tid);
  assert.deepEqual(ancestorsOf(lookup, child).map((t) => t.comm), ['sshd', 'systemd']);
  assert.equal(ancestorAt(lookup, child, 1)?.comm, 'sshd');
});

test('procexit without reaper_tid: children go to the init of their pid namespace, else to 1', () => {
  const s = new StateTables();
  // host: systemd(1) → containerd-shim(50) → container init (60, vpid 1) → app(70) → worker(80)
  s.apply(makeEvent('execve', { pid: 1, ppid: 0, comm: 'systemd' }, { exe: '/sbin/init', comm: 'systemd' }));
  s.apply(makeEvent('execve', { pid: 50, ppid: 1, comm: 'containerd-shim' }, { exe: 'shim', comm: 'containerd-shim' }));
  s.apply(makeEvent('execve', { pid: 60, ppid: 50, vpid: 1, vtid: 1, comm: 'tini' }, { exe: 'tini', comm: 'tini' }));
  s.apply(makeEvent('execve', { pid: 70, ppid: 60, vpid: 7, vtid: 7, comm: 'app' }, { exe: 'app', comm: 'app' }));
  s.apply(makeEvent('execve', { pid: 80, ppid: 70, vpid: 8, vtid: 8, comm: 'worker' }, { exe: 'worker', comm: 'worker' }));
  s.finish(makeEvent('procexit', { pid: 70, ppid: 60, vpid: 7, comm: 'app' }, { status: 0 }));
  assert.equal(s.thread(80)!.ptid, 60, 'adopted by the namespace init');
  s.finish(makeEvent('procexit', { pid: 60, ppid: 50, vpid: 1, comm: 'tini' }, { status: 0 }));
  assert.equal(s.thread(80)!.ptid, 1, 'no namespace init left above: host init');
});

test('a thread exit keeps the process; the main thread stays while other threads run', () => {
  const s = tree();
  s.apply(makeEvent('clone', { pid: 20, ppid: 10, comm: 'bash', ret: 21 }, { flags: CLONE_THREAD, child_tid: 21, child_pid: 20 }));
  s.finish(makeEvent('procexit', { pid: 20, tid: 20, ppid: 10, comm: 'bash' }, {}));
  assert.ok(s.thread(20), 'leader kept while thread 21 runs');
  s.finish(makeEvent('procexit', { pid: 20, tid: 21, ppid: 10, comm: 'bash' }, {}));
  assert.equal(s.thread(21), undefined);
  assert.equal(s.thread(20), undefined, 'leader removed with the last thread');
});

test('a subreaper (reaper_tid not init) adopts the orphans; children of a process whose leader went first move with its last thread', () => {
  const s = tree();
  // bash(20) → sub(30, a subreaper) → mid(40) → leaf(50); mid's threads: 40 and 41
  s.apply(makeEvent('clone', { pid: 20, ppid: 10, comm: 'bash', ret: 30 }, { flags: 0, child_tid: 30, child_pid: 30 }));
  s.apply(makeEvent('execve', { pid: 30, ppid: 20, comm: 'sub' }, { exe: 'sub', comm: 'sub' }));
  s.apply(makeEvent('clone', { pid: 30, ppid: 20, comm: 'sub', ret: 40 }, { flags: 0, child_tid: 40, child_pid: 40 }));
  s.apply(makeEvent('clone', { pid: 40, ppid: 30, comm: 'sub', ret: 41 }, { flags: CLONE_THREAD, child_tid: 41, child_pid: 40 }));
  s.apply(makeEvent('clone', { pid: 40, ppid: 30, comm: 'sub', ret: 50 }, { flags: 0, child_tid: 50, child_pid: 50 }));
  s.finish(makeEvent('procexit', { pid: 40, tid: 40, ppid: 30, comm: 'sub' }, { status: 0, reaper_tid: 40 }));
  assert.equal(s.thread(50)!.ptid, 40, 'thread 41 still runs: the children stay with process 40');
  s.finish(makeEvent('procexit', { pid: 40, tid: 41, ppid: 30, comm: 'sub' }, { status: 0, reaper_tid: 30 }));
  assert.equal(s.thread(50)!.ptid, 30, 'adopted by the subreaper, not init');
  const lookup = (tid: number) => s.thread(tid);
  assert.deepEqual(ancestorsOf(lookup, s.thread(50)!).map((t) => t.comm), ['sub', 'bash', 'sshd', 'systemd']);
});

test('unknown tids are synthesised from the event header; new threads of a known process inherit it', () => {
  const s = tree();
  s.apply(makeEvent('openat', { pid: 500, ppid: 20, comm: 'mystery', ret: -2 }, { fd: -1, dirfd: -100, name: '/x', flags: 0 }));
  const t = s.thread(500)!;
  assert.equal(t.comm, 'mystery');
  assert.equal(t.exe, '<NA>');
  assert.equal(t.ptid, 20);
  s.apply(makeEvent('close', { pid: 501, comm: '' }, { fd: 1 }));
  assert.equal(s.thread(501)!.comm, '<NA>');
  s.apply(makeEvent('close', { pid: 20, tid: 25, ppid: 10, comm: 'bash' }, { fd: 1 }));
  assert.equal(s.thread(25)!.exe, '/bin/bash');
  assert.equal(s.thread(25)!.fds, s.thread(20)!.fds);
});

test('session leader: the process whose pid is the sid, else the eldest ancestor in the session', () => {
  const s = tree();
  s.apply(makeEvent('clone', { pid: 20, ppid: 10, comm: 'bash', ret: 30 }, { flags: 0, child_tid: 30, child_pid: 30 }));
  s.apply(makeEvent('execve', { pid: 30, ppid: 20, comm: 'vim' }, { exe: 'vim', comm: 'vim', sid: 20 }));
  const lookup = (tid: number) => s.thread(tid);
  assert.equal(sessionLeaderOf(lookup, s.thread(30)!)?.comm, 'bash');
  assert.equal(sessionLeaderOf(lookup, s.thread(20)!)?.comm, 'bash');
});

test('ancestor walks survive a parent loop', () => {
  const s = tree();
  s.thread(1)!.ptid = 20; // corrupted: init's parent is bash
  const lookup = (tid: number) => s.thread(tid);
  const names = ancestorsOf(lookup, s.thread(20)!).map((t) => t.comm);
  assert.deepEqual(names, ['sshd', 'systemd']);
  assert.equal(ancestorAt(lookup, s.thread(20)!, 1000), undefined);
});

test('the table is bounded and counts evictions', () => {
  const table = new ProcessTable({ maxThreads: 3 });
  for (let pid = 1; pid <= 5; pid++) table.apply(makeEvent('close', { pid, comm: 'x' }, { fd: 0 }));
  assert.equal(table.size, 3);
  assert.equal(table.evictions, 2);
});

test('without a trusted exe path, exepath is the exec filename resolved against the new cwd or the dirfd', () => {
  const s = tree();
  s.apply(makeEvent('execve', { pid: 20, ppid: 10, comm: 'tool' }, { exe: './tool', comm: 'tool', cwd: '/opt/app', filename: './bin/../tool' }));
  assert.equal(s.thread(20)!.exepath, '/opt/app/tool');
});

test('without a trusted path or filename, exepath falls back to argv[0] (resolved when it is a path)', () => {
  const s = tree();
  s.apply(makeEvent('execve', { pid: 20, ppid: 10, comm: 'x' }, { exe: './bin/x', comm: 'x', cwd: '/srv' }));
  assert.equal(s.thread(20)!.exepath, '/srv/bin/x');
  s.apply(makeEvent('execve', { pid: 20, ppid: 10, comm: 'find' }, { exe: 'find', comm: 'find', cwd: '/srv' }));
  assert.equal(s.thread(20)!.exepath, 'find');
});
