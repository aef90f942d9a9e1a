import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateTables } from '../../src/state/index.js';
import { readScapBuffer, seedStateTables, withCaptureUsers, encodeScap } from '../../src/scap/index.js';
import { CONTAINER_ID, generateCapture } from './generate.js';

const { snapshot, events } = generateCapture();
const { seed } = readScapBuffer(encodeScap(snapshot, events), { onEvent: () => {} });

test('seeding puts every listed thread in the process table, with its container and its fds', () => {
  const tables = new StateTables({ hostRoot: '/nonexistent' });
  assert.equal(seedStateTables(tables, seed), snapshot.threads.length);
  const nginx = tables.thread(400)!;
  assert.equal(nginx.comm, 'nginx');
  assert.equal(nginx.containerId, CONTAINER_ID.slice(0, 12));
  assert.equal(nginx.fds.get(5)?.name, '/var/log/nginx/access.log');
  const bash = tables.thread(200)!;
  assert.deepEqual([...bash.fds.entries()].map((f) => f.num), [0, 1, 2]);
  assert.equal(tables.thread(1)!.containerId, 'host');
  assert.equal(tables.thread(100)!.fds.get(3)?.sport, 22);
});

test('users and groups come from the capture, the rest from the tables', () => {
  const tables = new StateTables({ hostRoot: '/nonexistent' });
  seedStateTables(tables, seed);
  const view = withCaptureUsers(tables, seed);
  assert.equal(view.user(101, CONTAINER_ID.slice(0, 12))?.name, 'nginx');
  assert.equal(view.user(1000, 'host')?.home, '/home/bob');
  assert.equal(view.group(101, 'host')?.name, 'nginx');
  assert.equal(view.user(4242, 'host'), undefined);
  assert.equal(view.thread(400)?.comm, 'nginx');
});
