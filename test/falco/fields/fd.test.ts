import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateTables } from '../../../src/state/index.js';
import { FIELD_REGISTRY } from '../../../src/falco/fields/registry.js';
import { evaluate, makeEvent } from '../../state/make-event.js';

const FILE_FIELDS = ['fd.num', 'fd.type', 'fd.typechar', 'fd.name', 'fd.nameraw', 'fd.directory', 'fd.filename'];

function proc(): StateTables {
  const s = new StateTables();
  s.apply(makeEvent('execve', { pid: 9, comm: 'app' }, { exe: 'app', comm: 'app', cwd: '/srv/app' }));
  return s;
}

test('file fds: name resolved against the cwd, directory and filename parts', () => {
  const v = evaluate(proc(), makeEvent('openat', { pid: 9, comm: 'app', ret: 5 }, { fd: 5, dirfd: -100, name: '../etc/app.conf', flags: 0 }), FILE_FIELDS);
  assert.deepEqual(v, {
    'fd.num': 5, 'fd.type': 'file', 'fd.typechar': 'f', 'fd.name': '/srv/etc/app.conf', 'fd.nameraw': '../etc/app.conf',
    'fd.directory': '/srv/etc', 'fd.filename': 'app.conf',
  });
});

test('a failed open: fd.num -1, typechar f, name from the path argument (open_file_failed)', () => {
  const v = evaluate(proc(), makeEvent('open', { pid: 9, comm: 'app', ret: -13 }, { fd: -13, name: '/etc/shadow', flags: 0 }), [...FILE_FIELDS, 'evt.res']);
  assert.equal(v['fd.num'], -1);
  assert.equal(v['fd.typechar'], 'f');
  assert.equal(v['fd.name'], '/etc/shadow');
  assert.equal(v['evt.res'], 'EACCES');
});

test('directories: fd.directory is the directory itself, typechar d', () => {
  const v = evaluate(proc(), makeEvent('openat', { pid: 9, comm: 'app', ret: 6 }, { fd: 6, dirfd: -100, name: '/root/.ssh', flags: 0o200000 }), ['fd.typechar', 'fd.directory', 'fd.filename']);
  assert.deepEqual(v, { 'fd.typechar': 'd', 'fd.directory': '/root/.ssh', 'fd.filename': undefined });
});

test('fd paths after dup and close', () => {
  const s = proc();
  evaluate(s, makeEvent('openat', { pid: 9, comm: 'app', ret: 3 }, { fd: 3, dirfd: -100, name: 'log.txt', flags: 1 }));
  const dup = evaluate(s, makeEvent('dup2', { pid: 9, comm: 'app', ret: 1 }, { fd: 1, oldfd: 3, newfd: 1 }), ['fd.num', 'fd.name']);
  assert.deepEqual(dup, { 'fd.num': 1, 'fd.name': '/srv/app/log.txt' });
  const close = evaluate(s, makeEvent('close', { pid: 9, comm: 'app', ret: 0 }, { fd: 3 }), ['fd.num', 'fd.name']);
  assert.deepEqual(close, { 'fd.num': 3, 'fd.name': '/srv/app/log.txt' }, 'close still sees the fd');
  const after = evaluate(s, makeEvent('close', { pid: 9, comm: 'app', ret: -9 }, { fd: 3 }), ['fd.num', 'fd.name', 'fd.typechar']);
  assert.deepEqual(after, { 'fd.num': 3, 'fd.name': '', 'fd.typechar': 'f' }, 'fd event without fd info: empty name');
  const stdout = evaluate(s, makeEvent('fchmod', { pid: 9, comm: 'app' }, { fd: 1, mode: 0o600 }), ['fd.name']);
  assert.equal(stdout['fd.name'], '/srv/app/log.txt');
});

test('relative paths against a dirfd', () => {
  const s = proc();
  evaluate(s, makeEvent('openat', { pid: 9, comm: 'app', ret: 4 }, { fd: 4, dirfd: -100, name: '/etc', flags: 0o200000 }));
  const v = evaluate(s, makeEvent('openat2', { pid: 9, comm: 'app', ret: 5 }, { fd: 5, dirfd: 4, name: 'sudoers.d/x', flags: 1, resolve: 0 }), ['fd.name', 'fd.directory', 'evt.arg.name']);
  assert.deepEqual(v, { 'fd.name': '/etc/sudoers.d/x', 'fd.directory': '/etc/sudoers.d', 'evt.arg.name': '/etc/sudoers.d/x' });
});

test('non-fd events have no fd fields at all', () => {
  const v = evaluate(proc(), makeEvent('ptrace', { pid: 9, comm: 'app' }, { request: 16, pid: 1 }), ['fd.name', 'fd.num', 'fd.typechar', 'fd.type']);
  assert.deepEqual(v, { 'fd.name': undefined, 'fd.num': undefined, 'fd.typechar': undefined, 'fd.type': undefined });
});

const SOCKET_FIELDS = ['fd.typechar', 'fd.name', 'fd.cip', 'fd.sip', 'fd.lip', 'fd.rip', 'fd.cport', 'fd.sport', 'fd.lport', 'fd.rport', 'fd.l4proto', 'fd.sockfamily', 'fd.connected', 'fd.is_server', 'fd.sproto'];

test('outbound TCP: client is local', () => {
  const s = proc();
  evaluate(s, makeEvent('socket', { pid: 9, comm: 'app', ret: 3 }, { fd: 3, domain: 2, type: 1, proto: 0 }));
  const v = evaluate(s, makeEvent('connect', { pid: 9, comm: 'app', ret: 0 }, { fd: 3, addr: { family: 2, addr: '169.254.169.254', port: 80 }, local: { family: 2, addr: '172.17.0.2', port: 40000 } }), SOCKET_FIELDS);
  assert.deepEqual(v, {
    'fd.typechar': '4', 'fd.name': '172.17.0.2:40000->169.254.169.254:80', 'fd.cip': '172.17.0.2', 'fd.sip': '169.254.169.254',
    'fd.lip': '172.17.0.2', 'fd.rip': '169.254.169.254', 'fd.cport': 40000, 'fd.sport': 80, 'fd.lport': 40000, 'fd.rport': 80,
    'fd.l4proto': 'tcp', 'fd.sockfamily': 'ip', 'fd.connected': true, 'fd.is_server': false, 'fd.sproto': 'http',
  });
});

test('inbound TCP (accept): server is local', () => {
  const s = proc();
  evaluate(s, makeEvent('socket', { pid: 9, comm: 'app', ret: 3 }, { fd: 3, domain: 2, type: 1, proto: 6 }));
  const v = evaluate(s, makeEvent('accept', { pid: 9, comm: 'app', ret: 7 }, { fd: 7, listenfd: 3, addr: { family: 2, addr: '203.0.113.9', port: 51515 }, local: { family: 2, addr: '10.1.1.1', port: 22 } }), ['fd.lip', 'fd.rip', 'fd.lport', 'fd.rport', 'fd.is_server', 'fd.num', 'fd.sport']);
  assert.deepEqual(v, { 'fd.lip': '10.1.1.1', 'fd.rip': '203.0.113.9', 'fd.lport': 22, 'fd.rport': 51515, 'fd.is_server': true, 'fd.num': 7, 'fd.sport': 22 });
});

test('filter-only fd.ip / fd.port / fd.net / fd.proto give both ends', () => {
  const s = proc();
  evaluate(s, makeEvent('socket', { pid: 9, comm: 'app', ret: 3 }, { fd: 3, domain: 2, type: 1, proto: 0 }));
  const v = evaluate(s, makeEvent('connect', { pid: 9, comm: 'app', ret: 0 }, { fd: 3, addr: { family: 2, addr: '10.0.0.1', port: 443 }, local: { family: 2, addr: '10.0.0.2', port: 5555 } }), ['fd.ip', 'fd.port', 'fd.net', 'fd.proto', 'fd.snet', 'fd.cnet']);
  assert.deepEqual(v, { 'fd.ip': ['10.0.0.2', '10.0.0.1'], 'fd.port': [5555, 443], 'fd.net': ['10.0.0.2', '10.0.0.1'], 'fd.proto': ['5555', 'https'], 'fd.snet': '10.0.0.1', 'fd.cnet': '10.0.0.2' });
  for (const name of ['fd.ip', 'fd.port', 'fd.net', 'fd.proto']) {
    const def = FIELD_REGISTRY.lookup(name);
    assert.ok(typeof def !== 'string' && def.filterOnly && def.noTransformer && def.noRhsField, name);
  }
});

test('DNS name fields have no value (no resolver)', () => {
  const s = proc();
  evaluate(s, makeEvent('socket', { pid: 9, comm: 'app', ret: 3 }, { fd: 3, domain: 2, type: 1, proto: 0 }));
  const v = evaluate(s, makeEvent('connect', { pid: 9, comm: 'app', ret: 0 }, { fd: 3, addr: { family: 2, addr: '10.0.0.1', port: 443 } }), ['fd.sip.name', 'fd.cip.name']);
  assert.deepEqual(v, { 'fd.sip.name': undefined, 'fd.cip.name': undefined });
});

test('UDP sendto on an unconnected socket: name_changed, not connected, l4proto udp', () => {
  const s = proc();
  evaluate(s, makeEvent('socket', { pid: 9, comm: 'app', ret: 3 }, { fd: 3, domain: 2, type: 2, proto: 0 }));
  const v = evaluate(s, makeEvent('sendto', { pid: 9, comm: 'app', ret: 20 }, { fd: 3, size: 20, addr: { family: 2, addr: '1.1.1.1', port: 53 } }), ['fd.l4proto', 'fd.connected', 'fd.name_changed', 'fd.sport']);
  assert.deepEqual(v, { 'fd.l4proto': 'udp', 'fd.connected': false, 'fd.name_changed': true, 'fd.sport': 53 });
});

test('unix sockets: typechar u, sockfamily unix, no inet fields', () => {
  const s = proc();
  evaluate(s, makeEvent('socket', { pid: 9, comm: 'app', ret: 3 }, { fd: 3, domain: 1, type: 1, proto: 0 }));
  const v = evaluate(s, makeEvent('connect', { pid: 9, comm: 'app', ret: 0 }, { fd: 3, addr: { family: 1, path: '/run/containerd/containerd.sock' } }), ['fd.typechar', 'fd.sockfamily', 'fd.name', 'fd.sip', 'fd.l4proto']);
  assert.deepEqual(v, { 'fd.typechar': 'u', 'fd.sockfamily': 'unix', 'fd.name': '/run/containerd/containerd.sock', 'fd.sip': undefined, 'fd.l4proto': undefined });
});

test('fd.types lists the types of the open fds (list field)', () => {
  const s = proc();
  evaluate(s, makeEvent('openat', { pid: 9, comm: 'app', ret: 3 }, { fd: 3, dirfd: -100, name: '/a', flags: 0 }));
  evaluate(s, makeEvent('socket', { pid: 9, comm: 'app', ret: 4 }, { fd: 4, domain: 2, type: 1, proto: 0 }));
  const v = evaluate(s, makeEvent('memfd_create', { pid: 9, comm: 'app', ret: 5 }, { fd: 5, name: 'x', flags: 0 }), ['fd.types', 'fd.types[4]', 'fd.typechar']);
  assert.deepEqual(v, { 'fd.types': ['file', 'ipv4', 'memfd'], 'fd.types[4]': ['ipv4'], 'fd.typechar': 'm' });
  const def = FIELD_REGISTRY.lookup('fd.types');
  assert.ok(typeof def !== 'string' && def.isList);
});
