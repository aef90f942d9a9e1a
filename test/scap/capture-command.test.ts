/**
 * `vigil capture` on this machine's real kernel: while it records, a shell writes a probe file;
 * sysdig 0.29.3 and vigil then read the capture and must report the same process names, command
 * lines and file names. The shell execs cat rather than vfork it: when a vfork parent's clone exit
 * is recorded after its child's execve (the parent sleeps until then), sysdig 0.29.3 overwrites the
 * child with a copy of the parent, while vigil keeps the exec'd child. Needs root and the built sensor (bpf/.output, native/build); it is skipped
 * with the reason where they are missing, except under CI, where a missing prerequisite fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
].filter(Boolean);
const skip = missing.length > 0 && process.env.CI !== 'true' ? `needs ${missing.join(', ')}` : false;

test('a live capture reads the same in sysdig and vigil', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-capture-'));
  const file = join(dir, 'live.scap');
  const probe = join(dir, 'probe.txt');
  const activity = new Promise<void>((resolve) => {
    setTimeout(() => {
      spawn('sh', ['-c', `echo vigil > ${probe}; exec cat ${probe} /etc/hostname`]).on('exit', () => resolve());
    }, 1000);
  });
  const code = await run(['-w', file, '--duration', '3']);
  await activity;
  assert.equal(code, 0);

  // sysdig 0.29.3 refuses `a and b or c` without brackets.
  const condition = `(evt.type in (execve, open, openat, openat2) and fd.name startswith ${dir}) or (evt.type = execve and proc.name in (sh, cat))`;
  const format = '%evt.rawtime\t%proc.name\t%proc.cmdline\t%fd.name';
  const sysdig = sysdigRows(file, condition, format);
  const vigil = await vigilRows(file, [condition], format);
  assert.equal(vigil.error, undefined);
  assert.deepEqual(vigil.rows[0], sysdig);
  assert.ok(sysdig.some((row) => row.includes(probe)), 'the probe file write was captured');
  assert.ok(sysdig.some((row) => row.split('\t')[1] === 'cat'), 'the cat exec was captured');
});

test('without a writable target the command fails with a usage message', async () => {
  assert.equal(await run([]), 2);
  assert.equal(await run(['-w', '/tmp/x.scap', '--duration', '-1']), 2);
});
