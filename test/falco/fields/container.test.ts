import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateTables, type ContainerMetadataSource } from '../../../src/state/index.js';
import { evaluate, makeEvent } from '../../state/make-event.js';

const ID = '0123456789abcdef'.repeat(4);
const SHORT = ID.slice(0, 12);

/** Metadata the test controls, standing in for the container runtime. */
function source(meta: Record<string, unknown> | undefined): ContainerMetadataSource & { calls: number } {
  const s = { calls: 0, lookup: async () => { s.calls++; return meta as never; } };
  return s;
}

const FIELDS = ['container.id', 'container.full_id', 'container.name', 'container.type', 'container.image', 'container.image.repository', 'container.image.tag', 'container.privileged', 'k8s.ns.name', 'k8s.pod.name'];

test('host processes: container.id and name are host, the rest has no value', () => {
  const v = evaluate(new StateTables(), makeEvent('execve', { pid: 5, comm: 'ls', cgroup: '/user.slice/user-0.slice/session-1.scope' }, { exe: 'ls', comm: 'ls' }), FIELDS);
  assert.deepEqual(v, {
    'container.id': 'host', 'container.full_id': 'host', 'container.name': 'host', 'container.type': 'host', 'container.image': undefined,
    'container.image.repository': undefined, 'container.image.tag': undefined, 'container.privileged': undefined, 'k8s.ns.name': undefined, 'k8s.pod.name': undefined,
  });
  assert.equal(evaluate(new StateTables(), makeEvent('close', { pid: 6, comm: 'x', cgroup: '' }, { fd: 0 }), ['container.id'])['container.id'], 'host');
});

test('a container process: id at once from the cgroup, metadata only once the runtime answered', async () => {
  const src = source({ name: 'web-1', image: 'nginx:1.25', imageRepository: 'nginx', imageTag: '1.25', privileged: true, k8sNamespace: 'shop', k8sPodName: 'web-1-abc', startTs: 1_000n,
    mounts: [{ source: '/var/run/docker.sock', dest: '/var/run/docker.sock', mode: '', rw: true, propagation: 'rprivate' }, { source: '/proc', dest: '/host/proc', mode: 'ro', rw: false, propagation: 'rprivate' }] });
  const s = new StateTables({ containerMetadata: src });
  const start = makeEvent('execve', { pid: 70, vpid: 1, comm: 'nginx', cgroup: `/system.slice/docker-${ID}.scope` }, { exe: 'nginx', comm: 'nginx' });
  const before = evaluate(s, start, ['container.id', 'container.image.repository', 'container.privileged', 'container.name']);
  assert.deepEqual(before, { 'container.id': SHORT, 'container.image.repository': undefined, 'container.privileged': undefined, 'container.name': undefined }, 'nothing is invented before the runtime answers');
  await s.containers.settled();
  const after = evaluate(s, makeEvent('openat', { pid: 70, vpid: 1, comm: 'nginx', ret: 3, cgroup: `/system.slice/docker-${ID}.scope` }, { fd: 3, dirfd: -100, name: '/etc/passwd', flags: 0 }), [
    ...FIELDS, 'container.mounts', 'container.mount.dest[/proc*]', 'container.mount.source[/host/proc]', 'container.mount.dest[0]', 'container.mount.rdwr[/var/run/docker.sock]', 'container.mount.dest[/nope]', 'container.start_ts', 'fd.containername',
  ]);
  assert.deepEqual(after, {
    'container.id': SHORT, 'container.full_id': ID, 'container.name': 'web-1', 'container.type': 'docker', 'container.image': 'nginx:1.25',
    'container.image.repository': 'nginx', 'container.image.tag': '1.25', 'container.privileged': true, 'k8s.ns.name': 'shop', 'k8s.pod.name': 'web-1-abc',
    'container.mounts': '/var/run/docker.sock:/var/run/docker.sock::true:rprivate /proc:/host/proc:ro:false:rprivate',
    'container.mount.dest[/proc*]': '/host/proc', 'container.mount.source[/host/proc]': '/proc', 'container.mount.dest[0]': '/var/run/docker.sock',
    'container.mount.rdwr[/var/run/docker.sock]': true, 'container.mount.dest[/nope]': undefined, 'container.start_ts': 1_000n,
    'fd.containername': `${SHORT}:/etc/passwd`,
  });
  assert.equal(src.calls, 1, 'one lookup per container');
});

test('threads forked inside a container keep its id; labels by key', async () => {
  const s = new StateTables({ containerMetadata: source({ labels: { app: 'api', 'io.kubernetes.pod.name': 'p' }, k8sPodName: 'p' }) });
  const cgroup = `/kubepods/besteffort/pod1234/${ID}`;
  s.apply(makeEvent('execve', { pid: 80, comm: 'sh', cgroup }, { exe: 'sh', comm: 'sh' }));
  await s.containers.settled();
  s.apply(makeEvent('clone', { pid: 80, comm: 'sh', cgroup, ret: 81 }, { flags: 0, child_tid: 81, child_pid: 81 }));
  const v = evaluate(s, makeEvent('close', { pid: 81, ppid: 80, comm: 'sh', cgroup }, { fd: 0 }), ['container.id', 'container.type', 'container.label[app]', 'container.label[none]', 'k8s.pod.label[app]', 'k8s.pod.labels']);
  assert.deepEqual(v, { 'container.id': SHORT, 'container.type': 'containerd', 'container.label[app]': 'api', 'container.label[none]': undefined, 'k8s.pod.label[app]': 'api', 'k8s.pod.labels': 'app:api' });
});

test('seeded threads whose cgroup file could not be read have no container id', () => {
  const s = new StateTables();
  s.processes.add({ ...s.apply(makeEvent('close', { pid: 3, comm: 'x' }, { fd: 0 })).thread, tid: 4, pid: 4, containerId: '' });
  const v = evaluate(s, makeEvent('close', { pid: 4, comm: 'x' }, { fd: 0 }), ['container.id', 'container.name']);
  assert.deepEqual(v, { 'container.id': undefined, 'container.name': undefined });
});

test('container.start_ts falls back to the start of the pid namespace init until the runtime answers', () => {
  const s = new StateTables();
  const cgroup = `/docker/${'d'.repeat(64)}`;
  s.apply(makeEvent('execve', { pid: 500, ppid: 1, comm: 'containerd-shim' }, { exe: 'shim', comm: 'containerd-shim' }));
  const clone = makeEvent('clone', { pid: 500, ppid: 1, comm: 'containerd-shim', ret: 501 }, { flags: 0x20000000, child_tid: 501, child_pid: 501 });
  s.apply(clone);
  const v = evaluate(s, makeEvent('execve', { pid: 501, ppid: 500, vpid: 1, vtid: 1, comm: 'app', cgroup }, { exe: 'app', comm: 'app' }), ['container.start_ts', 'proc.vpid', 'proc.pidns_init_start_ts']);
  assert.deepEqual(v, { 'container.start_ts': clone.ts, 'proc.vpid': 1, 'proc.pidns_init_start_ts': clone.ts });
});
