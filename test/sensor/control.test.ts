// Control records through the live sensor (the reload barrier): the poller thread places each one
// into every shard ring between two kernel records, and a full ring delays it without losing it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { HDR, VIGIL_F_LIFECYCLE } from '../../src/events/wire.js';
import { Sensor, ShardReader } from '../../src/sensor/index.js';
import { pipeline } from '../../src/workers/default-pipeline.js';
import { fixtures, requireLiveSensor } from '../native/capture.js';

/** Each ring as the records every ring shares: life-cycle records and control records, in ring order. */
function sharedRecords(rings: SharedArrayBuffer[]): string[][] {
  return rings.map((sab) => {
    const out: string[] = [];
    new ShardReader(sab).drain((bytes, offset, length) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
      const version = pipeline.controlVersion(bytes, offset, length);
      if (version >= 0) out.push(`C ${version} at ${view.getBigInt64(HDR.RET, true)}`);
      else if (bytes[offset + HDR.FLAGS]! & VIGIL_F_LIFECYCLE) out.push(`L ${view.getUint16(HDR.EVENT_ID, true)} ${view.getUint32(HDR.TID, true)} ${view.getBigUint64(HDR.TS, true)}`);
    });
    return out;
  });
}

test('a control record lands in every shard ring at one position of the stream', async (t) => {
  if (!requireLiveSensor(t)) return;
  const sensor = new Sensor({ shards: 3, events: ['execve', 'procexit', 'close'] });
  const rings = sensor.start();
  try {
    for (let v = 2; v <= 11; v++) {
      spawnSync(fixtures()['storm']!, ['50']);
      await sensor.insertControl(pipeline.encodeControl(v));
    }
    spawnSync(fixtures()['storm']!, ['50']);
  } finally {
    sensor.stop();
  }
  const s = sensor.stats()!;
  assert.equal(s.controlsRequested, 10);
  assert.deepEqual(s.controlsWritten, [10, 10, 10]);
  assert.deepEqual(s.shardDrops, [0, 0, 0]);
  const [first, ...others] = sharedRecords(rings);
  const barriers = first!.filter((r) => r.startsWith('C '));
  assert.deepEqual(barriers.map((r) => Number(r.split(' ')[1])), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const positions = barriers.map((r) => Number(r.split(' ')[3]));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'stamped with a growing stream position');
  assert.ok(first!.length > barriers.length * 2, 'life-cycle records lie between the barriers');
  for (const ring of others) assert.deepEqual(ring, first, 'the same order in every ring');
});

test('a full ring delays the barrier, never loses it: the shard drops (and counts) records until it fits', async (t) => {
  if (!requireLiveSensor(t)) return;
  const sensor = new Sensor({ shards: 1, events: ['close'], shardRingBytes: 32 << 10 });
  const [ring] = sensor.start();
  const reader = new ShardReader(ring!);
  let consumed = 0;
  let barriers = 0;
  const read = () =>
    reader.drain((bytes, offset, length) => {
      if (pipeline.controlVersion(bytes, offset, length) >= 0) barriers++;
      else consumed++;
    });
  try {
    spawnSync(fixtures()['storm']!, ['20000']); // nobody reads: the ring fills up
    await new Promise((r) => setTimeout(r, 50));
    let placed = false;
    const barrier = sensor.insertControl(pipeline.encodeControl(7)).then(() => (placed = true));
    spawnSync(fixtures()['storm']!, ['2000']); // dropped behind the waiting barrier
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(placed, false, 'the barrier waits while its ring is full');
    assert.deepEqual(sensor.stats()!.controlsWritten, [0]);
    read();
    await barrier;
    spawnSync(fixtures()['storm']!, ['100']);
  } finally {
    sensor.stop();
  }
  read();
  const s = sensor.stats()!;
  assert.equal(barriers, 1, 'the barrier arrived exactly once');
  assert.deepEqual(s.controlsWritten, [1]);
  assert.ok(s.shardDrops[0]! > 0);
  assert.equal(consumed + s.shardDrops[0]!, s.recordsRead, 'every kernel record was read or counted as dropped');
});

test('insertControl on a sensor that is not running is refused', async (t) => {
  if (!requireLiveSensor(t)) return;
  const sensor = new Sensor({ shards: 1, events: ['close'] });
  sensor.start();
  sensor.stop();
  await assert.rejects(sensor.insertControl(pipeline.encodeControl(2)), /not running/);
});
