import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { VigilEvent } from '../../src/events/event.js';
import { readScap, ScapWriter, encodeScap } from '../../src/scap/index.js';
import { BLOCK } from '../../src/scap/format.js';
import { SCAP_MAPPED_EVENTS } from '../../src/scap/libs-events.js';
import { sysdigAvailable } from './falco-harness.js';
import { baseSnapshot, generateCapture, generatedEventNames } from './generate.js';

const { snapshot, events } = generateCapture();
const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'));

async function writeWith(path: string): Promise<ScapWriter> {
  const writer = ScapWriter.open(path, snapshot);
  for (const e of events) writer.write(e);
  await writer.close();
  return writer;
}

test('the generator covers every event type the scap codec maps', () => {
  assert.deepEqual([...generatedEventNames()].sort(), [...SCAP_MAPPED_EVENTS].sort());
});

test('the streaming writer produces the same bytes as the in-memory encoder, plain and gzipped', async () => {
  const plain = join(dir, 'w.scap');
  const gz = join(dir, 'w.scap.gz');
  const writer = await writeWith(plain);
  await writeWith(gz);
  assert.equal(writer.events, events.length);
  assert.equal(writer.skipped, 0);
  const expected = encodeScap(snapshot, events);
  assert.deepEqual(readFileSync(plain), expected);
  assert.deepEqual(gunzipSync(readFileSync(gz)), expected);
});

test('the blocks written are the versions sysdig 0.29.3 reads', () => {
  const data = encodeScap(snapshot, events);
  const types = new Set<number>();
  for (let at = 0; at < data.length; at += data.readUInt32LE(at + 4)) types.add(data.readUInt32LE(at));
  assert.deepEqual([...types].sort((a, b) => a - b), [BLOCK.MI, BLOCK.IL_V2, BLOCK.PL_V9, BLOCK.EV_V2, BLOCK.FDL_V2, BLOCK.UL_V2, 0x0a0d0d0a].sort((a, b) => a - b));
});

test('a gzipped capture reads back through our reader', async () => {
  const gz = join(dir, 'r.scap.gz');
  await writeWith(gz);
  const out: VigilEvent[] = [];
  const summary = await readScap(gz, { onEvent: (e) => out.push(e) });
  assert.equal(summary.error, undefined);
  assert.deepEqual(out.map((e) => [e.ts, e.name, e.tid, e.ret]), events.map((e) => [e.ts, e.name, e.tid, e.ret]));
});

test('sysdig reads the gzipped capture too, with the same process names and file names', { skip: !sysdigAvailable() && 'sysdig is not installed' }, async () => {
  const gz = join(dir, 's.scap.gz');
  await writeWith(gz);
  const r = spawnSync('sysdig', ['-r', gz, '-p', '%proc.name %fd.name', 'evt.type in (open, openat, openat2) and evt.dir=< and fd.num >= 0'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const opened = events.filter((e) => ['open', 'openat', 'openat2'].includes(e.name) && e.ret >= 0);
  assert.equal(r.stdout.trim().split('\n').length, opened.length);
  assert.match(r.stdout, /^cat \/etc\/shadow$/m);
  assert.match(r.stdout, /^sh \/etc\/nginx\/nginx\.conf$/m);
});

test('oversized process, fd and user strings are truncated to libscap\'s limits, so sysdig still reads the file', { skip: !sysdigAvailable() && 'sysdig is not installed' }, async () => {
  const big = baseSnapshot();
  const shell = big.threads[2]!;
  big.threads[2] = { ...shell, args: Array.from({ length: 3000 }, (_, i) => `--flag-${i}`), env: [`HUGE=${'x'.repeat(10_000)}`], cwd: `/${'d'.repeat(3000)}` };
  big.fds.push({ pid: shell.pid, fd: { num: 9, type: 'file', name: `/${'f'.repeat(5000)}`, nameRaw: '', openFlags: 0 } });
  big.users = [...(big.users ?? []), { uid: 4242, gid: 4242, name: 'u'.repeat(600), home: '/home/long', shell: '/bin/sh' }];
  const path = join(dir, 'big.scap');
  const writer = ScapWriter.open(path, big);
  for (const e of events.slice(0, 10)) writer.write(e);
  await writer.close();
  const r = spawnSync('sysdig', ['-r', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const summary = await readScap(path, { onEvent: () => undefined });
  assert.equal(summary.error, undefined);
  const args = summary.seed.threads.find((t) => t.tid === shell.tid)!.args;
  assert.ok(args.length > 100 && args.length < 3000, `args kept in part: ${args.length}`);
  assert.equal(args[0], '--flag-0');
  assert.equal(summary.seed.users.find((u) => u.uid === 4242)!.name.length, 255);
});
