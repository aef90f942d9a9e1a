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
  VIGIL_F_CONTAINER,
  VIGIL_F_LIFECYCLE,
  VIGIL_F_TRUNCATED,
  VIGIL_HEADER_SIZE,
  VIGIL_WIRE_VERSION,
  WIRE_KIND_OF,
} from './wire.js';
import { encodeSockaddr } from './wire-sockaddr.js';

const utf8 = new TextEncoder();
const TWO_32 = 4294967296;
const ARG_MAX = 0xffff;

export class EncodeError extends Error {
  override name = 'EncodeError';
}

/** Throws EncodeError for an event the table does not know or an argument of the wrong type. */
export function encodeEvent(e: VigilEvent): Uint8Array {
  const def = eventById(e.id);
  if (!def || def.name !== e.name) throw new EncodeError(`unknown event ${e.id} ${e.name}`);
  let flags = (def.lifecycle ? VIGIL_F_LIFECYCLE : 0) | (containerIdOf(e.cgroup) ? VIGIL_F_CONTAINER : 0);
  const cgroup = utf8.encode(e.cgroup);
  const parts: { index: number; kind: number; payload: Uint8Array }[] = [];
  def.params.forEach((param, index) => {
    const value = e.args[param.name];
    if (value === undefined) return;
    let payload = encodeArg(param, value);
    if (payload.length > ARG_MAX) {
      payload = payload.subarray(0, ARG_MAX);
      flags |= VIGIL_F_TRUNCATED;
    }
    parts.push({ index, kind: WIRE_KIND_OF[param.kind], payload });
  });

  const size = VIGIL_HEADER_SIZE + cgroup.length + parts.reduce((n, p) => n + VIGIL_ARG_HEADER_SIZE + p.payload.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const u32 = (field: number, v: number) => view.setUint32(field, v >>> 0, true);
  u32(HDR.LEN, size);
  view.setUint16(HDR.EVENT_ID, e.id, true);
  out[HDR.VERSION] = VIGIL_WIRE_VERSION;
  out[HDR.FLAGS] = flags;
  view.setBigUint64(HDR.TS, e.ts, true);
  writeInt64(view, HDR.RET, e.ret);
  writeInt64(view, HDR.CGROUP_ID, e.cgroupId);
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
  view.setUint16(HDR.CGROUP_LEN, cgroup.length, true);
  out[HDR.NARGS] = parts.length;
  out.set(utf8.encode(e.comm).subarray(0, 15), HDR.COMM);
  out.set(cgroup, VIGIL_HEADER_SIZE);
  let pos = VIGIL_HEADER_SIZE + cgroup.length;
  for (const p of parts) {
    out[pos + ARG.PARAM] = p.index;
    out[pos + ARG.KIND] = p.kind;
    view.setUint16(pos + ARG.LEN, p.payload.length, true);
    out.set(p.payload, pos + VIGIL_ARG_HEADER_SIZE);
    pos += VIGIL_ARG_HEADER_SIZE + p.payload.length;
  }
  return out;
}

/** Two's-complement 64-bit from a safe integer (negative values are errnos, fds of -1, AT_FDCWD). */
function writeInt64(view: DataView, at: number, v: number): void {
  const high = Math.floor(v / TWO_32);
  view.setUint32(at, v - high * TWO_32, true);
  view.setInt32(at + 4, high | 0, true);
}

function encodeArg(param: ParamDef, value: ArgValue): Uint8Array {
  const kind = WIRE_KIND_OF[param.kind];
  const wrong = () => new EncodeError(`${param.name}: ${param.kind} expected, got ${typeof value}`);
  switch (kind) {
    case VIGIL_ARG_S64:
    case VIGIL_ARG_U64: {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrong();
      const out = new Uint8Array(8);
      writeInt64(new DataView(out.buffer), 0, value);
      return out;
    }
    case VIGIL_ARG_STR:
      if (typeof value !== 'string') throw wrong();
      return utf8.encode(value);
    case VIGIL_ARG_STRLIST:
      if (!Array.isArray(value)) throw wrong();
      return utf8.encode(value.map((s: string) => `${s}\0`).join(''));
    case VIGIL_ARG_BYTES:
      if (!(value instanceof Uint8Array)) throw wrong();
      return value;
    case VIGIL_ARG_SOCKADDR:
      if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) throw wrong();
      return encodeSockaddr(value as SockAddr);
    default:
      throw wrong();
  }
}
