import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerInfoFromOciConfig, OciBundleMetadataSource } from '../../src/state/oci-source.js';
import { createRuntimeMetadataSource } from '../../src/state/runtime-source.js';

const ID = 'b'.repeat(64);
const CAPS_ALL = ['CAP_CHOWN', 'CAP_SYS_ADMIN', 'CAP_SYS_MODULE'];

const containerdConfig = {
  annotations: {
    'io.kubernetes.cri.container-type': 'container',
    'io.kubernetes.cri.container-name': 'kube-proxy',
    'io.kubernetes.cri.image-name': 'registry.k8s.io/kube-proxy:v1.30.2',
    'io.kubernetes.cri.sandbox-name': 'kube-proxy-7xk2p',
    'io.kubernetes.cri.sandbox-namespace': 'kube-system',
    'io.kubernetes.cri.sandbox-uid': 'u-123',
  },
  process: { capabilities: { bounding: CAPS_ALL } },
  linux: { maskedPaths: [] },
  mounts: [
    { destination: '/proc', source: 'proc', options: ['nosuid'] },
    { destination: '/lib/modules', source: '/lib/modules', options: ['rbind', 'rprivate', 'ro'] },
  ],
};

const crioConfig = {
  annotations: {
    'io.kubernetes.container.name': 'web',
    'io.kubernetes.cri-o.ImageName': 'quay.io/team/web@sha256:abcd',
    'io.kubernetes.pod.name': 'web-0',
    'io.kubernetes.pod.namespace': 'shop',
  },
  process: { capabilities: { bounding: ['CAP_CHOWN'] } },
  linux: { maskedPaths: ['/proc/kcore'] },
};

test('OCI configs from containerd (CRI) and CRI-O map to container and pod metadata', () => {
  const a = containerInfoFromOciConfig(containerdConfig);
  assert.equal(a.name, 'kube-proxy');
  assert.equal(a.imageRepository, 'registry.k8s.io/kube-proxy');
  assert.equal(a.imageTag, 'v1.30.2');
  assert.equal(a.k8sNamespace, 'kube-system');
  assert.equal(a.k8sPodName, 'kube-proxy-7xk2p');
  assert.equal(a.k8sPodUid, 'u-123');
  assert.equal(a.privileged, true);
  assert.deepEqual(a.mounts?.[1], { source: '/lib/modules', dest: '/lib/modules', mode: 'ro', rw: false, propagation: 'rprivate' });
  const b = containerInfoFromOciConfig(crioConfig);
  assert.equal(b.name, 'web');
  assert.equal(b.imageRepository, 'quay.io/team/web');
  assert.equal(b.imageDigest, 'sha256:abcd');
  assert.equal(b.k8sNamespace, 'shop');
  assert.equal(b.privileged, false);
});

test('bundles are found where containerd and CRI-O keep them', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-oci-'));
  const containerdDir = join(root, 'run/containerd/io.containerd.runtime.v2.task/k8s.io', ID);
  mkdirSync(containerdDir, { recursive: true });
  writeFileSync(join(containerdDir, 'config.json'), JSON.stringify(containerdConfig));
  const crioId = 'c'.repeat(64);
  const crioDir = join(root, 'run/containers/storage/overlay-containers', crioId, 'userdata');
  mkdirSync(crioDir, { recursive: true });
  writeFileSync(join(crioDir, 'config.json'), JSON.stringify(crioConfig));

  const source = new OciBundleMetadataSource({ root });
  assert.equal((await source.lookup({ id: ID.slice(0, 12), fullId: ID, type: 'containerd' }))?.name, 'kube-proxy');
  assert.equal((await source.lookup({ id: crioId.slice(0, 12), fullId: crioId, type: 'cri-o' }))?.k8sPodName, 'web-0');
  assert.equal(await source.lookup({ id: 'd'.repeat(12), fullId: 'd'.repeat(64), type: 'containerd' }), undefined);

  const runtime = createRuntimeMetadataSource({ root, docker: '/nonexistent.sock', podman: '/nonexistent.sock' });
  assert.equal((await runtime.lookup({ id: ID.slice(0, 12), fullId: ID, type: 'containerd' }))?.k8sNamespace, 'kube-system');
  assert.equal(await runtime.lookup({ id: ID.slice(0, 12), fullId: ID, type: 'docker' }), undefined, 'docker containers go to the (absent) engine API');
});

test('a corrupt config gives no metadata instead of throwing', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-oci-bad-'));
  const dir = join(root, 'run/containerd/io.containerd.runtime.v2.task/k8s.io', ID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), '{not json');
  assert.equal(await new OciBundleMetadataSource({ root }).lookup({ id: ID.slice(0, 12), fullId: ID, type: 'containerd' }), undefined);
});
