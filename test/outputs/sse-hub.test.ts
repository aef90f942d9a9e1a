import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import { SseHub, matches } from '../../src/outputs/sse-hub.js';

function alert(over: Partial<Alert> = {}): Alert {
  return {
    engine: 'falco', rule: 'R', priority: 'Warning', priorityNum: 4, source: 'syscall', tags: ['t1'], ts: 1n, output: 'o',
    fields: {}, hostname: 'h', rulesetVersion: 1, eventNum: 1, ...over,
  };
}

test('filters: priority, rule, tag, container, source', () => {
  assert.equal(matches({ maxPriorityNum: 3 }, alert()), false);
  assert.equal(matches({ maxPriorityNum: 4 }, alert()), true);
  assert.equal(matches({ rules: ['X'] }, alert()), false);
  assert.equal(matches({ tags: ['t2', 't1'] }, alert()), true);
  assert.equal(matches({ containers: ['host'] }, alert()), true);
  assert.equal(matches({ containers: ['abcdef012345'] }, alert({ containerId: 'abcdef012345' })), true);
  assert.equal(matches({ containers: ['abcdef012345'] }, alert()), false);
  assert.equal(matches({ sources: ['tracee'] }, alert()), false);
  assert.equal(matches({ sources: ['falco'] }, alert()), true, 'engine names work as sources');
});

test('ids increase; Last-Event-ID replays from the buffer and reports a gap', async () => {
  const hub = new SseHub({ replayBuffer: 3, clientQueue: 10 });
  for (let i = 0; i < 5; i++) hub.write(alert({ eventNum: i }));
  const resumed = hub.subscribe({}, 3);
  assert.deepEqual([(await resumed.next(10))?.id, (await resumed.next(10))?.id], ['4', '5']);
  const late = hub.subscribe({}, 0);
  assert.equal((await late.next(10))?.event, 'gap');
  assert.equal((await late.next(10))?.id, '3');
  assert.equal(await resumed.next(5), undefined, 'nothing new: heartbeat time');
});

test('a client whose queue overflows gets one error event and is closed; others are untouched', async () => {
  const hub = new SseHub({ replayBuffer: 100, clientQueue: 3 });
  const slow = hub.subscribe({});
  const fast = hub.subscribe({});
  const received: string[] = [];
  for (let i = 0; i < 10; i++) {
    hub.write(alert());
    const m = await fast.next(10);
    received.push(m!.id!);
  }
  assert.equal(received.length, 10);
  const last = await slow.next(10);
  assert.equal(last?.event, 'error');
  assert.equal(await slow.next(10), null, 'closed after the error event');
  assert.equal(hub.slowDisconnects, 1);
});
