/**
 * VigilEvent → wire record (bpf/include/record.h): what replay writes into the shard rings, so replayed
 * and live events meet the same decoder. decodeRecord(encodeEvent(e)).event deep-equals e.
 *
 * @module
 */
import { eventById, type ParamDef } from './event-table.js';
import type { ArgValue, SockAddr, VigilEvent } from './event.js';
import { containerIdOf } from './tracee-view.js';
import {
  ARG,
  HDR,
  VIGIL_ARG_BYTES,
  VIGIL_ARG_HEADER_SIZE,
  VIGIL_ARG_S64,
  VIGIL_ARG_SOCKADDR,
  VIGIL_ARG_STR,
  VIGIL_ARG_STRLIST,
  VIGIL_ARG_U64,
  VIGIL_COMM_LEN,
  VIGIL_F_CONTAINER,
  VIGIL_F_LIFECYCLE,
  VIGIL_F_TRUNCATED,
  VIGIL_HEADER_SIZE,
  VIGIL_WIRE_VERSION,
  WIRE_KIND_OF,
} from './wire.js';
import { encodeSockaddr } from './wire-sockaddr.js';

const TWO_32 = 4294967296;
const ARG_MAX = 0xffff;

export class EncodeError extends Error {
  override name = 'EncodeError';
}

/**
 * Records are assembled in one reused buffer and copied out once: a record used to cost a typed
 * array and a DataView per argument plus a TextEncoder call per string (~13 µs per event).
 */
let scratch = Buffer.alloc(1 << 16);

function ensure(bytes: number): void {
  if (bytes <= scratch.length) return;
  const bigger = Buffer.alloc(Math.max(bytes, scratch.length * 2));
  scratch.copy(bigger);
  scratch = bigger;
}

/** Two's-complement 64-bit from a safe integer (negative values are errnos, fds of -1, AT_FDCWD). */
function writeInt64(at: number, v: number): void {
  const high = Math.floor(v / TWO_32);
  scratch.writeUInt32LE(v - high * TWO_32, at);
  scratch.writeInt32LE(high | 0, at + 4);
}

function u32(field: number, v: number): void {
  scratch.writeUInt32LE(v >>> 0, field);
}

function wrongType(param: ParamDef, value: ArgValue): EncodeError {
  return new EncodeError(`${param.name}: ${param.kind} expected, got ${typeof value}`);
}

/** Throws EncodeError for an event the table does not know or an argument of the wrong type. */
export function encodeEvent(e: VigilEvent): Uint8Array {
  const def = eventById(e.id);
  if (!def || def.name !== e.name) throw new EncodeError(`unknown event ${e.id} ${e.name}`);
  let flags = (def.lifecycle ? VIGIL_F_LIFECYCLE : 0) | (containerIdOf(e.cgroup) ? VIGIL_F_CONTAINER : 0);
  const cgroupLength = Buffer.byteLength(e.cgroup, 'utf8');
  ensure(VIGIL_HEADER_SIZE + cgroupLength);
  scratch.fill(0, 0, VIGIL_HEADER_SIZE);
  scratch.writeUInt16LE(e.id, HDR.EVENT_ID);
  scratch[HDR.VERSION] = VIGIL_WIRE_VERSION;
  scratch.writeBigUInt64LE(e.ts, HDR.TS);
  writeInt64(HDR.RET, e.ret);
  writeInt64(HDR.CGROUP_ID, e.cgroupId);
  u32(HDR.PID, e.pid);
  u32(HDR.TID, e.tid);
  u32(HDR.PPID, e.ppid);
  u32(HDR.VPID, e.vpid);
  u32(HDR.VTID, e.vtid);
  u32(HDR.VPPID, e.vppid);
  u32(HDR.UID, e.uid);
  u32(HDR.GID, e.gid);
  u32(HDR.LOGINUID, e.loginuid);
  u32(HDR.TTY, e.tty);
  u32(HDR.MNTNS, e.mntns);
  u32(HDR.PIDNS, e.pidns);
  u32(HDR.CPU, e.cpu);
  scratch.writeUInt16LE(cgroupLength, HDR.CGROUP_LEN);
  scratch.write(e.comm, HDR.COMM, VIGIL_COMM_LEN - 1, 'utf8');
  scratch.write(e.cgroup, VIGIL_HEADER_SIZE, cgroupLength, 'utf8');
  let pos = VIGIL_HEADER_SIZE + cgroupLength;
  let nargs = 0;
  for (let index = 0; index < def.params.length; index++) {
    const param = def.params[index]!;
    const value = e.args[param.name];
    if (value === undefined) continue;
    const kind = WIRE_KIND_OF[param.kind];
    const start = pos + VIGIL_ARG_HEADER_SIZE;
    const length = writeArg(param, kind, value, start);
    if (length > ARG_MAX) flags |= VIGIL_F_TRUNCATED;
    const kept = Math.min(length, ARG_MAX);
    scratch[pos + ARG.PARAM] = index;
    scratch[pos + ARG.KIND] = kind;
    scratch.writeUInt16LE(kept, pos + ARG.LEN);
    pos = start + kept;
    nargs++;
  }
  scratch.writeUInt32LE(pos, HDR.LEN);
  scratch[HDR.FLAGS] = flags;
  scratch[HDR.NARGS] = nargs;
  // A plain Uint8Array, as a record read from a ring is.
  const record = new Uint8Array(pos);
  record.set(scratch.subarray(0, pos));
  return record;
}

/** Writes the argument's payload at `at` (bytes past ARG_MAX are written but not kept); returns its full length. */
function writeArg(param: ParamDef, kind: number, value: ArgValue, at: number): number {
  switch (kind) {
    case VIGIL_ARG_S64:
    case VIGIL_ARG_U64:
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(param, value);
      ensure(at + 8);
      writeInt64(at, value);
      return 8;
    case VIGIL_ARG_STR: {
      if (typeof value !== 'string') throw wrongType(param, value);
      return writeBytes(at, value);
    }
    case VIGIL_ARG_STRLIST:
      if (!Array.isArray(value)) throw wrongType(param, value);
      return writeBytes(at, value.map((s: string) => `${s}\0`).join(''));
    case VIGIL_ARG_BYTES:
      if (!(value instanceof Uint8Array)) throw wrongType(param, value);
      return writeBytes(at, value);
    case VIGIL_ARG_SOCKADDR:
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) throw wrongType(param, value);
      return writeBytes(at, encodeSockaddr(value as SockAddr));
    default:
      throw wrongType(param, value);
  }
}

/** Copies at most ARG_MAX bytes of `value` to `at`; returns the value's whole length in bytes. */
function writeBytes(at: number, value: string | Uint8Array): number {
  if (typeof value === 'string') {
    const length = Buffer.byteLength(value, 'utf8');
    const kept = Math.min(length, ARG_MAX);
    ensure(at + kept);
    // A cut string keeps whole characters up to the limit, then the rest of the limit is zero-padded.
    const written = scratch.write(value, at, kept, 'utf8');
    if (written < kept) scratch.fill(0, at + written, at + kept);
    return length;
  }
  const kept = Math.min(value.length, ARG_MAX);
  ensure(at + kept);
  scratch.set(value.subarray(0, kept), at);
  return value.length;
}
