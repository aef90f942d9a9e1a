/**
 * libs encodes some flag and enum parameters in its own PPM_* numbering, while vigil's event model
 * carries raw Linux x86_64 values (src/events/flags.ts). These tables translate both ways.
 * Bit positions are facts of libs' ppm_events_public.h and of the Linux ABI.
 */

type BitPairs = readonly (readonly [ppm: number, linux: number])[];

function translate(value: number, pairs: BitPairs, from: 0 | 1): number {
  let out = 0;
  for (const pair of pairs) if ((value & pair[from]) >>> 0 === pair[from] >>> 0 && pair[from] !== 0) out |= pair[1 - from]!;
  return out >>> 0;
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

// Clone (and unshare/setns namespace) flags.
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

export const cloneFlagsFromPpm = (ppm: number): number => translate(ppm, CLONE_PAIRS, 0);
export const cloneFlagsToPpm = (linux: number): number => translate(linux, CLONE_PAIRS, 1);

// ptrace requests: PPM_PTRACE_* index → Linux request number.
const PTRACE_LINUX = [
  -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 24, 0x4200, 0x4201, 0x4202, 0x4203, 0x4204, 0x4205, 0x4206,
  0x4207, 0x4208, 0x4209, 0x420a, 0x420b, 12, 13, 14, 15, 18, 19, 21,
];
const PTRACE_PPM = new Map(PTRACE_LINUX.map((linux, ppm) => [linux, ppm]));

export const ptraceRequestFromPpm = (ppm: number): number => PTRACE_LINUX[ppm] ?? -1;
export const ptraceRequestToPpm = (linux: number): number => PTRACE_PPM.get(linux) ?? 0;
