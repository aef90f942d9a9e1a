// Processes inside a real Docker container carry the container's cgroup path (and so its id), even
// short-lived ones: the path is read in the kernel when the event happens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { containerIdOf } from '../../src/events/tracee-view.js';
import { capture, requireLiveSensor } from './capture.js';

const IMAGE = 'vigil-test:latest';

/** Starts dockerd and imports the test image (scripts/start-docker.sh); the reason when it cannot. */
function dockerUnavailable(): string | undefined {
  const r = spawnSync('bash', [new URL('../../scripts/start-docker.sh', import.meta.url).pathname], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `docker unavailable: ${r.stderr.trim() || r.stdout.trim()}`;
}

function requireDocker(t: { name: string; skip: (why: string) => void }): boolean {
  const why = dockerUnavailable();
  if (!why) return true;
  if (process.env['CI'] === 'true') throw new Error(why);
  console.log(`# skipped ${t.name}: ${why}`);
  t.skip(why);
  return false;
}

test('docker run --rm IMAGE true: the short-lived container process carries the container id', async (t) => {
  if (!requireLiveSensor(t) || !requireDocker(t)) return;
  const cidfile = join(mkdtempSync(join(tmpdir(), 'vigil-docker-')), 'cid');
  const { events } = await capture({ events: ['execve', 'procexit'] }, () => {
    const r = spawnSync('docker', ['run', '--rm', '--cidfile', cidfile, IMAGE, 'true'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
  const id = readFileSync(cidfile, 'utf8').trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const execs = events.filter((e) => e.name === 'execve' && e.args['filename'] === '/bin/true' || e.name === 'execve' && e.args['exe'] === 'true');
  const inContainer = execs.filter((e) => e.cgroup.includes(id));
  assert.equal(inContainer.length, 1, `execs of true in the container: ${JSON.stringify(execs.map((e) => [e.pid, e.cgroup]))}`);
  const exec = inContainer[0]!;
  assert.equal(containerIdOf(exec.cgroup), id);
  assert.equal(exec.vpid, 1); // the container's first process
  assert.equal(exec.comm, 'true');
  assert.notEqual(exec.pidns, events.find((e) => e.cgroup === '/')?.pidns);
  const exit = events.find((e) => e.name === 'procexit' && e.pid === exec.pid)!;
  assert.ok(exit, 'its exit was seen');
  assert.equal(containerIdOf(exit.cgroup), id);
});

test('every process of a running container carries its id; host processes do not', async (t) => {
  if (!requireLiveSensor(t) || !requireDocker(t)) return;
  const run = spawnSync('docker', ['run', '-d', IMAGE, 'sleep', '30'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const id = run.stdout.trim();
  try {
    const { events } = await capture({ events: ['execve', 'openat'] }, () => {
      const r = spawnSync('docker', ['exec', id, 'sh', '-c', 'cat /etc/passwd > /dev/null; ls / > /dev/null'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      spawnSync('/bin/cat', ['/etc/hostname']);
    });
    // busybox runs cat and ls inside the shell (no exec), so the shell's exec and its opens are what we see
    const sh = events.find((x) => x.name === 'execve' && x.comm === 'sh' && x.cgroup.includes(id));
    assert.ok(sh, 'sh exec in the container');
    assert.equal(containerIdOf(sh.cgroup), id);
    assert.notEqual(sh.vpid, sh.pid); // its own pid namespace
    const opened = events.find((x) => x.name === 'openat' && x.args['name'] === '/etc/passwd' && x.cgroup.includes(id));
    assert.ok(opened, 'the container opened /etc/passwd');
    const hostCat = events.find((x) => x.name === 'execve' && x.comm === 'cat' && x.args['args']?.toString() === '/etc/hostname');
    assert.ok(hostCat, 'host cat seen');
    assert.equal(containerIdOf(hostCat.cgroup), '');
  } finally {
    spawnSync('docker', ['rm', '-f', id]);
  }
});
