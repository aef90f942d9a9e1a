/**
 * The consumer side of one shard ring: pops whatever whole records are waiting (the addon publishes a
 * record only once all its bytes are in) and hands them out one by one, without copying them again.
 */
import { RingBuffer } from 'ringbuf.js';
import { recordLength } from '../events/decode.js';

export class ShardReader {
  readonly #ring: RingBuffer;
  readonly #scratch: Uint8Array;

  constructor(sab: SharedArrayBuffer) {
    this.#ring = new RingBuffer(sab, Uint8Array);
    this.#scratch = new Uint8Array(sab.byteLength);
  }

  /** Calls onRecord(bytes, offset, length) for each waiting record; returns how many there were. */
  drain(onRecord: (bytes: Uint8Array, offset: number, length: number) => void): number {
    const n = this.#ring.pop(this.#scratch);
    let offset = 0;
    let count = 0;
    while (offset < n) {
      const length = recordLength(this.#scratch, offset);
      if (length === 0 || offset + length > n) break; // cannot happen with whole-record writes
      onRecord(this.#scratch, offset, length);
      offset += length;
      count++;
    }
    return count;
  }
}

/** A shard ring's SharedArrayBuffer, laid out by ringbuf.js for a RingBuffer of bytes. */
export function createShardRing(bytes: number): SharedArrayBuffer {
  return RingBuffer.getStorageForCapacity(bytes, Uint8Array);
}
