import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerOfCgroupPath, parseContainerId } from '../../src/state/cgroup.js';

const ID = '3f1e2d4c5b6a79881726354433221100ffeeddccbbaa99887766554433221100';
const SHORT = ID.slice(0, 12);

const CASES: [string, string, string | undefined][] = [
  // docker, cgroup v1 (cgroupfs driver) and v2 (systemd driver)
  ['docker v1', `/docker/${ID}`, 'docker'],
  ['docker v1 nested', `/docker/${ID}/init.scope`, 'docker'],
  ['docker v2 systemd', `/system.slice/docker-${ID}.scope`, 'docker'],
  // containerd / CRI
  ['cri-containerd systemd', `/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0a1b2c3d_4e5f_6789_abcd_ef0123456789.slice/cri-containerd-${ID}.scope`, 'containerd'],
  ['containerd systemd colon form', `/system.slice/containerd.service/kubepods-burstable-pod0a1b2c3d_4e5f.slice:cri-containerd:${ID}`, 'containerd'],
  ['kubepods cgroupfs', `/kubepods/besteffort/pod0a1b2c3d-4e5f-6789-abcd-ef0123456789/${ID}`, 'containerd'],
  ['kubepods cgroupfs burstable', `/kubepods/burstable/podabc-def/${ID}`, 'containerd'],
  ['kubepods guaranteed (no qos dir)', `/kubepods/pod0a1b2c3d-4e5f/${ID}`, 'containerd'],
  // CRI-O
  ['crio systemd', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/crio-${ID}.scope`, 'cri-o'],
  ['crio cgroupfs', `/kubepods/besteffort/pod1234/crio-${ID}`, 'cri-o'],
  // podman
  ['podman v2', `/machine.slice/libpod-${ID}.scope`, 'podman'],
  ['podman v2 with container subgroup', `/machine.slice/libpod-${ID}.scope/container`, 'podman'],
  ['podman rootless', `/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope`, 'podman'],
  ['podman v1', `/libpod_parent/libpod-${ID}`, 'podman'],
  // host cgroups
  ['root', '/', undefined],
  ['systemd service', '/system.slice/sshd.service', undefined],
  ['user session', '/user.slice/user-0.slice/session-3.scope', undefined],
  ['docker daemon itself', '/system.slice/docker.service', undefined],
  ['crio conmon', `/machine.slice/crio-conmon-${ID}.scope`, undefined],
  ['podman conmon', `/machine.slice/libpod-conmon-${ID}.scope`, undefined],
  ['kubepods pod slice (no container)', '/kubepods/besteffort/pod0a1b2c3d-4e5f', undefined],
  ['short hex', '/docker/abc123', undefined],
];

test('container ids from cgroup paths of every runtime and layout', () => {
  for (const [what, path, type] of CASES) {
    const c = containerOfCgroupPath(path);
    if (type === undefined) {
      assert.equal(c, undefined, what);
    } else {
      assert.deepEqual(c, { id: SHORT, fullId: ID, type }, what);
    }
  }
});

test('/proc/<pid>/cgroup text, cgroup v1 (many hierarchies) and v2', () => {
  const v1 = [
    '12:pids:/docker/' + ID,
    '11:memory:/docker/' + ID,
    '1:name=systemd:/docker/' + ID,
    '0::/system.slice/containerd.service',
  ].join('\n');
  assert.equal(parseContainerId(v1).id, SHORT);
  assert.equal(parseContainerId(`0::/system.slice/docker-${ID}.scope\n`).id, SHORT);
  assert.equal(parseContainerId(`0::/kubepods.slice/x.slice:cri-containerd:${ID}\n`).container?.type, 'containerd');
  assert.equal(parseContainerId('0::/user.slice/user-0.slice/session-1.scope\n').id, 'host');
  assert.equal(parseContainerId('0::/\n').id, 'host');
});

test("nothing to read means the id is unknown (''), not host", () => {
  assert.deepEqual(parseContainerId(''), { container: undefined, id: '' });
});
