import { CLONE_THREAD } from '../events/flags.js';
import { parseProcList } from './blocks.js';
import { Cursor } from './cursor.js';
import { EVENT_BLOCKS, EVENT_HEADER_V1, EVENT_HEADER_V2, MAX_BLOCK_LENGTH, PROCLIST_VERSION } from './format.js';
import { hasLargePayload, libsEventById, type LibsEvent } from './libs-events.js';
import { decodeParam } from './params.js';
import { cloneFlagsFromPpm } from './ppm-flags.js';
import { changesThreads } from './to-vigil.js';

/**
 * Splits one capture into per-shard captures for shard workers, reading block headers only: the
 * header blocks (section header, machine, process, fd, user, interface lists) and every event that
 * changes the process tree (clone family, exec, exit, set*id) go to every shard; any other event
 * goes to the shard of its process; events vigil does not model are dropped. Each shard's bytes are
 * a valid capture for its own ScapParser, so a shard decodes only its share and never walks the
 * rest. Threads stay with their process: a tid→pid map is kept from the process list and the clone
 * events, following the same rules as the parser's ThreadTracker.
 *
 * Output comes in large chunks (`chunkBytes`, one copy per block) to `onChunk`, which may transfer
 * the chunk's ArrayBuffer. Blocks the splitter cannot frame (a bad length) and everything after
 * them are forwarded to every shard unchanged, so each shard's parser reports the fault (with an
 * offset in that shard's stream).
 */

const CLONE_NAMES = new Set(['clone', 'clone3', 'fork', 'vfork']);
const DEFAULT_CHUNK = 1 << 20;

interface ShardOutput {
  buf: Uint8Array;
  used: number;
}

export class ScapSplitter {
  private readonly out: ShardOutput[];
  private readonly pids = new Map<number, number>();
  private pending: Buffer = Buffer.alloc(0);
  private passThrough = false;

  constructor(
    private readonly shards: number,
    private readonly shardOf: (pid: number) => number,
    private readonly onChunk: (shard: number, bytes: Uint8Array) => void,
    private readonly chunkBytes = DEFAULT_CHUNK,
  ) {
    this.out = Array.from({ length: shards }, () => ({ buf: new Uint8Array(chunkBytes), used: 0 }));
  }

  push(chunk: Buffer): void {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    while (!this.passThrough && buf.length - pos >= 8) {
      const type = buf.readUInt32LE(pos);
      const len = buf.readUInt32LE(pos + 4);
      if (len < 12 || len > MAX_BLOCK_LENGTH) {
        this.passThrough = true;
        break;
      }
      if (buf.length - pos < len) break;
      this.block(type, buf, pos, pos + len);
      pos += len;
    }
    if (this.passThrough) {
      for (let k = 0; k < this.shards; k++) this.write(k, buf, pos, buf.length);
      pos = buf.length;
    }
    this.pending = buf.subarray(pos);
  }

  /** No more input: a partial block left over goes to every shard, whose parser reports the truncation. */
  end(): void {
    for (let k = 0; k < this.shards; k++) {
      if (this.pending.length) this.write(k, this.pending, 0, this.pending.length);
      this.flush(k);
    }
    this.pending = Buffer.alloc(0);
  }

  private block(type: number, buf: Buffer, start: number, end: number): void {
    const kind = EVENT_BLOCKS.get(type);
    if (!kind) {
      if (PROCLIST_VERSION.has(type)) this.seedPids(type, buf, start, end);
      for (let k = 0; k < this.shards; k++) this.write(k, buf, start, end);
      return;
    }
    const evt = start + 10 + (kind.flags ? 4 : 0);
    const headerLen = kind.v2 ? EVENT_HEADER_V2 : EVENT_HEADER_V1;
    if (evt + headerLen > end - 4) {
      // A malformed event is the parser's to report: every shard gets it.
      for (let k = 0; k < this.shards; k++) this.write(k, buf, start, end);
      return;
    }
    const def = libsEventById(buf.readUInt16LE(evt + 20));
    if (!def) return;
    const tid = buf.readInt32LE(evt + 12) * 4294967296 + buf.readUInt32LE(evt + 8);
    if (!changesThreads(def.vigil)) {
      this.write(this.shardOf(this.pids.get(tid) ?? tid), buf, start, end);
      return;
    }
    if (def.dir === 'exit' && kind.v2 && CLONE_NAMES.has(def.vigil)) this.trackClone(def, tid, buf, evt, end - 4);
    else if (def.vigil === 'procexit') this.pids.delete(tid);
    for (let k = 0; k < this.shards; k++) this.write(k, buf, start, end);
  }

  private seedPids(type: number, buf: Buffer, start: number, end: number): void {
    try {
      for (const t of parseProcList(new Cursor(buf, 0, start + 8, end - 4), type)) this.pids.set(t.tid, t.pid);
    } catch {
      // A corrupt process list is reported by every shard's parser; routing falls back to tid = pid.
    }
  }

  /** The parser's rule: the child's own return names its pid; the caller's return spawns the child in its process (thread) or as its own. */
  private trackClone(def: LibsEvent, tid: number, buf: Buffer, evt: number, evtEnd: number): void {
    const res = this.param(def, 'res', buf, evt, evtEnd);
    if (typeof res !== 'number') return;
    if (res === 0) {
      const pid = this.param(def, 'pid', buf, evt, evtEnd);
      this.pids.set(tid, typeof pid === 'number' ? pid : this.pids.get(tid) ?? tid);
    } else if (res > 0 && !this.pids.has(res)) {
      const flags = this.param(def, 'flags', buf, evt, evtEnd);
      const thread = typeof flags === 'number' && cloneFlagsFromPpm(flags) & CLONE_THREAD;
      this.pids.set(res, thread ? this.pids.get(tid) ?? tid : res);
    }
  }

  private param(def: LibsEvent, name: string, buf: Buffer, evt: number, evtEnd: number): ReturnType<typeof decodeParam> | undefined {
    const index = def.params.findIndex((p) => p.name === name);
    const nparams = buf.readUInt32LE(evt + 22);
    const lenSize = hasLargePayload(def.id) ? 4 : 2;
    const lensStart = evt + EVENT_HEADER_V2;
    if (index < 0 || index >= nparams || lensStart + nparams * lenSize > evtEnd) return undefined;
    const paramLen = (i: number): number => (lenSize === 2 ? buf.readUInt16LE(lensStart + i * 2) : buf.readUInt32LE(lensStart + i * 4));
    let at = lensStart + nparams * lenSize;
    for (let i = 0; i < index; i++) at += paramLen(i);
    const to = at + paramLen(index);
    return to <= evtEnd ? decodeParam(buf, at, to, def.params[index]!.type) : undefined;
  }

  private write(shard: number, buf: Buffer, start: number, end: number): void {
    const out = this.out[shard]!;
    const len = end - start;
    if (out.used + len > out.buf.length) {
      this.flush(shard);
      if (len > out.buf.length) out.buf = new Uint8Array(len);
    }
    out.buf.set(buf.subarray(start, end), out.used);
    out.used += len;
  }

  private flush(shard: number): void {
    const out = this.out[shard]!;
    if (out.used === 0) return;
    this.onChunk(shard, out.buf.subarray(0, out.used));
    out.buf = new Uint8Array(this.chunkBytes);
    out.used = 0;
  }
}
