/**
 * The one decoder: a wire record (bpf/include/record.h, mirrored in wire.ts) → VigilEvent. Kernel
 * records and replayed ones (encode.ts) go through here alike. A bad record is reported, never thrown,
 * so the caller can count and skip it.
 *
 * @module
 */
import { eventById, type EventDef, type ParamDef } from './event-table.js';
import type { ArgValue, VigilEvent } from './event.js';
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
  VIGIL_F_ARGV0,
  VIGIL_HEADER_SIZE,
  VIGIL_WIRE_VERSION,
  WIRE_KIND_OF,
} from './wire.js';
import { decodeSockaddr } from './wire-sockaddr.js';

export type DecodeResult =
  | { ok: true; event: VigilEvent; size: number }
  /** size: bytes to skip to reach the next record; 0 when the length itself is unusable. */
  | { ok: false; error: string; size: number };

const utf8 = new TextDecoder('utf-8');
const TWO_32 = 4294967296;

/** The length of the record at offset, or 0 if fewer than its 4 length bytes are there. */
export function recordLength(bytes: Uint8Array, offset = 0): number {
  if (bytes.length - offset < 4) return 0;
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | ((bytes[offset + 3]! << 24) >>> 0);
}

export function decodeRecord(bytes: Uint8Array, offset = 0): DecodeResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = recordLength(bytes, offset);
  if (size < VIGIL_HEADER_SIZE || offset + size > bytes.length) {
    return { ok: false, error: `bad record length ${size} at offset ${offset}`, size: 0 };
  }
  const fail = (error: string): DecodeResult => ({ ok: false, error, size });
  const version = bytes[offset + HDR.VERSION]!;
  if (version !== VIGIL_WIRE_VERSION) return fail(`wire version ${version}, expected ${VIGIL_WIRE_VERSION}`);
  const id = view.getUint16(offset + HDR.EVENT_ID, true);
  const def = eventById(id);
  if (!def) return fail(`unknown event id ${id}`);

  const u32 = (field: number) => view.getUint32(offset + field, true);
  const cgroupLen = view.getUint16(offset + HDR.CGROUP_LEN, true);
  const argsStart = offset + VIGIL_HEADER_SIZE + cgroupLen;
  if (argsStart > offset + size) return fail(`cgroup path overruns the record`);

  const args: Record<string, ArgValue> = {};
  const nargs = bytes[offset + HDR.NARGS]!;
  let pos = argsStart;
  for (let i = 0; i < nargs; i++) {
    if (pos + VIGIL_ARG_HEADER_SIZE > offset + size) return fail(`argument ${i} overruns the record`);
    const param = def.params[bytes[pos + ARG.PARAM]!];
    const kind = bytes[pos + ARG.KIND]!;
    const len = view.getUint16(pos + ARG.LEN, true);
    const start = pos + VIGIL_ARG_HEADER_SIZE;
    if (start + len > offset + size) return fail(`argument ${i} overruns the record`);
    if (!param) return fail(`${def.name}: no parameter #${bytes[pos + ARG.PARAM]}`);
    if (WIRE_KIND_OF[param.kind] !== kind) return fail(`${def.name}.${param.name}: wire kind ${kind} does not carry ${param.kind}`);
    const value = decodeArg(view, bytes, kind, start, len);
    if (value === undefined) return fail(`${def.name}.${param.name}: bad ${param.kind} of ${len} bytes`);
    args[param.name] = value;
    pos = start + len;
  }
  if (bytes[offset + HDR.FLAGS]! & VIGIL_F_ARGV0) splitArgv0(def, args);

  const event: VigilEvent = {
    id,
    name: def.name,
    ts: view.getBigUint64(offset + HDR.TS, true),
    cpu: u32(HDR.CPU),
    pid: u32(HDR.PID),
    tid: u32(HDR.TID),
    ppid: u32(HDR.PPID),
    vpid: u32(HDR.VPID),
    vtid: u32(HDR.VTID),
    vppid: u32(HDR.VPPID),
    uid: u32(HDR.UID),
    gid: u32(HDR.GID),
    loginuid: u32(HDR.LOGINUID),
    comm: cString(bytes, offset + HDR.COMM, 16),
    tty: u32(HDR.TTY),
    mntns: u32(HDR.MNTNS),
    pidns: u32(HDR.PIDNS),
    cgroupId: u32(HDR.CGROUP_ID) + u32(HDR.CGROUP_ID + 4) * TWO_32,
    cgroup: utf8.decode(bytes.subarray(offset + VIGIL_HEADER_SIZE, argsStart)),
    ret: view.getInt32(offset + HDR.RET + 4, true) * TWO_32 + view.getUint32(offset + HDR.RET, true),
    args,
  };
  return { ok: true, event, size };
}

function decodeArg(view: DataView, bytes: Uint8Array, kind: number, start: number, len: number): ArgValue | undefined {
  switch (kind) {
    case VIGIL_ARG_S64:
      return len === 8 ? view.getInt32(start + 4, true) * TWO_32 + view.getUint32(start, true) : undefined;
    case VIGIL_ARG_U64:
      return len === 8 ? view.getUint32(start + 4, true) * TWO_32 + view.getUint32(start, true) : undefined;
    case VIGIL_ARG_STR:
      return utf8.decode(bytes.subarray(start, start + len));
    case VIGIL_ARG_STRLIST:
      return decodeStrlist(bytes.subarray(start, start + len));
    case VIGIL_ARG_BYTES:
      return bytes.slice(start, start + len);
    case VIGIL_ARG_SOCKADDR:
      return decodeSockaddr(bytes.subarray(start, start + len));
    default:
      return undefined;
  }
}

/** NUL-terminated strings back to back; the last one may lack its NUL (cut at a bound). */
function decodeStrlist(b: Uint8Array): string[] {
  const out: string[] = [];
  let from = 0;
  while (from < b.length) {
    let end = b.indexOf(0, from);
    if (end < 0) end = b.length;
    out.push(utf8.decode(b.subarray(from, end)));
    from = end + 1;
  }
  return out;
}

function cString(bytes: Uint8Array, start: number, max: number): string {
  let end = start;
  while (end < start + max && bytes[end] !== 0) end++;
  return utf8.decode(bytes.subarray(start, end));
}

/** Kernel exec records carry argv whole: argv[0] becomes `exe`, the rest `args` (event-table's shape). */
function splitArgv0(def: EventDef, args: Record<string, ArgValue>): void {
  const exe: ParamDef | undefined = def.params.find((p) => p.name === 'exe');
  const argv = args['args'];
  if (!exe || !Array.isArray(argv)) return;
  args['exe'] = argv[0] ?? '';
  args['args'] = argv.slice(1);
}
