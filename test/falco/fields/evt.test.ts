import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateTables } from '../../../src/state/index.js';
import { formatEvtTime, formatEvtTimeIso } from '../../../src/falco/fields/evt.js';
import { FIELD_REGISTRY } from '../../../src/falco/fields/registry.js';
import { evaluate, makeEvent } from '../../state/make-event.js';

const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;

function shell(): StateTables {
  const s = new StateTables();
  s.apply(makeEvent('execve', { pid: 7, comm: 'sh' }, { exe: 'sh', comm: 'sh', cwd: '/work' }));
  return s;
}

test('evt.arg.flags renders open flags symbolically; evt.rawarg.flags is the number', () => {
  const v = evaluate(shell(), makeEvent('openat', { pid: 7, comm: 'sh', ret: 3 }, { fd: 3, dirfd: -100, name: 'a.txt', flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644 }),
    ['evt.arg.flags', 'evt.rawarg.flags', 'evt.arg.mode', 'evt.arg.name', 'evt.arg.fd', 'evt.arg.dirfd', 'evt.arg[0]', 'evt.arg[1]']);
  assert.equal(v['evt.arg.flags'], 'O_TRUNC|O_CREAT|O_WRONLY');
  assert.equal(v['evt.rawarg.flags'], O_WRONLY | O_CREAT | O_TRUNC);
  assert.equal(v['evt.arg.mode'], 'S_IROTH|S_IRGRP|S_IWUSR|S_IRUSR');
  assert.equal(v['evt.arg.name'], '/work/a.txt', 'relative path shown resolved');
  assert.equal(v['evt.arg.fd'], '<f>/work/a.txt');
  assert.equal(v['evt.arg.dirfd'], '-100');
  assert.equal(v['evt.arg[0]'], '-100', "openat's first argument is dirfd (the returned fd is not an argument)");
  assert.equal(v['evt.arg[1]'], '/work/a.txt');
});

test('execve flags, ptrace requests, socket domains, setuid target user names', () => {
  const s = shell();
  assert.equal(evaluate(s, makeEvent('execve', { pid: 7, comm: 'x' }, { exe: 'x', comm: 'x', flags: 3 }), ['evt.arg.flags'])['evt.arg.flags'], 'EXE_WRITABLE|EXE_UPPER_LAYER');
  assert.equal(evaluate(s, makeEvent('ptrace', { pid: 7, comm: 'x' }, { request: 16, pid: 1 }), ['evt.arg.request'])['evt.arg.request'], 'PTRACE_ATTACH');
  assert.equal(evaluate(s, makeEvent('socket', { pid: 7, comm: 'x', ret: 4 }, { fd: 4, domain: 17, type: 3, proto: 0 }), ['evt.arg.domain'])['evt.arg.domain'], 'AF_PACKET');
  assert.equal(evaluate(s, makeEvent('setuid', { pid: 7, comm: 'x' }, { uid: 0 }), ['evt.arg.uid'])['evt.arg.uid'], 'root');
  assert.equal(evaluate(s, makeEvent('setuid', { pid: 7, comm: 'x' }, { uid: 4_000_000 }), ['evt.arg.uid'])['evt.arg.uid'], '4000000');
  assert.equal(evaluate(s, makeEvent('chmod', { pid: 7, comm: 'x' }, { filename: '/bin/su', mode: 0o4755 }), ['evt.arg.mode'])['evt.arg.mode'], 'S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID');
});

test('evt.arg[N] counts syscall arguments: socket(AF_PACKET, …) has evt.arg[0] = AF_PACKET', () => {
  const v = evaluate(shell(), makeEvent('socket', { pid: 7, comm: 'x', ret: 4 }, { fd: 4, domain: 17, type: 3, proto: 768 }), ['evt.arg[0]', 'evt.arg[1]', 'evt.arg[2]']);
  assert.deepEqual(v, { 'evt.arg[0]': 'AF_PACKET', 'evt.arg[1]': 'SOCK_RAW', 'evt.arg[2]': '768' });
  const ptrace = evaluate(shell(), makeEvent('ptrace', { pid: 7, comm: 'x' }, { request: 16, pid: 1 }), ['evt.arg[0]']);
  assert.equal(ptrace['evt.arg[0]'], 'PTRACE_ATTACH');
});

test('parameters the event does not have give no value', () => {
  const v = evaluate(shell(), makeEvent('ptrace', { pid: 7, comm: 'x' }, { request: 16, pid: 1 }), ['evt.arg.flags', 'evt.arg[9]', 'evt.rawarg.name']);
  assert.deepEqual(v, { 'evt.arg.flags': undefined, 'evt.arg[9]': undefined, 'evt.rawarg.name': undefined });
});

test('evt.args lists every parameter as name=value(resolved)', () => {
  const v = evaluate(shell(), makeEvent('ptrace', { pid: 7, comm: 'x' }, { request: 16, pid: 1, addr: 0, data: 0 }), ['evt.args']);
  assert.equal(v['evt.args'], 'request=16(PTRACE_ATTACH) pid=1 addr=0 data=0');
  const open = evaluate(shell(), makeEvent('openat', { pid: 7, comm: 'sh', ret: 3 }, { fd: 3, dirfd: -100, name: 'a.txt', flags: 0o101, mode: 0o600 }), ['evt.args']);
  assert.equal(open['evt.args'], 'fd=3(<f>/work/a.txt) dirfd=-100 name=a.txt(/work/a.txt) flags=65(O_CREAT|O_WRONLY) mode=0600(S_IWUSR|S_IRUSR)');
});

test('evt.res, evt.rawres, evt.failed', () => {
  const s = shell();
  const ok = evaluate(s, makeEvent('connect', { pid: 7, comm: 'x', ret: 0 }, { fd: 3 }), ['evt.res', 'evt.rawres', 'evt.failed']);
  assert.deepEqual(ok, { 'evt.res': 'SUCCESS', 'evt.rawres': 0, 'evt.failed': false });
  const bad = evaluate(s, makeEvent('connect', { pid: 7, comm: 'x', ret: -115 }, { fd: 3 }), ['evt.res', 'evt.rawres', 'evt.failed']);
  assert.deepEqual(bad, { 'evt.res': 'EINPROGRESS', 'evt.rawres': -115, 'evt.failed': true });
});

test('evt.is_open_read / write / exec by access mode and creation mode', () => {
  const s = shell();
  const read = (flags: number, mode = 0) => evaluate(s, makeEvent('openat', { pid: 7, comm: 'x', ret: 3 }, { fd: 3, dirfd: -100, name: '/f', flags, mode }), ['evt.is_open_read', 'evt.is_open_write', 'evt.is_open_exec']);
  assert.deepEqual(read(0), { 'evt.is_open_read': true, 'evt.is_open_write': false, 'evt.is_open_exec': false });
  assert.deepEqual(read(O_WRONLY), { 'evt.is_open_read': false, 'evt.is_open_write': true, 'evt.is_open_exec': false });
  assert.deepEqual(read(O_RDWR), { 'evt.is_open_read': true, 'evt.is_open_write': true, 'evt.is_open_exec': false });
  assert.deepEqual(read(O_WRONLY | O_CREAT, 0o755), { 'evt.is_open_read': false, 'evt.is_open_write': true, 'evt.is_open_exec': true });
  const creat = evaluate(s, makeEvent('creat', { pid: 7, comm: 'x', ret: 3 }, { fd: 3, name: '/f', mode: 0o600 }), ['evt.is_open_write']);
  assert.equal(creat['evt.is_open_write'], true);
  assert.equal(evaluate(s, makeEvent('close', { pid: 7, comm: 'x' }, { fd: 3 }), ['evt.is_open_read'])['evt.is_open_read'], false);
});

test('evt.type, evt.dir (always <), evt.num, evt.category, evt.hostname, evt.buffer', () => {
  const v = evaluate(shell(), makeEvent('sendto', { pid: 7, comm: 'x', ret: 3 }, { fd: 3, size: 3, data: new Uint8Array([0x41, 0x00, 0x42]) }),
    ['evt.type', 'evt.dir', 'evt.num', 'evt.category', 'evt.hostname', 'evt.buffer', 'evt.buflen', 'evt.arg.data']);
  assert.equal(v['evt.type'], 'sendto');
  assert.equal(v['evt.dir'], '<');
  assert.ok((v['evt.num'] as number) >= 1);
  assert.equal(v['evt.category'], 'net');
  assert.ok(typeof v['evt.hostname'] === 'string' && v['evt.hostname'].length > 0);
  assert.deepEqual(v['evt.buffer'], new Uint8Array([0x41, 0x00, 0x42]));
  assert.equal(v['evt.buflen'], 3);
  assert.equal(v['evt.arg.data'], 'A.B');
  assert.equal(FIELD_REGISTRY.resolve('evt.dir', undefined) !== undefined && (FIELD_REGISTRY.lookup('evt.dir') as { deprecated?: boolean }).deprecated, true);
});

test('event times: local HH:MM:SS.ns, ISO 8601 UTC, raw ns', () => {
  const ts = 1_700_000_000_123_456_789n;
  assert.match(formatEvtTime(ts), /^\d\d:\d\d:\d\d\.123456789$/);
  assert.equal(formatEvtTimeIso(ts), '2023-11-14T22:13:20.123456789+0000');
  const v = evaluate(shell(), makeEvent('close', { pid: 7, comm: 'x', ts }, { fd: 1 }), ['evt.rawtime', 'evt.rawtime.s', 'evt.rawtime.ns', 'evt.time.iso8601']);
  assert.deepEqual(v, { 'evt.rawtime': ts, 'evt.rawtime.s': 1_700_000_000, 'evt.rawtime.ns': 123_456_789, 'evt.time.iso8601': '2023-11-14T22:13:20.123456789+0000' });
});

test('evt.arg.NAME names are checked against the event table', () => {
  assert.equal(FIELD_REGISTRY.resolve('evt.arg.nosuchparam', undefined), 'unknown event argument nosuchparam');
  assert.equal(typeof FIELD_REGISTRY.resolve('evt.arg.request', undefined), 'object');
  assert.equal((FIELD_REGISTRY.resolve('evt.rawarg.res', undefined) as string).startsWith('unknown event argument'), true);
  assert.equal(FIELD_REGISTRY.resolve('evt.arg', undefined), 'field evt.arg requires an argument');
  assert.match(FIELD_REGISTRY.resolve('evt.arg', 'x') as string, /index must be a non-negative number/);
});

test('evt.type.is.NAME and the deprecated latency fields', () => {
  const v = evaluate(shell(), makeEvent('close', { pid: 7, comm: 'x' }, { fd: 1 }), ['evt.type.is.close', 'evt.type.is.open', 'evt.latency', 'evt.wait_latency']);
  assert.deepEqual(v, { 'evt.type.is.close': 1, 'evt.type.is.open': 0, 'evt.latency': 0, 'evt.wait_latency': 0 });
  assert.equal(FIELD_REGISTRY.resolve('evt.type.is.nosuchcall', undefined), 'unknown event type nosuchcall');
});

test('procexit is not a syscall: evt.res, evt.rawres and evt.failed have no value', () => {
  const v = evaluate(shell(), makeEvent('procexit', { pid: 7, comm: 'sh' }, { status: 0 }), ['evt.res', 'evt.rawres', 'evt.failed']);
  assert.deepEqual(v, { 'evt.res': undefined, 'evt.rawres': undefined, 'evt.failed': undefined });
});
