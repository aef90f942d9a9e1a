import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { StateTables } from '../../src/state/index.js';
import { ancestorsOf } from '../../src/state/ancestry.js';
import { fdFromLink, hexToIp, parseStat } from '../../src/state/proc-seed.js';

test('seeding from the real /proc finds this process, its parent and its open files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-seed-'));
  const path = join(dir, 'marker.txt');
  writeFileSync(path, 'x');
  const fd = openSync(path, 'r');
  try {
    const state = new StateTables();
    const count = state.seedFromProc();
    assert.ok(count > 3);
    const self = state.thread(process.pid)!;
    assert.ok(self, 'this process is in the table');
    assert.equal(self.pid, process.pid);
    assert.equal(self.ptid, process.ppid);
    assert.equal(self.comm, 'node');
    assert.equal(self.exepath, process.execPath);
    assert.equal(self.cwd, process.cwd());
    assert.ok(self.args.some((a) => a.endsWith('proc-seed.test.ts')), `args ${self.args.join(' ')}`);
    assert.equal(self.uid, process.getuid!());
    assert.ok(self.cloneTs > 0n && self.cloneTs <= BigInt(Date.now()) * 1_000_000n);
    assert.ok(self.containerId === 'host' || /^[0-9a-f]{12}$/.test(self.containerId));
    assert.equal(self.fds.get(fd)?.name, path);
    assert.equal(self.fds.get(fd)?.type, 'file');
    const parent = state.thread(process.ppid)!;
    assert.ok(parent, 'the parent is in the table');
    const lookup = (tid: number) => state.thread(tid);
    assert.equal(ancestorsOf(lookup, self)[0]?.pid, process.ppid);
    assert.equal(ancestorsOf(lookup, self).at(-1)?.pid, 1, 'the chain reaches init');
    assert.equal(state.thread(1)?.pid, 1);
  } finally {
    closeSync(fd);
  }
});

test('seeded sockets are matched to /proc/net by inode', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const state = new StateTables();
    state.seedFromProc();
    const sockets = [...state.thread(process.pid)!.fds.entries()].filter((f) => f.type === 'ipv4');
    const listener = sockets.find((f) => f.sport === port);
    assert.ok(listener, `a socket listening on ${port}`);
    assert.equal(listener.sip, '127.0.0.1');
    assert.equal(listener.l4proto, 'tcp');
  } finally {
    server.close();
  }
});

test('stat lines with odd comms parse', () => {
  const stat = parseStat('123 (we ird) x) S 7 123 123 34816 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 4242 0 0');
  assert.deepEqual(stat, { comm: 'we ird) x', ppid: 7, pgrp: 123, session: 123, ttyNr: 34816, startTicks: 4242n });
  assert.equal(parseStat('garbage'), undefined);
});

test('/proc/net addresses', () => {
  assert.equal(hexToIp('0100007F', false), '127.0.0.1');
  assert.equal(hexToIp('00000000000000000000000001000000', true), '::1');
  assert.equal(hexToIp('0000000000000000FFFF00000100007F', true), '127.0.0.1');
  assert.equal(hexToIp('B80D0120000000000000000001000000', true), '2001:db8::1');
});

test('fd links become fd kinds', () => {
  const none = new Map();
  assert.equal(fdFromLink(3, 'pipe:[123]', 0, none).type, 'pipe');
  assert.equal(fdFromLink(3, 'anon_inode:[eventpoll]', 0, none).type, 'eventpoll');
  assert.equal(fdFromLink(3, 'anon_inode:[eventfd]', 0, none).type, 'event');
  assert.equal(fdFromLink(3, 'anon_inode:inotify', 0, none).type, 'inotify');
  assert.deepEqual(fdFromLink(3, '/memfd:x (deleted)', 0, none), { num: 3, type: 'memfd', name: 'memfd:x', nameRaw: 'memfd:x', openFlags: 0 });
  assert.equal(fdFromLink(3, '/etc/hosts', 0o2000000, none).openFlags, 0o2000000);
  assert.equal(fdFromLink(3, 'socket:[99]', 0, new Map([[99, { type: 'unix' as const, name: '/run/x.sock', extra: {} }]])).name, '/run/x.sock');
});
