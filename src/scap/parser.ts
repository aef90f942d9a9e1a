import type { VigilEvent } from '../events/event.js';
import type { ContainerInfo } from '../state/types.js';
import { parseFdList, parseInterfaceList, parseMachineInfo, parseProcList, parseUserList } from './blocks.js';
import { Cursor, ScapFormatError, viewOf } from './cursor.js';
import {
  BLOCK, EVENT_BLOCKS, EVENT_HEADER_V1, EVENT_HEADER_V2, MAX_BLOCK_LENGTH, MAX_SMALL_EVENT_BLOCK, PROCLIST_VERSION,
  SCAP_MAJOR, SHB_BLOCK_TYPE, SHB_MAGIC, type EventBlockKind,
} from './format.js';
import { containerFromEvent } from './containers.js';
import { containerEventById, libsEventById, type LibsEvent } from './libs-events.js';
import { PPM_CODECS } from './ppm-flags.js';
import { decodeParam, type RawParam } from './params.js';
import { emptySeed, type StateSeed } from './seed.js';
import { ThreadTracker } from './threads.js';
import { toVigilEvent, type RawValues } from './to-vigil.js';

/**
 * The push parser behind every scap reader: feed it the (decompressed) bytes in chunks, it calls
 * back with the state seed (once, before the first event) and with each VigilEvent. A capture
 * problem never throws: the first corrupt or truncated block stops it and is kept as `error` with
 * the byte offset, and everything before it has been delivered. (An exception from the caller's
 * own handler is the caller's and propagates unchanged.)
 */

export interface ScapHandlers {
  onSeed?(seed: StateSeed): void;
  onEvent(event: VigilEvent): void;
  /**
   * Container metadata announced after the seed was handed over (a container started while the
   * capture was recorded), in stream order with the events. Without this handler it is counted
   * in `containersSkipped`; metadata ahead of the first syscall event goes into the seed.
   */
  onContainer?(info: ContainerInfo): void;
  /**
   * A shard's share of the capture: events of processes this returns false for are skipped before
   * their parameters are decoded. Events that change the process tree (clone family, exec, exit,
   * set*id) are always delivered, so every shard keeps the whole tree, as shard workers do.
   */
  wantsPid?(pid: number): boolean;
}

export interface ScapError {
  /** Byte offset in the capture (in the decompressed stream for .scap.gz). */
  offset: number;
  message: string;
}

export interface ScapStats {
  /** VigilEvents delivered. */
  events: number;
  /** Enter events consumed (joined onto their exit). */
  enterEvents: number;
  /** Events of types vigil does not model (read, write, futex …), skipped. */
  unmapped: number;
  /** Events of other shards' processes (ScapHandlers.wantsPid), skipped undecoded. */
  otherShards: number;
  /** Container metadata events read (into the seed, or handed to onContainer). */
  containers: number;
  /** Container metadata events that could not be used: not a container document, or late with no onContainer. */
  containersSkipped: number;
  blocks: number;
  bytes: number;
}

/** An exception thrown by the caller's own handler: it is the caller's, not a capture error, and is rethrown. */
class HandlerError {
  constructor(readonly cause: unknown) {}
}

/**
 * An enter event kept undecoded: most exits carry every enter param, so most are never decoded.
 * One slot per thread, reused (`def` undefined when nothing is pending): an object and a map
 * deletion per syscall were a tenth of the reader's allocations.
 */
interface PendingEnter {
  def: LibsEvent | undefined;
  buf: Buffer;
  base: number;
  lensStart: number;
  evtEnd: number;
  nparams: number;
  lenSize: 2 | 4;
}

const NO_BYTES = Buffer.alloc(0);

/** The length of param `i` in the lengths array at `lensStart` (u16, or u32 for large-payload events). */
function paramLength(view: DataView, lensStart: number, i: number, lenSize: 2 | 4): number {
  return lenSize === 2 ? view.getUint16(lensStart + i * 2, true) : view.getUint32(lensStart + i * 4, true);
}

export class ScapParser {
  readonly seed: StateSeed = emptySeed();
  readonly stats: ScapStats = { events: 0, enterEvents: 0, unmapped: 0, otherShards: 0, containers: 0, containersSkipped: 0, blocks: 0, bytes: 0 };
  error?: ScapError;

  private pending: Buffer = Buffer.alloc(0);
  /** Absolute offset of pending[0]. */
  private base = 0;
  private sawHeader = false;
  private seeded = false;
  private readonly threads = new ThreadTracker();
  private readonly enters = new Map<number, PendingEnter>();
  private readonly cursor = new Cursor(NO_BYTES, 0);
  private readonly enterCursor = new Cursor(NO_BYTES, 0);

  constructor(private readonly handlers: ScapHandlers) {}

  get failed(): boolean {
    return this.error !== undefined;
  }

  push(chunk: Buffer): void {
    if (this.error) return;
    this.stats.bytes += chunk.length;
    let buf = chunk;
    if (this.pending.length) {
      const rest = this.straddlingRest(chunk.length);
      if (rest > 0) {
        // Only the block that straddles the two chunks is copied, not the whole chunk.
        this.consume(Buffer.concat([this.pending, chunk.subarray(0, rest)]));
        if (this.error) return;
        buf = chunk.subarray(rest);
      } else {
        buf = Buffer.concat([this.pending, chunk]);
      }
    }
    this.consume(buf);
  }

  /** How many bytes of the next chunk complete the block begun in `pending` (0: unknown yet, or more than the chunk). */
  private straddlingRest(chunkLength: number): number {
    if (this.pending.length < 8) return 0;
    const rest = this.pending.readUInt32LE(4) - this.pending.length;
    return rest > 0 && rest <= chunkLength ? rest : 0;
  }

  /** Every whole block in `buf` (which starts at `base`); the tail waits in `pending` for the next chunk. */
  private consume(buf: Buffer): void {
    let pos = 0;
    const view = viewOf(buf);
    try {
      while (buf.length - pos >= 8) {
        const type = view.getUint32(pos, true);
        const len = view.getUint32(pos + 4, true);
        const kind = EVENT_BLOCKS.get(type);
        this.checkLength(type, kind, len, this.base + pos);
        if (buf.length - pos < len) break;
        const trailer = view.getUint32(pos + len - 4, true);
        if (trailer !== len) {
          throw new ScapFormatError(this.base + pos + len - 4, `block trailer length ${trailer} does not match the header's ${len} (block type 0x${type.toString(16)} at ${this.base + pos})`);
        }
        const c = this.cursor.reset(buf, this.base, pos + 8, pos + len - 4);
        if (kind) {
          this.event(c, kind);
        } else {
          this.block(type, c);
        }
        this.stats.blocks++;
        pos += len;
      }
    } catch (err) {
      if (err instanceof HandlerError) throw err.cause;
      this.fail(err, this.base + pos);
    }
    this.pending = buf.subarray(pos);
    this.base += pos;
  }

  /** No more input: a partial block left over means the capture was truncated. */
  end(): void {
    if (this.error) return;
    if (this.pending.length > 0) {
      const need = this.pending.length >= 8 ? this.pending.readUInt32LE(4) : 8;
      this.error = {
        offset: this.base,
        message: `truncated capture: block at offset ${this.base} needs ${need} bytes, only ${this.pending.length} remain`,
      };
    } else if (!this.sawHeader) {
      this.error = { offset: 0, message: 'empty capture: no section header block' };
    }
    this.emitSeed();
  }

  private fail(err: unknown, fallbackOffset: number): void {
    this.error = err instanceof ScapFormatError
      ? { offset: err.offset, message: err.message }
      : { offset: fallbackOffset, message: `cannot decode the block at offset ${fallbackOffset}: ${(err as Error).message}` };
    this.emitSeed();
  }

  private checkLength(type: number, kind: EventBlockKind | undefined, len: number, at: number): void {
    if (!this.sawHeader && type !== SHB_BLOCK_TYPE) throw new ScapFormatError(at, `not a scap capture: first block type is 0x${type.toString(16)}, expected the section header 0x0a0d0d0a`);
    if (len < 12 || len > MAX_BLOCK_LENGTH) throw new ScapFormatError(at + 4, `invalid block length ${len} (block type 0x${type.toString(16)})`);
    if (kind && !kind.large && len - 8 > MAX_SMALL_EVENT_BLOCK) throw new ScapFormatError(at + 4, `event block length ${len} exceeds the 64 KiB limit of non-large blocks`);
  }

  private emitSeed(): void {
    if (this.seeded) return;
    this.seeded = true;
    try {
      this.handlers.onSeed?.(this.seed);
    } catch (err) {
      throw new HandlerError(err);
    }
  }

  /** A block other than an event block. */
  private block(type: number, c: Cursor): void {
    if (type === SHB_BLOCK_TYPE) return this.sectionHeader(c);
    if (PROCLIST_VERSION.has(type)) {
      for (const t of parseProcList(c, type)) {
        this.threads.seed(t);
        if (!this.seeded) this.seed.threads.push(t);
      }
      return;
    }
    switch (type) {
      case BLOCK.MI:
      case BLOCK.MI_INT:
        this.seed.machine = parseMachineInfo(c);
        return;
      case BLOCK.FDL:
      case BLOCK.FDL_INT:
      case BLOCK.FDL_V2: {
        const fds = parseFdList(c, type, (tid) => this.threads.get(tid)?.pid ?? tid);
        if (!this.seeded) this.seed.fds.push(...fds);
        return;
      }
      case BLOCK.UL:
      case BLOCK.UL_INT:
      case BLOCK.UL_V2: {
        const { users, groups } = parseUserList(c, type);
        this.seed.users.push(...users);
        this.seed.groups.push(...groups);
        return;
      }
      case BLOCK.IL:
      case BLOCK.IL_INT:
      case BLOCK.IL_V2:
        this.seed.interfaces.push(...parseInterfaceList(c, type));
        return;
      default:
        // Unknown block types are skipped, as libscap does.
        return;
    }
  }

  private sectionHeader(c: Cursor): void {
    const magic = c.u32('byte order magic');
    if (magic !== SHB_MAGIC) c.fail(magic === 0x4d3c2b1a ? 'big-endian captures are not supported' : `invalid byte order magic 0x${magic.toString(16)}`, c.pos - 4);
    const major = c.u16('major version');
    c.u16('minor version');
    if (major > SCAP_MAJOR) c.fail(`capture format ${major}.x is newer than the 1.x this reader knows`, c.pos - 4);
    this.sawHeader = true;
  }

  private event(c: Cursor, kind: EventBlockKind): void {
    const cpu = c.u16('cpu id');
    if (kind.flags) c.u32('event flags');
    const evtStart = c.pos;
    c.need(kind.v2 ? EVENT_HEADER_V2 : EVENT_HEADER_V1, 'event header');
    const view = c.view;
    // The low half of the i64 tid: Linux tids fit in 32 bits (pid_max ≤ 2^22), and a number built
    // from both halves would be a boxed double, allocated at every call it is passed to.
    const tid = view.getInt32(c.pos + 8, true);
    const len = view.getUint32(c.pos + 16, true);
    const type = view.getUint16(c.pos + 20, true);
    const headerLen = kind.v2 ? EVENT_HEADER_V2 : EVENT_HEADER_V1;
    const evtEnd = evtStart + len;
    if (len < headerLen || evtEnd > c.end) c.fail(`event length ${len} does not fit its block (${c.end - evtStart} bytes)`, evtStart + 16);
    const lensStart = evtStart + headerLen;
    const def = libsEventById(type);
    if (!def) {
      const meta = containerEventById(type);
      if (meta) return this.containerEvent(c, meta, lensStart, evtEnd, kind.v2);
      this.emitSeed();
      this.stats.unmapped++;
      return;
    }
    this.emitSeed();
    if (this.handlers.wantsPid && !def.changesThreads && !this.handlers.wantsPid(this.threads.pidOf(tid))) {
      this.stats.otherShards++;
      return;
    }
    const lenSize = def.lenSize;
    const nparams = this.paramCount(c, def, lensStart, evtEnd, kind.v2);
    if (def.dir === 'enter') {
      this.checkParamLengths(c, def, lensStart, evtEnd, nparams, lenSize);
      const slot = this.enters.get(tid);
      if (!slot) {
        this.enters.set(tid, { def, buf: c.buf, base: c.base, lensStart, evtEnd, nparams, lenSize });
      } else {
        slot.def = def;
        slot.buf = c.buf;
        slot.base = c.base;
        slot.lensStart = lensStart;
        slot.evtEnd = evtEnd;
        slot.nparams = nparams;
        slot.lenSize = lenSize;
      }
      this.stats.enterEvents++;
      return;
    }
    const values = this.decodeParams(c, def, lensStart, evtEnd, nparams, lenSize);
    this.dispatch(def, values, view.getBigUint64(evtStart, true), tid, cpu);
  }

  /**
   * The event's parameter count: from the v2 header (the u32 just before the lengths), else worked
   * out from the lengths; checked against the event's size.
   */
  private paramCount(c: Cursor, def: LibsEvent, lensStart: number, evtEnd: number, v2: boolean): number {
    const nparams = v2 ? c.view.getUint32(lensStart - 4, true) : this.inferParamCount(c, lensStart, evtEnd, def, def.lenSize);
    if (lensStart + nparams * def.lenSize > evtEnd) c.fail(`event declares ${nparams} parameters, more than its length holds`, lensStart - 4);
    return nparams;
  }

  /** Container metadata: into the seed while it has not been handed over, then to onContainer. */
  private containerEvent(c: Cursor, def: LibsEvent, lensStart: number, evtEnd: number, v2: boolean): void {
    const nparams = this.paramCount(c, def, lensStart, evtEnd, v2);
    const info = containerFromEvent(def.id, this.decodeParams(c, def, lensStart, evtEnd, nparams, def.lenSize));
    if (!info || (this.seeded && !this.handlers.onContainer)) {
      this.stats.containersSkipped++;
      return;
    }
    this.stats.containers++;
    if (!this.seeded) {
      this.seed.containers.push(info);
      return;
    }
    try {
      this.handlers.onContainer!(info);
    } catch (err) {
      throw new HandlerError(err);
    }
  }

  /** v1 headers lack nparams: the largest count whose lengths add up to the event's size, as libscap does. */
  private inferParamCount(c: Cursor, lensStart: number, evtEnd: number, def: LibsEvent, lenSize: 2 | 4): number {
    for (let n = def.params.length; n >= 0; n--) {
      let at = lensStart + n * lenSize;
      if (at > evtEnd) continue;
      for (let i = 0; i < n; i++) at += paramLength(c.view, lensStart, i, lenSize);
      if (at === evtEnd) return n;
      if (at < evtEnd) break;
    }
    return c.fail(`cannot work out the parameter count of a v1 event (type ${def.id})`, lensStart);
  }

  private checkParamLengths(c: Cursor, def: LibsEvent, lensStart: number, evtEnd: number, nparams: number, lenSize: 2 | 4): void {
    let at = lensStart + nparams * lenSize;
    for (let i = 0; i < nparams; i++) {
      at += paramLength(c.view, lensStart, i, lenSize);
      if (at > evtEnd) c.fail(`parameter ${i} of event type ${def.id} runs past the event's end`, lensStart + i * lenSize);
    }
  }

  /** Params libs keeps on the enter side fill in what the exit lacks (exit values win). */
  private join(values: RawValues, def: LibsEvent, enterDef: LibsEvent, enter: PendingEnter): void {
    let enterValues: RawValues | undefined;
    for (const p of def.enterParams!) {
      const v = values[p.name];
      if (v !== undefined && v !== null) continue;
      enterValues ??= this.decodeParams(this.enterCursor.reset(enter.buf, enter.base, 0, enter.buf.length), enterDef, enter.lensStart, enter.evtEnd, enter.nparams, enter.lenSize);
      values[p.name] = enterValues[p.name];
    }
  }

  private decodeParams(c: Cursor, def: LibsEvent, lensStart: number, evtEnd: number, nparams: number, lenSize: 2 | 4): RawValues {
    const values: RawValues = { ...def.template };
    let at = lensStart + nparams * lenSize;
    for (let i = 0; i < nparams; i++) {
      const plen = paramLength(c.view, lensStart, i, lenSize);
      if (at + plen > evtEnd) c.fail(`parameter ${i} of event type ${def.id} (length ${plen}) runs past the event's end`, lensStart + i * lenSize);
      const spec = def.params[i];
      if (spec) {
        let v: RawParam = decodeParam(c.buf, at, at + plen, spec.type);
        if (spec.codec && typeof v === 'number') v = PPM_CODECS[spec.codec].fromPpm(v);
        values[spec.name] = v;
      }
      at += plen;
    }
    return values;
  }

  private dispatch(def: LibsEvent, values: RawValues, ts: bigint, tid: number, cpu: number): void {
    if (def.dir === 'exit') {
      const enter = this.enters.get(tid);
      const enterDef = enter?.def;
      if (enter && enterDef) {
        if (enterDef.id === def.enterId) this.join(values, def, enterDef, enter);
        enter.def = undefined;
        // Not kept: it would pin the whole read chunk.
        enter.buf = NO_BYTES;
      }
    }
    const evt = toVigilEvent(def, values, ts, tid, cpu, this.threads);
    if (def.vigil === 'procexit') this.enters.delete(tid);
    if (!evt) {
      this.stats.unmapped++;
      return;
    }
    this.stats.events++;
    try {
      this.handlers.onEvent(evt);
    } catch (err) {
      throw new HandlerError(err);
    }
  }
}
