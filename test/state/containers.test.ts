import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ContainerTable, type ContainerMetadataSource } from '../../src/state/containers.js';
import { containerInfoFromInspect, DockerMetadataSource, isoToNs, parseImageRef } from '../../src/state/docker-source.js';
import { createRuntimeMetadataSource } from '../../src/state/runtime-source.js';
import { parseContainerId, type CgroupContainer } from '../../src/state/cgroup.js';
import type { ContainerInfo } from '../../src/state/types.js';
import { StateTables } from '../../src/state/index.js';

const ID = 'a'.repeat(64);

/** A metadata source that answers when the test says so. */
class ManualSource implements ContainerMetadataSource {
  readonly asked: string[] = [];
  private answers: ((m: Partial<ContainerInfo> | undefined) => void)[] = [];
  lookup(c: CgroupContainer): Promise<Partial<ContainerInfo> | undefined> {
    this.asked.push(c.fullId);
    return new Promise((resolve) => this.answers.push(resolve));
  }
  answer(meta: Partial<ContainerInfo> | undefined): void {
    this.answers.shift()!(meta);
  }
}

test('a new container is known at once by id; metadata fills in later without blocking', async () => {
  const source = new ManualSource();
  const table = new ContainerTable({ source });
  assert.equal(table.idOf(`/docker/${ID}`), ID.slice(0, 12));
  const before = table.get(ID.slice(0, 12))!;
  assert.deepEqual(before, { id: ID.slice(0, 12), fullId: ID, type: 'docker' });
  assert.deepEqual(source.asked, [ID]);
  source.answer({ name: 'web', imageRepository: 'nginx', privileged: true });
  await table.settled();
  const after = table.get(ID.slice(0, 12))!;
  assert.equal(after.name, 'web');
  assert.equal(after.imageRepository, 'nginx');
  assert.equal(after.privileged, true);
  assert.equal(after.id, ID.slice(0, 12));
});

test('a lookup that finds nothing is retried later, a bounded number of times', async () => {
  const source = new ManualSource();
  const table = new ContainerTable({ source, retries: 1, retryDelayMs: 0 });
  table.idOf(`/docker/${ID}`);
  source.answer(undefined);
  await table.settled();
  table.get(ID.slice(0, 12)); // due again: second attempt
  assert.equal(source.asked.length, 2);
  source.answer(undefined);
  await table.settled();
  table.get(ID.slice(0, 12));
  assert.equal(source.asked.length, 2, 'no third attempt');
});

test('a failing source never throws into the caller', async () => {
  const table = new ContainerTable({ source: { lookup: () => Promise.reject(new Error('boom')) } });
  table.idOf(`/docker/${ID}`);
  await table.settled();
  assert.equal(table.get(ID.slice(0, 12))?.name, undefined);
});

test('host is a container of its own; metadata may be injected directly', () => {
  const table = new ContainerTable();
  assert.equal(table.get('host')?.name, 'host');
  table.set({ id: 'b'.repeat(12), fullId: 'b'.repeat(64), type: 'containerd', name: 'replayed' });
  assert.equal(table.get('b'.repeat(12))?.name, 'replayed');
});

test('the table is bounded and counts evictions', () => {
  const table = new ContainerTable({ maxContainers: 2 });
  for (const c of 'abc') table.idOf(`/docker/${c.repeat(64)}`);
  assert.equal(table.size, 2);
  assert.equal(table.evictions, 1);
});

test('image references split into repository, tag and digest', () => {
  assert.deepEqual(parseImageRef('nginx'), { repository: 'nginx' });
  assert.deepEqual(parseImageRef('nginx:1.25'), { repository: 'nginx', tag: '1.25' });
  assert.deepEqual(parseImageRef('docker.io/falcosecurity/falco:0.39.0'), { repository: 'docker.io/falcosecurity/falco', tag: '0.39.0' });
  assert.deepEqual(parseImageRef('registry:5000/team/app'), { repository: 'registry:5000/team/app' });
  assert.deepEqual(parseImageRef('quay.io/x/y:2@sha256:abcd'), { repository: 'quay.io/x/y', tag: '2', digest: 'sha256:abcd' });
});

test('docker inspect documents map to container metadata, k8s labels included', () => {
  const info = containerInfoFromInspect({
    Name: '/k8s_app_pod-1_prod_uid_0',
    Image: 'sha256:0123456789abcdef0123',
    Config: { Image: 'registry.k8s.io/kube-proxy:v1.30', Labels: { 'io.kubernetes.pod.namespace': 'kube-system', 'io.kubernetes.pod.name': 'kube-proxy-x', 'io.kubernetes.pod.uid': 'u-1', app: 'proxy' } },
    HostConfig: { Privileged: true },
    State: { StartedAt: '2024-05-01T10:00:00.123456789Z' },
    Mounts: [{ Source: '/proc', Destination: '/host/proc', Mode: 'ro', RW: false, Propagation: 'rprivate' }],
  });
  assert.equal(info.name, 'k8s_app_pod-1_prod_uid_0');
  assert.equal(info.imageRepository, 'registry.k8s.io/kube-proxy');
  assert.equal(info.imageTag, 'v1.30');
  assert.equal(info.imageId, '0123456789ab');
  assert.equal(info.privileged, true);
  assert.equal(info.k8sNamespace, 'kube-system');
  assert.equal(info.k8sPodName, 'kube-proxy-x');
  assert.equal(info.startTs, 1714557600123456789n);
  assert.deepEqual(info.mounts, [{ source: '/proc', dest: '/host/proc', mode: 'ro', rw: false, propagation: 'rprivate' }]);
});

test('RFC 3339 times keep their nanoseconds', () => {
  assert.equal(isoToNs('1970-01-01T00:00:01.5Z'), 1_500_000_000n);
  assert.equal(isoToNs('0001-01-01T00:00:00Z'), undefined);
  assert.equal(isoToNs('garbage'), undefined);
});

function dockerReady(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
}

test('a real Docker container: id from its cgroup, metadata from the engine API', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('not root: cannot talk to dockerd');
    console.log('# skipped: Docker metadata test needs root');
    return;
  }
  if (!dockerReady()) spawnSync('bash', ['scripts/start-docker.sh'], { stdio: 'inherit' });
  assert.ok(dockerReady(), 'dockerd is not running and scripts/start-docker.sh could not start it');
  const name = `vigil-meta-test-${process.pid}`;
  const fullId = execFileSync('docker', ['run', '-d', '--rm', '--name', name, '--label', 'io.kubernetes.pod.namespace=team-a', '-v', '/etc:/host-etc:ro', 'vigil-test:latest', 'sleep', '60'], { encoding: 'utf8' }).trim();
  try {
    const pid = Number(execFileSync('docker', ['inspect', '-f', '{{.State.Pid}}', fullId], { encoding: 'utf8' }).trim());
    const parsed = parseContainerId(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
    assert.equal(parsed.id, fullId.slice(0, 12));
    assert.equal(parsed.container?.type, 'docker');

    const table = new ContainerTable({ source: createRuntimeMetadataSource() });
    const id = table.idOf(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
    await table.settled();
    const info = table.get(id)!;
    assert.equal(info.name, name);
    assert.equal(info.image, 'vigil-test:latest');
    assert.equal(info.imageRepository, 'vigil-test');
    assert.equal(info.imageTag, 'latest');
    assert.equal(info.privileged, false);
    assert.equal(info.k8sNamespace, 'team-a');
    assert.ok(info.startTs! > 0n);
    assert.ok(info.mounts!.some((m) => m.source === '/etc' && m.dest === '/host-etc' && !m.rw));

    // Seeding from /proc finds the container's process, its container and the container's own users.
    const state = new StateTables({ containerMetadata: createRuntimeMetadataSource() });
    state.seedFromProc();
    const seeded = state.thread(pid)!;
    assert.equal(seeded.containerId, fullId.slice(0, 12));
    assert.equal(seeded.vpid, 1);
    assert.equal(seeded.comm, 'sleep');
    assert.equal(state.user(0, seeded.containerId)?.shell, '/bin/sh', "root's shell from the image's /etc/passwd");
    await state.containers.settled();
    assert.equal(state.container(seeded.containerId)?.name, name);
  } finally {
    spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  }
});

test('an unknown container id gives no metadata from the engine', async (t) => {
  if (process.getuid?.() !== 0 || !dockerReady()) {
    t.skip('needs root and dockerd');
    return;
  }
  const meta = await new DockerMetadataSource().lookup({ id: ID.slice(0, 12), fullId: ID, type: 'docker' });
  assert.equal(meta, undefined);
});

test('no engine socket: lookups resolve to nothing', async () => {
  const meta = await new DockerMetadataSource({ socketPath: '/nonexistent/docker.sock' }).lookup({ id: ID.slice(0, 12), fullId: ID, type: 'docker' });
  assert.equal(meta, undefined);
});
