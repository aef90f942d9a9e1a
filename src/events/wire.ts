/**
 * The vigil wire format, mirrored from bpf/include/record.h (the one definition; read its header
 * comment for the layout). Same names in UPPER_SNAKE. test/events/wire.test.ts parses record.h and
 * checks every constant and offset here against it.
 *
 * @module
 */
import type { ParamKind } from './event-table.js';

export const VIGIL_WIRE_VERSION = 1;
export const VIGIL_RECORD_MAX = 16384;
export const VIGIL_CGROUP_PATH_MAX = 256;
export const VIGIL_COMM_LEN = 16;
export const VIGIL_HEADER_SIZE = 104;
export const VIGIL_ARG_HEADER_SIZE = 4;

/** enum vigil_record_flags */
export const VIGIL_F_LIFECYCLE = 1;
export const VIGIL_F_CONTAINER = 2;
export const VIGIL_F_TRUNCATED = 4;
export const VIGIL_F_ARGV0 = 8;

/** enum vigil_arg_kind */
export const VIGIL_ARG_S64 = 1;
export const VIGIL_ARG_U64 = 2;
export const VIGIL_ARG_STR = 3;
export const VIGIL_ARG_STRLIST = 4;
export const VIGIL_ARG_BYTES = 5;
export const VIGIL_ARG_SOCKADDR = 6;

/** enum vigil_counter (indexes of the per-CPU kernel counters) */
export const VIGIL_CNT_RINGBUF_DROPS = 0;
export const VIGIL_CNT_ENTER_DROPS = 1;
export const VIGIL_CNT_EMITTED = 2;

/** Byte offsets of struct vigil_record_header's fields. */
export const HDR = {
  LEN: 0,
  EVENT_ID: 4,
  VERSION: 6,
  FLAGS: 7,
  TS: 8,
  RET: 16,
  CGROUP_ID: 24,
  PID: 32,
  TID: 36,
  PPID: 40,
  VPID: 44,
  VTID: 48,
  VPPID: 52,
  UID: 56,
  GID: 60,
  LOGINUID: 64,
  TTY: 68,
  MNTNS: 72,
  PIDNS: 76,
  CPU: 80,
  CGROUP_LEN: 84,
  NARGS: 86,
  RESERVED: 87,
  COMM: 88,
} as const;

/** Byte offsets of struct vigil_arg's fields. */
export const ARG = { PARAM: 0, KIND: 1, LEN: 2 } as const;

/** The wire kind that carries each event-table parameter kind. */
export const WIRE_KIND_OF: Readonly<Record<ParamKind, number>> = {
  fd: VIGIL_ARG_S64,
  errno: VIGIL_ARG_S64,
  int: VIGIL_ARG_S64,
  pid: VIGIL_ARG_S64,
  enum: VIGIL_ARG_S64,
  uint: VIGIL_ARG_U64,
  uid: VIGIL_ARG_U64,
  gid: VIGIL_ARG_U64,
  mode: VIGIL_ARG_U64,
  flags: VIGIL_ARG_U64,
  path: VIGIL_ARG_STR,
  relpath: VIGIL_ARG_STR,
  str: VIGIL_ARG_STR,
  strlist: VIGIL_ARG_STRLIST,
  bytes: VIGIL_ARG_BYTES,
  sockaddr: VIGIL_ARG_SOCKADDR,
};

export class WireVersionError extends Error {
  constructor(readonly found: number) {
    super(`wire format version ${found} does not match this build's ${VIGIL_WIRE_VERSION} (rebuild bpf/ and native/)`);
    this.name = 'WireVersionError';
  }
}

/** Refuses to run against a sensor built from another record.h. */
export function checkWireVersion(found: number): void {
  if (found !== VIGIL_WIRE_VERSION) throw new WireVersionError(found);
}
