/**
 * vigil's own events (as the sensor decodes them) through the Tracee view and every default signature:
 * each behaviour the signatures cover, written as the syscalls a process makes, gives exactly the
 * expected detection, and ordinary activity gives none.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { eventByName } from '../../src/events/event-table.js';
import { TraceeView } from '../../src/events/tracee-view.js';
import { SignatureEngine } from '../../src/signatures/engine.js';
import { loadSignatures } from '../../src/signatures/registry.js';
import type { Finding } from '../../src/signatures/signature.js';

const CONTAINER = `/docker/${'5e'.repeat(32)}`;
type Over = Partial<VigilEvent>;

function ev(name: string, args: Record<string, ArgValue>, over: Over = {}): VigilEvent {
  const pid = over.pid ?? 4000;
  return {
    id: eventByName(name)!.id, name, ts: 1n, cpu: 0, pid, tid: pid, ppid: 1, vpid: pid, vtid: pid, vppid: 1, uid: 0, gid: 0,
    loginuid: 0, comm: 'bash', tty: 0, mntns: 1, pidns: 1, cgroupId: 1, cgroup: '/', ret: 0, args, ...over,
  };
}
const inContainer = (o: Over = {}): Over => ({ cgroup: CONTAINER, vpid: 7, vtid: 7, ...o });
const openat = (path: string, flags: number, o: Over = {}) => ev('openat', { fd: 3, dirfd: -100, name: path, flags, mode: 0, dev: 1, ino: 2 }, { ret: 3, ...o });
const exec = (path: string, o: Over = {}, env: string[] = ['PATH=/bin']) => ev('execve', { exe: path, args: [], env, filename: path, trusted_exepath: path }, o);
const O_RDONLY = 0;
const O_WRONLY = 1;
const O_RDWR = 2;

async function detections(events: VigilEvent[]): Promise<string[]> {
  const { signatures, problems } = await loadSignatures();
  assert.deepEqual(problems, []);
  const found: Finding[] = [];
  const engine = new SignatureEngine(signatures, { onFinding: (f) => found.push(f), onError: (r) => assert.fail(`${r.signature}: ${String(r.error)}`) });
  const view = new TraceeView({ hostName: 'host', resolveFd: () => '/tmp/rootkit.ko' });
  for (const e of events) for (const t of view.toTracee(e)) engine.dispatch(t);
  engine.complete();
  return found.map((f) => f.SigMetadata.ID);
}

const BEHAVIOURS: [string, VigilEvent[]][] = [
  ['TRC-1', [ev('connect', { fd: 3, addr: { family: 2, addr: '203.0.113.9', port: 4444 } }), ev('dup2', { fd: 0, oldfd: 3, newfd: 0 })]],
  ['TRC-2', [ev('ptrace', { request: 0, pid: 0, addr: 0, data: 0 })]],
  ['TRC-3', [openat('/proc/4100/mem', O_RDWR)]],
  ['TRC-4', [ev('mmap', { addr: 0, length: 4096, prot: 7, flags: 0x22, fd: -1, offset: 0 }, { ret: 0x10000 }), ev('mprotect', { addr: 0x10000, length: 4096, prot: 5 })]],
  ['TRC-5', [exec('/memfd:stage2 (deleted)')]],
  ['TRC-6', [ev('finit_module', { fd: 3, uargs: '', flags: 0 })]],
  ['TRC-7', [openat('/etc/ld.so.preload', O_WRONLY | 0o1000)]],
  ['TRC-8', [openat('/var/run/secrets/kubernetes.io/serviceaccount/token', O_RDONLY, inContainer({ comm: 'curl' }))]],
  ['TRC-10', [openat('/etc/kubernetes/pki/apiserver.key', O_RDONLY, { comm: 'cat' })]],
  ['TRC-11', [ev('mount', { dev: '/dev/vda1', dir: '/mnt/host', type: 'ext4', flags: 0 }, inContainer())]],
  ['TRC-12', [exec('/bin/sh', { comm: 'nginx' })]],
  ['TRC-13', [exec('/usr/bin/curl', inContainer(), ['KUBERNETES_SERVICE_HOST=10.96.0.1']), ev('connect', { fd: 5, addr: { family: 2, addr: '10.96.0.1', port: 443 } }, inContainer())]],
  ['TRC-14', [openat('/sys/fs/cgroup/rdma/x/release_agent', O_WRONLY, inContainer())]],
];

describe('vigil events through the Tracee view and the default signatures', () => {
  for (const [id, events] of BEHAVIOURS) {
    it(`${id} fires on its behaviour, and nothing else does`, async () => {
      assert.deepEqual(await detections(events), [id]);
    });
  }

  it('ordinary activity gives no detection', async () => {
    const quiet = [
      exec('/usr/bin/ls'), openat('/etc/passwd', O_RDONLY), openat('/tmp/out.txt', O_WRONLY | 0o100),
      ev('connect', { fd: 3, addr: { family: 2, addr: '192.0.2.1', port: 443 } }), ev('dup2', { fd: 10, oldfd: 3, newfd: 10 }),
      ev('close', { fd: 3 }), ev('mmap', { addr: 0, length: 4096, prot: 3, flags: 0x22, fd: -1, offset: 0 }, { ret: 0x20000 }),
      ev('mprotect', { addr: 0x20000, length: 4096, prot: 1 }), ev('mount', { dev: 'tmpfs', dir: '/run/x', type: 'tmpfs', flags: 0 }, inContainer()),
      exec('/bin/sh', { comm: 'sshd' }), ev('procexit', { status: 0 }),
    ];
    assert.deepEqual(await detections(quiet), []);
  });
});
