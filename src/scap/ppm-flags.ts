/**
 * libs encodes some flag and enum parameters in its own PPM_* numbering, while vigil's event model
 * carries raw Linux x86_64 values (src/events/flags.ts). These tables translate both ways.
 * Bit positions are facts of libs' driver/ppm_events_public.h (the PPM_* values) and
 * driver/ppm_flag_helpers.h (which Linux flag the driver turns into which PPM flag), and of the
 * Linux ABI.
 *
 * Parameters whose libs encoding equals Linux' need no codec: unlinkat/linkat AT_* flags
 * (PPM_AT_* are the Linux values), renameat2 RENAME_*, memfd_create MFD_*, mount MS_* (the driver
 * only strips the MS_MGC_VAL magic), umount2 MNT_*, chmod-family modes (PPM_S_* bits are the octal
 * mode bits), socket domains (PPM_AF_* are the Linux numbers; type and protocol are passed raw),
 * finit_module MODULE_INIT_*, bpf commands and execve's PPM_EXE_* (vigil's EXE_* are the same bits).
 * accept4's flags are always 0 in libs captures (the drivers do not record them).
 */

export interface PpmCodec {
  fromPpm(ppm: number): number;
  toPpm(linux: number): number;
}

type BitPairs = readonly (readonly [ppm: number, linux: number])[];

/** Bits that have no counterpart on the other side are dropped, as libs' drivers drop them. */
function translate(value: number, pairs: BitPairs, from: 0 | 1): number {
  let out = 0;
  for (const pair of pairs) if (pair[from] !== 0 && (value & pair[from]) >>> 0 === pair[from] >>> 0) out |= pair[1 - from]!;
  return out >>> 0;
}

/** A codec for a flag set where each PPM bit stands for one Linux bit. */
function bitCodec(pairs: BitPairs): PpmCodec {
  return { fromPpm: (ppm) => translate(ppm, pairs, 0), toPpm: (linux) => translate(linux, pairs, 1) };
}

// Open flags. The access mode is a field in Linux (0/1/2) and two bits in libs (RDONLY=1, WRONLY=2, RDWR=3).
const OPEN_PAIRS: BitPairs = [
  [1 << 2, 0o100], // O_CREAT
  [1 << 3, 0o2000], // O_APPEND
  [1 << 4, 0o10000], // O_DSYNC
  [1 << 5, 0o200], // O_EXCL
  [1 << 6, 0o4000], // O_NONBLOCK
  [1 << 7, 0o4000000], // __O_SYNC (O_SYNC = __O_SYNC | O_DSYNC)
  [1 << 8, 0o1000], // O_TRUNC
  [1 << 9, 0o40000], // O_DIRECT
  [1 << 10, 0o200000], // O_DIRECTORY
  [1 << 11, 0o100000], // O_LARGEFILE
  [1 << 12, 0o2000000], // O_CLOEXEC
  [1 << 13, 0o20000000], // __O_TMPFILE
];

export function openFlagsFromPpm(ppm: number): number {
  const access = ppm & 3;
  const mode = access === 3 ? 2 : access === 2 ? 1 : 0;
  return (translate(ppm, OPEN_PAIRS, 0) | mode) >>> 0;
}

export function openFlagsToPpm(linux: number): number {
  const mode = linux & 3;
  const access = mode === 2 ? 3 : mode === 1 ? 2 : 1;
  return (translate(linux, OPEN_PAIRS, 1) | access) >>> 0;
}

// dup3 records only O_CLOEXEC, in the open-flag numbering and without an access mode.
const DUP3_PAIRS: BitPairs = [[1 << 12, 0o2000000]];

// Clone flags; unshare's flags and setns' nstype use the same numbering.
const CLONE_PAIRS: BitPairs = [
  [1 << 0, 0x400], // CLONE_FILES
  [1 << 1, 0x200], // CLONE_FS
  [1 << 2, 0x80000000], // CLONE_IO
  [1 << 3, 0x8000000], // CLONE_NEWIPC
  [1 << 4, 0x40000000], // CLONE_NEWNET
  [1 << 5, 0x20000], // CLONE_NEWNS
  [1 << 6, 0x20000000], // CLONE_NEWPID
  [1 << 7, 0x4000000], // CLONE_NEWUTS
  [1 << 8, 0x8000], // CLONE_PARENT
  [1 << 9, 0x100000], // CLONE_PARENT_SETTID
  [1 << 10, 0x2000], // CLONE_PTRACE
  [1 << 11, 0x800], // CLONE_SIGHAND
  [1 << 12, 0x40000], // CLONE_SYSVSEM
  [1 << 13, 0x10000], // CLONE_THREAD
  [1 << 14, 0x800000], // CLONE_UNTRACED
  [1 << 15, 0x100], // CLONE_VM
  [1 << 20, 0x10000000], // CLONE_NEWUSER
  [1 << 23, 0x200000], // CLONE_CHILD_CLEARTID
  [1 << 24, 0x1000000], // CLONE_CHILD_SETTID
  [1 << 25, 0x80000], // CLONE_SETTLS
  [1 << 27, 0x4000], // CLONE_VFORK
  [1 << 28, 0x2000000], // CLONE_NEWCGROUP
];


// mmap/mprotect protection. PROT_SAO is powerpc-only, so it has no x86_64 bit.
const PROT_PAIRS: BitPairs = [
  [1 << 0, 0x1], // PROT_READ
  [1 << 1, 0x2], // PROT_WRITE
  [1 << 2, 0x4], // PROT_EXEC
  [1 << 3, 0x8], // PROT_SEM
  [1 << 4, 0x01000000], // PROT_GROWSDOWN
  [1 << 5, 0x02000000], // PROT_GROWSUP
];

// mmap flags. PPM_MAP_RENAME, PPM_MAP_INHERIT and PPM_MAP_FILE have no x86_64 bit (MAP_FILE is 0);
// MAP_STACK, MAP_HUGETLB, MAP_SYNC and MAP_FIXED_NOREPLACE have no PPM bit. MAP_SHARED_VALIDATE
// (3) is SHARED|PRIVATE on both sides.
const MMAP_PAIRS: BitPairs = [
  [1 << 0, 0x1], // MAP_SHARED
  [1 << 1, 0x2], // MAP_PRIVATE
  [1 << 2, 0x10], // MAP_FIXED
  [1 << 3, 0x20], // MAP_ANONYMOUS
  [1 << 4, 0x40], // MAP_32BIT
  [1 << 6, 0x4000], // MAP_NORESERVE
  [1 << 7, 0x8000], // MAP_POPULATE
  [1 << 8, 0x10000], // MAP_NONBLOCK
  [1 << 9, 0x100], // MAP_GROWSDOWN
  [1 << 10, 0x800], // MAP_DENYWRITE
  [1 << 11, 0x1000], // MAP_EXECUTABLE
  [1 << 14, 0x2000], // MAP_LOCKED
];

// openat2 `how.resolve` (PPM_RESOLVE_*).
const RESOLVE_PAIRS: BitPairs = [
  [1 << 0, 0x08], // RESOLVE_BENEATH
  [1 << 1, 0x10], // RESOLVE_IN_ROOT
  [1 << 2, 0x02], // RESOLVE_NO_MAGICLINKS
  [1 << 3, 0x04], // RESOLVE_NO_SYMLINKS
  [1 << 4, 0x01], // RESOLVE_NO_XDEV
  [1 << 5, 0x20], // RESOLVE_CACHED
];

// execveat flags (PPM_EXVAT_*), unlike the other *at() flags, are renumbered.
const EXECVEAT_PAIRS: BitPairs = [
  [1 << 0, 0x1000], // AT_EMPTY_PATH
  [1 << 1, 0x100], // AT_SYMLINK_NOFOLLOW
];

// ptrace requests: PPM_PTRACE_* index → Linux request number.
const PTRACE_LINUX = [
  -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 24, 0x4200, 0x4201, 0x4202, 0x4203, 0x4204, 0x4205, 0x4206,
  0x4207, 0x4208, 0x4209, 0x420a, 0x420b, 12, 13, 14, 15, 18, 19, 21, 25, 26, 30, 31, 32, 33,
];
const PTRACE_PPM = new Map(PTRACE_LINUX.map((linux, ppm) => [linux, ppm]));


/** Every translation by the codec name param specs use (`name:type:codec` in src/scap/libs-events.ts). */
export const PPM_CODECS = {
  open: { fromPpm: openFlagsFromPpm, toPpm: openFlagsToPpm },
  dup3: bitCodec(DUP3_PAIRS),
  clone: bitCodec(CLONE_PAIRS),
  prot: bitCodec(PROT_PAIRS),
  mmap: bitCodec(MMAP_PAIRS),
  resolve: bitCodec(RESOLVE_PAIRS),
  execveat: bitCodec(EXECVEAT_PAIRS),
  ptrace: { fromPpm: (ppm) => PTRACE_LINUX[ppm] ?? -1, toPpm: (linux) => PTRACE_PPM.get(linux) ?? 0 },
} as const satisfies Record<string, PpmCodec>;

export type PpmCodecName = keyof typeof PPM_CODECS;
