/**
 * `vigil capture` on this machine's real kernel: while it records, a shell writes a probe file;
 * sysdig 0.29.3 and vigil then read the capture and must report the same process names, command
 * lines and file names. The shell execs cat rather than vfork it: when a vfork parent's clone exit
 * is recorded after its child's execve (the parent sleeps until then), sysdig 0.29.3 overwrites the
 * child with a copy of the parent, while vigil keeps the exec'd child. A container running when the
 * capture starts is saved with its metadata: both readers name its image for a `docker exec` in it.
 * Needs root, the built sensor (bpf/.output, native/build) and Docker; it is skipped with the reason
 * where they are missing, except under CI, where a missing prerequisite fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/commands/capture.js';
import { DEFAULT_ADDON_PATH, DEFAULT_OBJECT_PATH } from '../../src/sensor/index.js';
import { sysdigAvailable, sysdigRows, vigilRows } from './falco-harness.js';

const missing = [
  process.getuid?.() !== 0 && 'root',
  !existsSync(DEFAULT_ADDON_PATH) && 'the native addon (npm run build:native)',
  !existsSync(DEFAULT_OBJECT_PATH) && 'the BPF object (make -C bpf)',
  !sysdigAvailable() && 'sysdig (scripts/setup.sh --test)',
  spawnSync('bash', [new URL('../../scripts/start-docker.sh', import.meta.url).pathname]).status !== 0 && 'Docker (scripts/start-docker.sh)',
].filter(Boolean);
const skip = missing.length > 0 && process.env.CI !== 'true' ? `needs ${missing.join(', ')}` : false;

test('a live capture reads the same in sysdig and vigil', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-capture-'));
  const file = join(dir, 'live.scap');
  const probe = join(dir, 'probe.txt');
  const container = spawnSync('docker', ['run', '-d', '--rm', 'vigil-test:latest', 'sleep', '60'], { encoding: 'utf8' });
  assert.equal(container.status, 0, container.stderr);
  const id = container.stdout.trim();
  try {
    const activity = new Promise<void>((resolve) => {
      setTimeout(() => {
        spawn('sh', ['-c', `echo vigil > ${probe}; exec cat ${probe} /etc/hostname`]).on('exit', () => {
          spawn('docker', ['exec', id, 'cat', '/etc/hostname']).on('exit', () => resolve());
        });
      }, 1000);
    });
    const code = await run(['-w', file, '--duration', '5']);
    await activity;
    assert.equal(code, 0);
  } finally {
    spawnSync('docker', ['kill', id]);
  }

  // sysdig 0.29.3 refuses `a and b or c` without brackets.
  const condition = `(evt.type in (execve, open, openat, openat2) and fd.name startswith ${dir}) or (evt.type = execve and proc.name in (sh, cat))`;
  const format = '%evt.rawtime\t%proc.name\t%proc.cmdline\t%fd.name\t%container.id\t%container.name\t%container.image';
  const sysdig = sysdigRows(file, condition, format);
  const vigil = await vigilRows(file, [condition], format);
  assert.equal(vigil.error, undefined);
  assert.deepEqual(vigil.rows[0], sysdig);
  assert.ok(sysdig.some((row) => row.includes(probe)), 'the probe file write was captured');
  assert.ok(sysdig.some((row) => row.split('\t')[1] === 'cat'), 'the cat exec was captured');
  const inContainer = sysdig.filter((row) => row.split('\t')[4] === id.slice(0, 12));
  assert.ok(inContainer.length > 0, 'the docker exec was captured');
  assert.ok(inContainer.every((row) => row.split('\t')[6] === 'vigil-test:latest'), `the container's image is named: ${inContainer.join('\n')}`);
});

test('without a writable target the command fails with a usage message', async () => {
  assert.equal(await run([]), 2);
  assert.equal(await run(['-w', '/tmp/x.scap', '--duration', '-1']), 2);
});
