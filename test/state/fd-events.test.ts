import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateTables } from '../../src/state/index.js';
import { makeEvent } from './make-event.js';

const AT_FDCWD = -100;
const O_RDONLY = 0;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;

function shell(cwd = '/home/ann'): StateTables {
  const s = new StateTables();
  s.apply(makeEvent('execve', { pid: 42, comm: 'sh' }, { exe: 'sh', comm: 'sh', cwd }));
  return s;
}

const open = (s: StateTables, ret: number, name: string, dirfd = AT_FDCWD, flags = O_RDONLY) =>
  s.apply(makeEvent('openat', { pid: 42, comm: 'sh', ret }, { fd: ret, dirfd, name, flags })).fd;

test('relative paths resolve against the cwd and are normalised', () => {
  const s = shell();
  assert.equal(open(s, 3, 'notes.txt')?.name, '/home/ann/notes.txt');
  assert.equal(open(s, 4, '../bob/./x//y')?.name, '/home/bob/x/y');
  assert.equal(open(s, 5, '/etc/../etc//passwd')?.name, '/etc/passwd');
  assert.equal(s.thread(42)!.fds.get(4)?.nameRaw, '../bob/./x//y');
});

test('relative paths resolve against the dirfd directory', () => {
  const s = shell();
  const dir = open(s, 7, '/var/lib', AT_FDCWD, O_DIRECTORY);
  assert.equal(dir?.type, 'directory');
  assert.equal(open(s, 8, 'dpkg/status', 7)?.name, '/var/lib/dpkg/status');
  assert.equal(open(s, 9, '../log/syslog', 7)?.name, '/var/log/syslog');
});

test('a relative path against an unknown dirfd stays as given', () => {
  const s = shell();
  assert.equal(open(s, 3, 'x/y', 55)?.name, 'x/y');
});

test('a failed open adds nothing but still describes the path (fd -1)', () => {
  const s = shell();
  const fd = open(s, -2, 'missing');
  assert.equal(fd?.num, -1);
  assert.equal(fd?.name, '/home/ann/missing');
  assert.equal(s.thread(42)!.fds.size, 0);
});

test('creat opens for writing with O_CREAT|O_TRUNC', () => {
  const s = shell();
  const fd = s.apply(makeEvent('creat', { pid: 42, comm: 'sh', ret: 3 }, { fd: 3, name: 'out', mode: 0o644 })).fd;
  assert.equal(fd?.name, '/home/ann/out');
  assert.equal(fd?.openFlags, 0o1101);
});

test('dup, dup2 and dup3 copy the fd; dup3 can set close-on-exec', () => {
  const s = shell();
  open(s, 3, '/etc/hosts', AT_FDCWD, O_CLOEXEC);
  assert.equal(s.apply(makeEvent('dup', { pid: 42, comm: 'sh', ret: 4 }, { fd: 4, oldfd: 3 })).fd?.name, '/etc/hosts');
  assert.equal(s.thread(42)!.fds.get(4)!.openFlags & O_CLOEXEC, 0, 'dup clears close-on-exec');
  s.apply(makeEvent('dup2', { pid: 42, comm: 'sh', ret: 1 }, { fd: 1, oldfd: 3, newfd: 1 }));
  assert.equal(s.thread(42)!.fds.get(1)?.name, '/etc/hosts');
  s.apply(makeEvent('dup3', { pid: 42, comm: 'sh', ret: 9 }, { fd: 9, oldfd: 3, newfd: 9, flags: O_CLOEXEC }));
  assert.notEqual(s.thread(42)!.fds.get(9)!.openFlags & O_CLOEXEC, 0);
});

test('close shows the fd to its own event, then removes it in finish()', () => {
  const s = shell();
  open(s, 3, '/etc/hosts');
  const close = makeEvent('close', { pid: 42, comm: 'sh', ret: 0 }, { fd: 3 });
  assert.equal(s.apply(close).fd?.name, '/etc/hosts');
  assert.equal(s.thread(42)!.fds.get(3)?.name, '/etc/hosts');
  s.finish(close);
  assert.equal(s.thread(42)!.fds.get(3), undefined);
});

test('the path survives dup then close of the original', () => {
  const s = shell();
  open(s, 3, 'data.db');
  s.apply(makeEvent('dup2', { pid: 42, comm: 'sh', ret: 10 }, { fd: 10, oldfd: 3, newfd: 10 }));
  const close = makeEvent('close', { pid: 42, comm: 'sh', ret: 0 }, { fd: 3 });
  s.apply(close);
  s.finish(close);
  assert.equal(s.thread(42)!.fds.get(10)?.name, '/home/ann/data.db');
});

test('socket + connect give the client->server tuple', () => {
  const s = shell();
  const sock = s.apply(makeEvent('socket', { pid: 42, comm: 'sh', ret: 3 }, { fd: 3, domain: 2, type: 1, proto: 6 })).fd;
  assert.equal(sock?.type, 'ipv4');
  assert.equal(sock?.l4proto, 'tcp');
  const fd = s.apply(makeEvent('connect', { pid: 42, comm: 'sh', ret: -115 }, {
    fd: 3, addr: { family: 2, addr: '93.184.216.34', port: 443 }, local: { family: 2, addr: '10.0.0.5', port: 51000 },
  })).fd;
  assert.equal(fd?.name, '10.0.0.5:51000->93.184.216.34:443');
  assert.equal(fd?.connected, true);
  assert.equal(fd?.nameChanged, true);
});

test('accept creates the server side of a connection', () => {
  const s = shell();
  s.apply(makeEvent('socket', { pid: 42, comm: 'sh', ret: 3 }, { fd: 3, domain: 10, type: 1, proto: 6 }));
  s.apply(makeEvent('bind', { pid: 42, comm: 'sh', ret: 0 }, { fd: 3, addr: { family: 10, addr: '::', port: 22 } }));
  const fd = s.apply(makeEvent('accept4', { pid: 42, comm: 'sh', ret: 4 }, {
    fd: 4, listenfd: 3, addr: { family: 10, addr: '2001:db8::7', port: 40000 }, local: { family: 10, addr: '2001:db8::1', port: 22 }, flags: 0,
  })).fd;
  assert.equal(fd?.name, '2001:db8::7:40000->2001:db8::1:22');
  assert.equal(fd?.type, 'ipv6');
  assert.equal(fd?.l4proto, 'tcp');
});

test('unconnected UDP: sendto re-aims the socket and flags the name change once', () => {
  const s = shell();
  s.apply(makeEvent('socket', { pid: 42, comm: 'sh', ret: 3 }, { fd: 3, domain: 2, type: 2, proto: 17 }));
  const send = () => s.apply(makeEvent('sendto', { pid: 42, comm: 'sh', ret: 10 }, { fd: 3, size: 10, addr: { family: 2, addr: '8.8.8.8', port: 53 } })).fd;
  const first = send();
  assert.equal(first?.name, '0.0.0.0:0->8.8.8.8:53');
  assert.equal(first?.nameChanged, true);
  assert.equal(first?.connected, undefined);
  assert.equal(send()?.nameChanged, false);
});

test('unix sockets are named by their path', () => {
  const s = shell();
  s.apply(makeEvent('socket', { pid: 42, comm: 'sh', ret: 3 }, { fd: 3, domain: 1, type: 1, proto: 0 }));
  const fd = s.apply(makeEvent('connect', { pid: 42, comm: 'sh', ret: 0 }, { fd: 3, addr: { family: 1, path: '/var/run/docker.sock' } })).fd;
  assert.equal(fd?.type, 'unix');
  assert.equal(fd?.name, '/var/run/docker.sock');
});

test('memfd_create', () => {
  const s = shell();
  const fd = s.apply(makeEvent('memfd_create', { pid: 42, comm: 'sh', ret: 3 }, { fd: 3, name: 'payload', flags: 1 })).fd;
  assert.equal(fd?.type, 'memfd');
  assert.equal(fd?.name, 'memfd:payload');
});

test('fd-using events see the fd; unknown fds give none', () => {
  const s = shell();
  open(s, 3, '/lib/modules/x.ko');
  assert.equal(s.apply(makeEvent('finit_module', { pid: 42, comm: 'sh' }, { fd: 3, uargs: '', flags: 0 })).fd?.name, '/lib/modules/x.ko');
  assert.equal(s.apply(makeEvent('fchmod', { pid: 42, comm: 'sh' }, { fd: 77, mode: 0o755 })).fd, undefined);
  assert.equal(s.apply(makeEvent('ptrace', { pid: 42, comm: 'sh' }, { request: 16, pid: 1 })).fd, undefined);
});
