import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { StateTables } from '../../src/state/index.js';
import { makeEvent } from './make-event.js';

test('apply returns the thread and fd the event is about; finish removes closed fds and exited threads', () => {
  const s = new StateTables();
  const open = s.apply(makeEvent('openat', { pid: 3, comm: 'cat', ret: 4 }, { fd: 4, dirfd: -100, name: '/etc/hosts', flags: 0 }));
  assert.equal(open.thread.comm, 'cat');
  assert.equal(open.fd?.name, '/etc/hosts');
  assert.equal(s.apply(makeEvent('ptrace', { pid: 3, comm: 'cat' }, { request: 16, pid: 1 })).fd, undefined);
  const exit = makeEvent('procexit', { pid: 3, comm: 'cat' }, { status: 0 });
  assert.equal(s.apply(exit).thread.pid, 3, 'the exiting thread is still there for its own event');
  s.finish(exit);
  assert.equal(s.thread(3), undefined);
});

test('stats report sizes and evictions of the bounded tables', () => {
  const s = new StateTables({ maxThreads: 2, maxContainers: 1 });
  for (let pid = 10; pid < 15; pid++) s.apply(makeEvent('close', { pid, comm: 'x', cgroup: `/docker/${String(pid).repeat(32)}` }, { fd: 0 }));
  const stats = s.stats();
  assert.equal(stats.threads, 2);
  assert.equal(stats.threadEvictions, 3);
  assert.equal(stats.containers, 1);
  assert.equal(stats.containerEvictions, 4);
});

test('events after /proc seeding attach to the seeded tree', () => {
  const s = new StateTables();
  s.seedFromProc();
  s.apply(makeEvent('clone', { pid: process.pid, ppid: process.ppid, comm: 'node', ret: 4_000_000 }, { flags: 0, child_tid: 4_000_000, child_pid: 4_000_000 }));
  const child = s.thread(4_000_000)!;
  assert.equal(child.ptid, process.pid);
  assert.equal(child.exepath, process.execPath);
  assert.equal(s.thread(child.ptid)!.ptid, process.ppid);
});

test('the tables run inside a worker thread on their own', async () => {
  const worker = new Worker(new URL('./state-in-worker.mjs', import.meta.url));
  const result = await new Promise<{ seeded: number; parentComm: string; stats: { threads: number } }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.ok(result.seeded > 3);
  assert.ok(result.parentComm.length > 0, 'pid 1 was seeded and is the parent');
  assert.ok(result.stats.threads >= result.seeded);
});
