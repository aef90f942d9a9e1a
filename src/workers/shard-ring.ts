/**
 * @module Shard rings: SharedArrayBuffers in ringbuf.js's layout (u32 write index, u32 read
 * index, then bytes), written by the sensor addon or the replay reader and read by one worker.
 * Both indexes live in the first 8 bytes, so an Int32Array over them lets the reader sleep on the
 * write index and the writer on the read index with Atomics, instead of spinning.
 */
import { RingBuffer } from 'ringbuf.js';
import { waitForChange } from './wait-async.js';

export const WRITE_INDEX = 0;
export const READ_INDEX = 1;

export function createShardRing(bytes: number): SharedArrayBuffer {
  return RingBuffer.getStorageForCapacity(bytes, Uint8Array);
}

export function ringIndexes(sab: SharedArrayBuffer): Int32Array {
  return new Int32Array(sab, 0, 2);
}

/** Bytes written and not yet read: the shard's queue depth. */
export function ringDepth(sab: SharedArrayBuffer): number {
  const idx = ringIndexes(sab);
  const storage = sab.byteLength - 8;
  const wr = Atomics.load(idx, WRITE_INDEX);
  const rd = Atomics.load(idx, READ_INDEX);
  return (wr - rd + storage) % storage;
}

/** The JS side of a ring producer (replay, control records); the addon writes the same layout from C++. */
export class ShardRingWriter {
  private readonly ring: RingBuffer;
  private readonly indexes: Int32Array;
  bytesWritten = 0;

  constructor(readonly sab: SharedArrayBuffer) {
    this.ring = new RingBuffer(sab, Uint8Array);
    this.indexes = ringIndexes(sab);
  }

  /** Write a whole record or nothing (a record split by a full ring would corrupt the stream). */
  tryWrite(record: Uint8Array): boolean {
    const free = this.ring.availableWrite();
    if (free < record.length) return false;
    this.ring.push(record);
    this.bytesWritten += record.length;
    // The reader only sleeps on an empty ring: wake it only then, not once per record.
    if (free === this.ring.capacity()) Atomics.notify(this.indexes, WRITE_INDEX);
    return true;
  }

  /** Write a whole record, sleeping on the read index while the ring is full. */
  async write(record: Uint8Array): Promise<void> {
    if (record.length > this.ring.capacity()) throw new Error(`record of ${record.length} bytes exceeds the ring`);
    while (!this.tryWrite(record)) {
      const rd = Atomics.load(this.indexes, READ_INDEX);
      if (this.ring.availableWrite() >= record.length) continue;
      await waitForChange(this.indexes, READ_INDEX, rd, 50);
    }
  }
}

/**
 * The worker side of a ring. Unlike RingBuffer.pop, reading does not consume: the worker copies
 * what is there, evaluates it, posts the alerts, and only then moves the read index. A worker that
 * dies mid-batch therefore leaves the whole batch for its replacement, so no event's alerts are
 * lost with it (see shard-loop.ts for the record that killed it).
 */
export class ShardRingReader {
  private readonly indexes: Int32Array;
  private readonly storage: Uint8Array;
  private readonly size: number;

  constructor(sab: SharedArrayBuffer) {
    this.indexes = ringIndexes(sab);
    this.storage = new Uint8Array(sab, 8);
    this.size = this.storage.length;
  }

  /** Usable bytes (one slot stays empty to tell full from empty). */
  get capacity(): number {
    return this.size - 1;
  }

  get readIndex(): number {
    return Atomics.load(this.indexes, READ_INDEX);
  }

  available(): number {
    return (Atomics.load(this.indexes, WRITE_INDEX) - Atomics.load(this.indexes, READ_INDEX) + this.size) % this.size;
  }

  /** Copy every unread byte into `out` (at least `capacity` long) without consuming; returns the count. */
  peek(out: Uint8Array): number {
    const rd = Atomics.load(this.indexes, READ_INDEX);
    const n = (Atomics.load(this.indexes, WRITE_INDEX) - rd + this.size) % this.size;
    const first = Math.min(n, this.size - rd);
    out.set(this.storage.subarray(rd, rd + first), 0);
    if (n > first) out.set(this.storage.subarray(0, n - first), first);
    return n;
  }

  /** Ring position of the byte `offset` bytes past the read index. */
  positionOf(offset: number): number {
    return (Atomics.load(this.indexes, READ_INDEX) + offset) % this.size;
  }

  consume(n: number): void {
    Atomics.store(this.indexes, READ_INDEX, (Atomics.load(this.indexes, READ_INDEX) + n) % this.size);
    Atomics.notify(this.indexes, READ_INDEX);
  }

  /** Sleep until the write index moves (or `timeoutMs`). */
  async waitForData(timeoutMs: number): Promise<void> {
    const wr = Atomics.load(this.indexes, WRITE_INDEX);
    if (this.available() === 0) await waitForChange(this.indexes, WRITE_INDEX, wr, timeoutMs);
  }

  wake(): void {
    Atomics.notify(this.indexes, WRITE_INDEX);
  }
}
