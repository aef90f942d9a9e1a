import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateTables } from '../../../src/state/index.js';
import { FIELD_REGISTRY } from '../../../src/falco/fields/registry.js';
import { evaluate, makeEvent } from '../../state/make-event.js';

/** systemd(1) → sshd(10) → bash(20) → sudo(30) → vim(40), each exec'd. */
function chain(): StateTables {
  const s = new StateTables();
  const procs: [number, number, string, string, string[]][] = [
    [1, 0, 'systemd', '/usr/lib/systemd/systemd', []],
    [10, 1, 'sshd', '/usr/sbin/sshd', ['-D']],
    [20, 10, 'bash', '/bin/bash', []],
    [30, 20, 'sudo', '/usr/bin/sudo', ['vim', '/etc/shadow']],
  ];
  for (const [pid, ppid, comm, path, args] of procs) {
    if (ppid > 0) s.apply(makeEvent('clone', { pid: ppid, comm: s.thread(ppid)!.comm, ret: pid }, { flags: 0, child_tid: pid, child_pid: pid }));
    s.apply(makeEvent('execve', { pid, ppid, comm }, { exe: path, args, comm, trusted_exepath: path, cwd: '/root', sid: pid >= 20 ? 20 : 1, pgid: pid }));
  }
  s.apply(makeEvent('clone', { pid: 30, ppid: 20, comm: 'sudo', ret: 40 }, { flags: 0, child_tid: 40, child_pid: 40 }));
  return s;
}

const vimExec = (extra: Record<string, unknown> = {}) =>
  makeEvent('execve', { pid: 40, ppid: 30, comm: 'vim' }, { exe: 'vim', args: ['/etc/shadow'], env: ['HOME=/root', 'TERM=xterm'], comm: 'vim', trusted_exepath: '/usr/bin/vim.basic', cwd: '/etc', sid: 20, pgid: 40, tty: 34817, ...extra } as never);

test('name, exe, exepath, cmdline, args of the process and its parent', () => {
  const v = evaluate(chain(), vimExec(), [
    'proc.name', 'proc.exe', 'proc.exepath', 'proc.cmdline', 'proc.args', 'proc.args[0]', 'proc.args[1]', 'proc.cwd', 'proc.tty',
    'proc.pname', 'proc.pexe', 'proc.pexepath', 'proc.pcmdline', 'proc.pid', 'proc.ppid', 'proc.cmdnargs', 'proc.cmdlenargs',
  ]);
  assert.deepEqual(v, {
    'proc.name': 'vim', 'proc.exe': 'vim', 'proc.exepath': '/usr/bin/vim.basic', 'proc.cmdline': 'vim /etc/shadow',
    'proc.args': '/etc/shadow', 'proc.args[0]': '/etc/shadow', 'proc.args[1]': undefined, 'proc.cwd': '/etc/', 'proc.tty': 34817,
    'proc.pname': 'sudo', 'proc.pexe': '/usr/bin/sudo', 'proc.pexepath': '/usr/bin/sudo', 'proc.pcmdline': 'sudo vim /etc/shadow',
    'proc.pid': 40, 'proc.ppid': 30, 'proc.cmdnargs': 1, 'proc.cmdlenargs': 11,
  });
});

test('proc.cmdline has no trailing space without arguments; proc.args is then empty', () => {
  const v = evaluate(chain(), makeEvent('execve', { pid: 40, ppid: 30, comm: 'top' }, { exe: 'top', args: [], comm: 'top' }), ['proc.cmdline', 'proc.args']);
  assert.deepEqual(v, { 'proc.cmdline': 'top', 'proc.args': '' });
});

test('proc.aname[N], proc.aexepath[N], proc.apid[N] and the index-less "any ancestor" form', () => {
  const v = evaluate(chain(), vimExec(), ['proc.aname[0]', 'proc.aname[1]', 'proc.aname[2]', 'proc.aname[4]', 'proc.aname[5]', 'proc.aname', 'proc.aexepath[2]', 'proc.apid[3]', 'proc.acmdline[1]', 'proc.aexe[2]']);
  assert.equal(v['proc.aname[0]'], 'vim');
  assert.equal(v['proc.aname[1]'], 'sudo');
  assert.equal(v['proc.aname[2]'], 'bash');
  assert.equal(v['proc.aname[4]'], 'systemd');
  assert.equal(v['proc.aname[5]'], undefined, 'past the known tree: no value');
  assert.deepEqual(v['proc.aname'], ['sudo', 'bash', 'sshd', 'systemd'], 'ancestors only, parent first');
  assert.equal(v['proc.aexepath[2]'], '/bin/bash');
  assert.equal(v['proc.apid[3]'], 10);
  assert.equal(v['proc.acmdline[1]'], 'sudo vim /etc/shadow');
  assert.equal(v['proc.aexe[2]'], '/bin/bash');
});

test('ancestors after reparenting: the dead parent disappears from the chain', () => {
  const s = chain();
  s.apply(vimExec());
  evaluate(s, makeEvent('procexit', { pid: 30, ppid: 20, comm: 'sudo' }, { status: 0, reaper_tid: 1 }));
  const v = evaluate(s, makeEvent('openat', { pid: 40, ppid: 1, comm: 'vim', ret: 3 }, { fd: 3, dirfd: -100, name: 'x', flags: 0 }), ['proc.pname', 'proc.aname[1]', 'proc.aname[2]', 'proc.aname', 'proc.ppid']);
  assert.deepEqual(v, { 'proc.pname': 'systemd', 'proc.aname[1]': 'systemd', 'proc.aname[2]': undefined, 'proc.aname': ['systemd'], 'proc.ppid': 1 });
});

test('a process without a known parent: parent fields have no value', () => {
  const s = new StateTables();
  const v = evaluate(s, makeEvent('openat', { pid: 900, ppid: 899, comm: 'orphan', ret: 3 }, { fd: 3, dirfd: -100, name: '/x', flags: 0 }), ['proc.name', 'proc.pname', 'proc.aname', 'proc.exe', 'proc.sname']);
  assert.deepEqual(v, { 'proc.name': 'orphan', 'proc.pname': undefined, 'proc.aname': [], 'proc.exe': '<NA>', 'proc.sname': undefined });
});

test('proc.env and proc.env[NAME]', () => {
  const v = evaluate(chain(), vimExec(), ['proc.env', 'proc.env[TERM]', 'proc.env[NOPE]']);
  assert.deepEqual(v, { 'proc.env': 'HOME=/root TERM=xterm', 'proc.env[TERM]': 'xterm', 'proc.env[NOPE]': undefined });
});

test('session and process group: proc.sname, proc.vpgid.name, proc.is_vpgid_leader, proc.is_sid_leader', () => {
  const v = evaluate(chain(), vimExec(), ['proc.sname', 'proc.sid', 'proc.is_sid_leader', 'proc.vpgid', 'proc.vpgid.name', 'proc.is_vpgid_leader']);
  assert.deepEqual(v, { 'proc.sname': 'bash', 'proc.sid': 20, 'proc.is_sid_leader': false, 'proc.vpgid': 40, 'proc.vpgid.name': 'vim', 'proc.is_vpgid_leader': true });
});

test('exec flags and inode facts', () => {
  const v = evaluate(chain(), vimExec({ flags: 2 | 4, exe_ino: 77, exe_ino_ctime: 1_000, exe_ino_mtime: 2_000 }), [
    'proc.is_exe_upper_layer', 'proc.is_exe_from_memfd', 'proc.is_exe_writable', 'proc.exe_ino', 'proc.exe_ino.ctime', 'proc.exe_ino.mtime',
  ]);
  assert.deepEqual(v, { 'proc.is_exe_upper_layer': true, 'proc.is_exe_from_memfd': true, 'proc.is_exe_writable': false, 'proc.exe_ino': 77, 'proc.exe_ino.ctime': 1000n, 'proc.exe_ino.mtime': 2000n });
});

test('proc.duration counts from the clone', () => {
  const s = chain();
  const clone = makeEvent('clone', { pid: 30, ppid: 20, comm: 'sudo', ret: 50 }, { flags: 0, child_tid: 50, child_pid: 50 });
  s.apply(clone);
  const later = makeEvent('close', { pid: 50, ppid: 30, comm: 'sudo', ts: clone.ts + 5_000_000_000n }, { fd: 1 });
  assert.equal(evaluate(s, later, ['proc.duration'])['proc.duration'], 5_000_000_000);
});

test('thread.* fields and capabilities', () => {
  const s = chain();
  s.apply(makeEvent('clone', { pid: 30, ppid: 20, comm: 'sudo', ret: 31 }, { flags: 0x10000, child_tid: 31, child_pid: 30 }));
  const v = evaluate(s, makeEvent('execve', { pid: 40, ppid: 30, comm: 'vim' }, { exe: 'vim', comm: 'vim', cap_permitted: (1 << 21) | (1 << 12), cap_effective: 1 << 21, cap_inheritable: 0 }), [
    'thread.cap_permitted', 'thread.cap_effective', 'thread.cap_inheritable', 'thread.tid', 'thread.ismain',
  ]);
  assert.deepEqual(v, { 'thread.cap_permitted': 'CAP_NET_ADMIN CAP_SYS_ADMIN', 'thread.cap_effective': 'CAP_SYS_ADMIN', 'thread.cap_inheritable': '', 'thread.tid': 40, 'thread.ismain': true });
  const t = evaluate(s, makeEvent('close', { pid: 30, tid: 31, ppid: 20, comm: 'sudo' }, { fd: 1 }), ['thread.tid', 'thread.ismain', 'proc.pid', 'proc.pname']);
  assert.deepEqual(t, { 'thread.tid': 31, 'thread.ismain': false, 'proc.pid': 30, 'proc.pname': 'bash' });
});

test('a failed execve keeps describing the caller', () => {
  const v = evaluate(chain(), makeEvent('execve', { pid: 30, ppid: 20, comm: 'sudo', ret: -13 }, { exe: 'evil', args: [], comm: 'evil', trusted_exepath: '/tmp/evil' }), ['proc.name', 'proc.exepath', 'evt.res']);
  assert.deepEqual(v, { 'proc.name': 'sudo', 'proc.exepath': '/usr/bin/sudo', 'evt.res': 'EACCES' });
});

test('ancestor fields refuse bad indexes and refuse transformers / val()', () => {
  assert.match(FIELD_REGISTRY.resolve('proc.aname', 'x') as string, /index must be a non-negative number/);
  const aname = FIELD_REGISTRY.lookup('proc.aname');
  assert.ok(typeof aname !== 'string' && aname.noTransformer && aname.noRhsField);
  assert.equal(FIELD_REGISTRY.resolve('proc.name', '1'), "field 'proc.name' does not take an argument");
});

test('index-less ancestor fields resolve to a filter-only form ("some ancestor matches"); indexed ones do not', () => {
  const any = FIELD_REGISTRY.resolve('proc.aname', undefined);
  const second = FIELD_REGISTRY.resolve('proc.aname', '2');
  assert.ok(typeof any !== 'string' && any.filterOnly === true);
  assert.ok(typeof second !== 'string' && second.filterOnly !== true);
});

test('proc.aenv[NAME] looks in the process, then up its ancestors', () => {
  const s = chain();
  s.apply(makeEvent('execve', { pid: 20, ppid: 10, comm: 'bash' }, { exe: '/bin/bash', comm: 'bash', env: ['LANG=C', 'HTTP_PROXY=http://proxy:3128'] }));
  s.apply(makeEvent('execve', { pid: 30, ppid: 20, comm: 'sudo' }, { exe: '/usr/bin/sudo', comm: 'sudo', env: ['LANG=de'] }));
  const v = evaluate(s, vimExec(), ['proc.aenv[HTTP_PROXY]', 'proc.aenv[LANG]', 'proc.aenv[HOME]', 'proc.aenv[NONE]']);
  assert.deepEqual(v, { 'proc.aenv[HTTP_PROXY]': 'http://proxy:3128', 'proc.aenv[LANG]': 'de', 'proc.aenv[HOME]': '/root', 'proc.aenv[NONE]': undefined });
});

test('proc.cwd ends in a slash as libsinsp keeps it, so `proc.cwd startswith "/dev/shm/"` matches /dev/shm itself', () => {
  const v = evaluate(chain(), makeEvent('execve', { pid: 40, ppid: 30, comm: 'x' }, { exe: './x', comm: 'x', cwd: '/dev/shm' }), ['proc.cwd']);
  assert.equal(v['proc.cwd'], '/dev/shm/');
  assert.equal(evaluate(chain(), makeEvent('execve', { pid: 40, ppid: 30, comm: 'x' }, { exe: 'x', comm: 'x', cwd: '/' }), ['proc.cwd'])['proc.cwd'], '/');
});
