/**
 * Facts of the scap capture format (libscap's savefile layout, version 1.2): block type numbers,
 * the event header, the fd and interface type codes. Values come from falcosecurity/libs
 * (`scap_savefile.h`, `ppm_events_public.h`, `scap_const.h`); this file is our own transcription.
 *
 * Layout of every block: u32 type, u32 total length (header + body + trailer), body padded to a
 * multiple of 4, then u32 total length again. All integers are little-endian.
 */

export const SHB_BLOCK_TYPE = 0x0a0d0d0a;
export const SHB_MAGIC = 0x1a2b3c4d;
export const SCAP_MAJOR = 1;
export const SCAP_MINOR = 2;

export const BLOCK = {
  MI: 0x201,
  MI_INT: 0x8002abcd,
  PL_V1: 0x202,
  PL_V1_INT: 0x8000abcd,
  PL_V2: 0x207,
  PL_V2_INT: 0x8013abcd,
  PL_V3: 0x209,
  PL_V3_INT: 0x8014abcd,
  PL_V4: 0x210,
  PL_V5: 0x211,
  PL_V6: 0x212,
  PL_V7: 0x213,
  PL_V8: 0x214,
  PL_V9: 0x215,
  FDL: 0x203,
  FDL_INT: 0x8001abcd,
  FDL_V2: 0x218,
  EV: 0x204,
  EV_INT: 0x8010abcd,
  EV_V2: 0x216,
  EV_V2_LARGE: 0x221,
  EVF: 0x208,
  EVF_V2: 0x217,
  EVF_V2_LARGE: 0x222,
  IL: 0x205,
  IL_INT: 0x8011abcd,
  IL_V2: 0x219,
  UL: 0x206,
  UL_INT: 0x8012abcd,
  UL_V2: 0x220,
} as const;

/** Process list versions in the order fields were added (index = how many features the block has). */
export const PROCLIST_VERSION: ReadonlyMap<number, number> = new Map([
  [BLOCK.PL_V1, 1], [BLOCK.PL_V1_INT, 1], [BLOCK.PL_V2, 2], [BLOCK.PL_V2_INT, 2], [BLOCK.PL_V3, 3],
  [BLOCK.PL_V3_INT, 3], [BLOCK.PL_V4, 4], [BLOCK.PL_V5, 5], [BLOCK.PL_V6, 6], [BLOCK.PL_V7, 7],
  [BLOCK.PL_V8, 8], [BLOCK.PL_V9, 9],
]);

export interface EventBlockKind {
  /** The block carries u32 flags after the cpu id. */
  flags: boolean;
  /** The event header carries nparams (v2); v1 headers lack it. */
  v2: boolean;
  /** The block may exceed 64 KiB. */
  large: boolean;
}

export const EVENT_BLOCKS: ReadonlyMap<number, EventBlockKind> = new Map([
  [BLOCK.EV, { flags: false, v2: false, large: false }],
  [BLOCK.EV_INT, { flags: false, v2: false, large: false }],
  [BLOCK.EV_V2, { flags: false, v2: true, large: false }],
  [BLOCK.EV_V2_LARGE, { flags: false, v2: true, large: true }],
  [BLOCK.EVF, { flags: true, v2: false, large: false }],
  [BLOCK.EVF_V2, { flags: true, v2: true, large: false }],
  [BLOCK.EVF_V2_LARGE, { flags: true, v2: true, large: true }],
]);

/** Non-large event blocks are read into a 64 KiB buffer by libscap; larger ones are corrupt. */
export const MAX_SMALL_EVENT_BLOCK = 1 << 16;
/** A sanity bound on any block, so a corrupt length cannot make us buffer gigabytes. */
export const MAX_BLOCK_LENGTH = 256 * 1024 * 1024;

/** ppm_evt_hdr: u64 ts, u64 tid, u32 len, u16 type, u32 nparams (v2 only). */
export const EVENT_HEADER_V2 = 26;
export const EVENT_HEADER_V1 = 22;

/** scap_fd_type codes in fd list blocks. */
export const SCAP_FD = {
  UNKNOWN: 0,
  FILE: 1,
  DIRECTORY: 2,
  IPV4_SOCK: 3,
  IPV6_SOCK: 4,
  IPV4_SERVSOCK: 5,
  IPV6_SERVSOCK: 6,
  FIFO: 7,
  UNIX_SOCK: 8,
  EVENT: 9,
  UNSUPPORTED: 10,
  SIGNALFD: 11,
  EVENTPOLL: 12,
  INOTIFY: 13,
  TIMERFD: 14,
  NETLINK: 15,
  FILE_V2: 16,
  BPF: 17,
  USERFAULTFD: 18,
  IOURING: 19,
  MEMFD: 20,
  PIDFD: 21,
} as const;

/** Interface list entry types. */
export const SCAP_II = { IPV4: 1, IPV6: 2, IPV4_NOLINKSPEED: 3, IPV6_NOLINKSPEED: 4 } as const;

export const USERBLOCK_TYPE_USER = 0;
export const USERBLOCK_TYPE_GROUP = 1;

/** Socket families as libs writes them in sockaddr/socktuple params. */
export const PPM_AF_UNIX = 1;
export const PPM_AF_INET = 2;
export const PPM_AF_INET6 = 10;

/** Layout of the machine info block body (packed): u32 cpus, u64 memory, u64 max event size, char[128] hostname, 4 × u64. */
export const MACHINE_INFO_SIZE = 4 + 8 + 8 + 128 + 32;
