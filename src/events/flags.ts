import type { FlagTable } from './event-table.js';

/**
 * Symbolic rendering of flag sets and enumerations, as Falco prints them in `evt.arg.*`
 * (`O_TRUNC|O_CREAT|O_WRONLY`, `PTRACE_ATTACH`, `AF_PACKET`, `ENOENT`).
 *
 * Values are the raw Linux x86_64 values the sensor records (not libs' PPM encodings); the
 * order of names in each bit table is the order libs prints them in, which is what rules and
 * outputs compare against. Names are facts of the kernel ABI; the tables are our own.
 */

/** vigil's execve flag bits (the sensor sets them; the same meaning as libs' PPM_EXE_*). */
export const EXE_WRITABLE = 1;
export const EXE_UPPER_LAYER = 2;
export const EXE_FROM_MEMFD = 4;
export const EXE_LOWER_LAYER = 8;

export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_TRUNC = 0o1000;
export const O_DIRECTORY = 0o200000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
export const O_TMPFILE = 0o20000000 | O_DIRECTORY;

export const CLONE_VM = 0x100;
export const CLONE_FILES = 0x400;
export const CLONE_VFORK = 0x4000;
export const CLONE_PARENT = 0x8000;
export const CLONE_THREAD = 0x10000;
export const CLONE_NEWPID = 0x20000000;

type BitTable = readonly (readonly [name: string, bits: number])[];

interface BitRendering {
  kind: 'bits';
  bits: BitTable;
  /** Printed when no bit is set. */
  zero?: string;
  /** A small enumerated field inside the value (open's access mode, socket's type). */
  field?: { mask: number; names: ReadonlyMap<number, string>; position: number };
}

interface EnumRendering {
  kind: 'enum';
  names: ReadonlyMap<number, string>;
}

const enumOf = (entries: readonly (readonly [string, number])[]): ReadonlyMap<number, string> =>
  new Map(entries.map(([name, value]) => [value, name]));

const OPEN_BITS: BitTable = [
  ['O_LARGEFILE', 0o100000],
  ['O_DIRECTORY', O_DIRECTORY],
  ['O_DIRECT', 0o40000],
  ['O_TRUNC', O_TRUNC],
  ['O_SYNC', 0o4010000],
  ['O_NONBLOCK', 0o4000],
  ['O_EXCL', 0o200],
  ['O_DSYNC', 0o10000],
  ['O_APPEND', 0o2000],
  ['O_CREAT', O_CREAT],
  // the access mode (O_RDWR / O_WRONLY / O_RDONLY) is printed here, see `field` below
  ['O_CLOEXEC', O_CLOEXEC],
  ['O_TMPFILE', 0o20000000],
  ['O_NOFOLLOW', 0o400000],
  ['O_NOATIME', 0o1000000],
  ['O_NOCTTY', 0o400],
  ['O_PATH', O_PATH],
  ['O_ASYNC', 0o20000],
];
const OPEN_ACCESS = enumOf([['O_RDONLY', 0], ['O_WRONLY', 1], ['O_RDWR', 2]]);

const MODE_BITS: BitTable = [
  ['S_IXOTH', 0o1], ['S_IWOTH', 0o2], ['S_IROTH', 0o4],
  ['S_IXGRP', 0o10], ['S_IWGRP', 0o20], ['S_IRGRP', 0o40],
  ['S_IXUSR', 0o100], ['S_IWUSR', 0o200], ['S_IRUSR', 0o400],
  ['S_ISVTX', 0o1000], ['S_ISGID', 0o2000], ['S_ISUID', 0o4000],
];

const EXECVE_BITS: BitTable = [
  ['EXE_WRITABLE', EXE_WRITABLE],
  ['EXE_UPPER_LAYER', EXE_UPPER_LAYER],
  ['EXE_FROM_MEMFD', EXE_FROM_MEMFD],
  ['EXE_LOWER_LAYER', EXE_LOWER_LAYER],
];

const NAMESPACE_BITS: BitTable = [
  ['CLONE_NEWTIME', 0x80],
  ['CLONE_NEWNS', 0x20000],
  ['CLONE_NEWCGROUP', 0x2000000],
  ['CLONE_NEWUTS', 0x4000000],
  ['CLONE_NEWIPC', 0x8000000],
  ['CLONE_NEWUSER', 0x10000000],
  ['CLONE_NEWPID', 0x20000000],
  ['CLONE_NEWNET', 0x40000000],
];

const CLONE_BITS: BitTable = [
  ['CLONE_FILES', CLONE_FILES],
  ['CLONE_FS', 0x200],
  ['CLONE_IO', 0x80000000],
  ['CLONE_NEWIPC', 0x8000000],
  ['CLONE_NEWNET', 0x40000000],
  ['CLONE_NEWNS', 0x20000],
  ['CLONE_NEWPID', 0x20000000],
  ['CLONE_NEWUTS', 0x4000000],
  ['CLONE_PARENT', CLONE_PARENT],
  ['CLONE_PARENT_SETTID', 0x100000],
  ['CLONE_PTRACE', 0x2000],
  ['CLONE_SIGHAND', 0x800],
  ['CLONE_SYSVSEM', 0x40000],
  ['CLONE_THREAD', CLONE_THREAD],
  ['CLONE_UNTRACED', 0x800000],
  ['CLONE_VM', CLONE_VM],
  ['CLONE_NEWUSER', 0x10000000],
  ['CLONE_CHILD_CLEARTID', 0x200000],
  ['CLONE_CHILD_SETTID', 0x1000000],
  ['CLONE_SETTLS', 0x80000],
  ['CLONE_VFORK', CLONE_VFORK],
  ['CLONE_NEWCGROUP', 0x2000000],
  ['CLONE_PIDFD', 0x1000],
  ['CLONE_DETACHED', 0x400000],
  ['CLONE_CLEAR_SIGHAND', 0x100000000],
  ['CLONE_INTO_CGROUP', 0x200000000],
];

const UNSHARE_BITS: BitTable = [...NAMESPACE_BITS, ['CLONE_FILES', CLONE_FILES], ['CLONE_FS', 0x200], ['CLONE_SYSVSEM', 0x40000]];

const SOCK_FLAG_BITS: BitTable = [['SOCK_NONBLOCK', 0o4000], ['SOCK_CLOEXEC', O_CLOEXEC]];
const SOCK_TYPES = enumOf([
  ['SOCK_STREAM', 1], ['SOCK_DGRAM', 2], ['SOCK_RAW', 3], ['SOCK_RDM', 4],
  ['SOCK_SEQPACKET', 5], ['SOCK_DCCP', 6], ['SOCK_PACKET', 10],
]);

const PROT_BITS: BitTable = [
  ['PROT_READ', 1], ['PROT_WRITE', 2], ['PROT_EXEC', 4], ['PROT_SEM', 8],
  ['PROT_GROWSDOWN', 0x01000000], ['PROT_GROWSUP', 0x02000000], ['PROT_SAO', 0x10],
];

const MMAP_BITS: BitTable = [
  ['MAP_SHARED', 1], ['MAP_PRIVATE', 2], ['MAP_FIXED', 0x10], ['MAP_ANONYMOUS', 0x20], ['MAP_32BIT', 0x40],
  ['MAP_NORESERVE', 0x4000], ['MAP_POPULATE', 0x8000], ['MAP_NONBLOCK', 0x10000], ['MAP_GROWSDOWN', 0x100],
  ['MAP_DENYWRITE', 0x800], ['MAP_EXECUTABLE', 0x1000], ['MAP_LOCKED', 0x2000], ['MAP_STACK', 0x20000],
  ['MAP_HUGETLB', 0x40000], ['MAP_SYNC', 0x80000], ['MAP_FIXED_NOREPLACE', 0x100000],
];

const AT_BITS: BitTable = [
  ['AT_SYMLINK_NOFOLLOW', 0x100], ['AT_REMOVEDIR', 0x200], ['AT_SYMLINK_FOLLOW', 0x400],
  ['AT_NO_AUTOMOUNT', 0x800], ['AT_EMPTY_PATH', 0x1000],
];

const RENAME_BITS: BitTable = [['RENAME_NOREPLACE', 1], ['RENAME_EXCHANGE', 2], ['RENAME_WHITEOUT', 4]];

const MOUNT_BITS: BitTable = [
  ['RDONLY', 1], ['NOSUID', 2], ['NODEV', 4], ['NOEXEC', 8], ['SYNCHRONOUS', 0x10], ['REMOUNT', 0x20],
  ['MANDLOCK', 0x40], ['DIRSYNC', 0x80], ['NOSYMFOLLOW', 0x100], ['NOATIME', 0x400], ['NODIRATIME', 0x800],
  ['BIND', 0x1000], ['MOVE', 0x2000], ['REC', 0x4000], ['SILENT', 0x8000], ['POSIXACL', 0x10000],
  ['UNBINDABLE', 0x20000], ['PRIVATE', 0x40000], ['SLAVE', 0x80000], ['SHARED', 0x100000],
  ['RELATIME', 0x200000], ['KERNMOUNT', 0x400000], ['I_VERSION', 0x800000], ['STRICTATIME', 0x1000000],
  ['LAZYTIME', 0x2000000],
];

const UMOUNT_BITS: BitTable = [['FORCE', 1], ['DETACH', 2], ['EXPIRE', 4], ['NOFOLLOW', 8]];

const MEMFD_BITS: BitTable = [
  ['MFD_CLOEXEC', 1], ['MFD_ALLOW_SEALING', 2], ['MFD_HUGETLB', 4], ['MFD_NOEXEC_SEAL', 8], ['MFD_EXEC', 0x10],
];

const MODULE_BITS: BitTable = [
  ['MODULE_INIT_IGNORE_MODVERSIONS', 1], ['MODULE_INIT_IGNORE_VERMAGIC', 2], ['MODULE_INIT_COMPRESSED_FILE', 4],
];

const MSG_BITS: BitTable = [
  ['MSG_OOB', 1], ['MSG_PEEK', 2], ['MSG_DONTROUTE', 4], ['MSG_CTRUNC', 8], ['MSG_PROXY', 0x10],
  ['MSG_TRUNC', 0x20], ['MSG_DONTWAIT', 0x40], ['MSG_EOR', 0x80], ['MSG_WAITALL', 0x100], ['MSG_FIN', 0x200],
  ['MSG_SYN', 0x400], ['MSG_CONFIRM', 0x800], ['MSG_RST', 0x1000], ['MSG_ERRQUEUE', 0x2000],
  ['MSG_NOSIGNAL', 0x4000], ['MSG_MORE', 0x8000], ['MSG_WAITFORONE', 0x10000], ['MSG_FASTOPEN', 0x20000000],
  ['MSG_CMSG_CLOEXEC', 0x40000000],
];

const PTRACE_REQUESTS = enumOf([
  ['PTRACE_TRACEME', 0], ['PTRACE_PEEKTEXT', 1], ['PTRACE_PEEKDATA', 2], ['PTRACE_PEEKUSR', 3],
  ['PTRACE_POKETEXT', 4], ['PTRACE_POKEDATA', 5], ['PTRACE_POKEUSR', 6], ['PTRACE_CONT', 7],
  ['PTRACE_KILL', 8], ['PTRACE_SINGLESTEP', 9], ['PTRACE_GETREGS', 12], ['PTRACE_SETREGS', 13],
  ['PTRACE_GETFPREGS', 14], ['PTRACE_SETFPREGS', 15], ['PTRACE_ATTACH', 16], ['PTRACE_DETACH', 17],
  ['PTRACE_GETFPXREGS', 18], ['PTRACE_SETFPXREGS', 19], ['PTRACE_SYSCALL', 24], ['PTRACE_GET_THREAD_AREA', 25],
  ['PTRACE_SET_THREAD_AREA', 26], ['PTRACE_ARCH_PRCTL', 30], ['PTRACE_SYSEMU', 31],
  ['PTRACE_SYSEMU_SINGLESTEP', 32], ['PTRACE_SINGLEBLOCK', 33], ['PTRACE_SETOPTIONS', 0x4200],
  ['PTRACE_GETEVENTMSG', 0x4201], ['PTRACE_GETSIGINFO', 0x4202], ['PTRACE_SETSIGINFO', 0x4203],
  ['PTRACE_GETREGSET', 0x4204], ['PTRACE_SETREGSET', 0x4205], ['PTRACE_SEIZE', 0x4206],
  ['PTRACE_INTERRUPT', 0x4207], ['PTRACE_LISTEN', 0x4208], ['PTRACE_PEEKSIGINFO', 0x4209],
  ['PTRACE_GETSIGMASK', 0x420a], ['PTRACE_SETSIGMASK', 0x420b], ['PTRACE_SECCOMP_GET_FILTER', 0x420c],
  ['PTRACE_SECCOMP_GET_METADATA', 0x420d], ['PTRACE_GET_SYSCALL_INFO', 0x420e],
]);

// libs names family 1 AF_LOCAL (its table lists AF_LOCAL before AF_UNIX, and the first match wins)
const FAMILY_NAMES = [
  'AF_UNSPEC', 'AF_LOCAL', 'AF_INET', 'AF_AX25', 'AF_IPX', 'AF_APPLETALK', 'AF_NETROM', 'AF_BRIDGE',
  'AF_ATMPVC', 'AF_X25', 'AF_INET6', 'AF_ROSE', 'AF_DECnet', 'AF_NETBEUI', 'AF_SECURITY', 'AF_KEY',
  'AF_NETLINK', 'AF_PACKET', 'AF_ASH', 'AF_ECONET', 'AF_ATMSVC', 'AF_RDS', 'AF_SNA', 'AF_IRDA', 'AF_PPPOX',
  'AF_WANPIPE', 'AF_LLC', 'AF_IB', 'AF_MPLS', 'AF_CAN', 'AF_TIPC', 'AF_BLUETOOTH', 'AF_IUCV', 'AF_RXRPC',
  'AF_ISDN', 'AF_PHONET', 'AF_IEEE802154', 'AF_CAIF', 'AF_ALG', 'AF_NFC', 'AF_VSOCK', 'AF_KCM',
  'AF_QIPCRTR', 'AF_SMC', 'AF_XDP', 'AF_MCTP',
];
const SOCKET_FAMILIES = enumOf(FAMILY_NAMES.map((name, i) => [name, i] as const));

const SIGNAL_NAMES = [
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP',
  'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH',
  'SIGIO', 'SIGPWR', 'SIGSYS',
];
const SIGNALS = enumOf(SIGNAL_NAMES.map((name, i) => [name, i + 1] as const));

const BPF_CMD_NAMES = [
  'MAP_CREATE', 'MAP_LOOKUP_ELEM', 'MAP_UPDATE_ELEM', 'MAP_DELETE_ELEM', 'MAP_GET_NEXT_KEY', 'PROG_LOAD',
  'OBJ_PIN', 'OBJ_GET', 'PROG_ATTACH', 'PROG_DETACH', 'PROG_TEST_RUN', 'PROG_GET_NEXT_ID',
  'MAP_GET_NEXT_ID', 'PROG_GET_FD_BY_ID', 'MAP_GET_FD_BY_ID', 'OBJ_GET_INFO_BY_FD', 'PROG_QUERY',
  'RAW_TRACEPOINT_OPEN', 'BTF_LOAD', 'BTF_GET_FD_BY_ID', 'TASK_FD_QUERY', 'MAP_LOOKUP_AND_DELETE_ELEM',
  'MAP_FREEZE', 'BTF_GET_NEXT_ID', 'MAP_LOOKUP_BATCH', 'MAP_LOOKUP_AND_DELETE_BATCH', 'MAP_UPDATE_BATCH',
  'MAP_DELETE_BATCH', 'LINK_CREATE', 'LINK_UPDATE', 'LINK_GET_FD_BY_ID', 'LINK_GET_NEXT_ID', 'ENABLE_STATS',
  'ITER_CREATE', 'LINK_DETACH', 'PROG_BIND_MAP', 'TOKEN_CREATE',
];
const BPF_CMDS = enumOf(BPF_CMD_NAMES.map((name, i) => [`BPF_${name}`, i] as const));

const RENDERINGS: Record<FlagTable, BitRendering | EnumRendering> = {
  open_flags: { kind: 'bits', bits: OPEN_BITS, field: { mask: O_ACCMODE, names: OPEN_ACCESS, position: 10 } },
  open_mode: { kind: 'bits', bits: MODE_BITS },
  execve_flags: { kind: 'bits', bits: EXECVE_BITS },
  clone_flags: { kind: 'bits', bits: CLONE_BITS },
  ptrace_request: { kind: 'enum', names: PTRACE_REQUESTS },
  socket_family: { kind: 'enum', names: SOCKET_FAMILIES },
  socket_type: { kind: 'bits', bits: SOCK_FLAG_BITS, field: { mask: 0xf, names: SOCK_TYPES, position: 0 } },
  prot: { kind: 'bits', bits: PROT_BITS, zero: 'PROT_NONE' },
  mmap_flags: { kind: 'bits', bits: MMAP_BITS },
  at_flags: { kind: 'bits', bits: AT_BITS },
  rename_flags: { kind: 'bits', bits: RENAME_BITS },
  mount_flags: { kind: 'bits', bits: MOUNT_BITS },
  umount_flags: { kind: 'bits', bits: UMOUNT_BITS },
  unshare_flags: { kind: 'bits', bits: UNSHARE_BITS },
  signal: { kind: 'enum', names: SIGNALS },
  memfd_flags: { kind: 'bits', bits: MEMFD_BITS },
  bpf_cmd: { kind: 'enum', names: BPF_CMDS },
  module_flags: { kind: 'bits', bits: MODULE_BITS },
  accept_flags: { kind: 'bits', bits: SOCK_FLAG_BITS },
  msg_flags: { kind: 'bits', bits: MSG_BITS },
  dup_flags: { kind: 'bits', bits: [['O_CLOEXEC', O_CLOEXEC]] },
};

/** Bit test that also works above bit 31 (clone3 flags), where JS bitwise operators do not. */
function hasBits(value: number, bits: number): boolean {
  if (value <= 0x7fffffff && bits <= 0x7fffffff) return (value & bits) === bits;
  return (BigInt(value) & BigInt(bits)) === BigInt(bits);
}

function renderBits(r: BitRendering, value: number): string {
  const names: string[] = [];
  for (let i = 0; i < r.bits.length; i++) {
    if (r.field && r.field.position === i) pushField(r.field, value, names);
    const [name, bits] = r.bits[i]!;
    if (bits !== 0 && hasBits(value, bits)) names.push(name);
  }
  if (r.field && r.field.position >= r.bits.length) pushField(r.field, value, names);
  if (names.length === 0) return r.zero ?? '';
  return names.join('|');
}

function pushField(field: NonNullable<BitRendering['field']>, value: number, out: string[]): void {
  const name = field.names.get(value & field.mask);
  if (name !== undefined) out.push(name);
}

// Rendering runs in rule conditions (`evt.arg.flags contains O_CREAT`) on hot events such as
// open; flag values repeat a lot, so renderings are memoised per table (bounded).
const MEMO_LIMIT = 4096;
const memo = new Map<FlagTable, Map<number, string>>();

/** The symbolic text of `value` in `table` (`O_RDWR|O_CREAT`, `PTRACE_ATTACH`); unknown enum values print as numbers. */
export function renderFlags(table: FlagTable, value: number): string {
  let cache = memo.get(table);
  if (!cache) memo.set(table, (cache = new Map()));
  let text = cache.get(value);
  if (text === undefined) {
    const r = RENDERINGS[table];
    text = r.kind === 'enum' ? r.names.get(value) ?? String(value) : renderBits(r, value);
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(value, text);
  }
  return text;
}

/** Every symbolic name a table can print (for tests and documentation). */
export function flagNames(table: FlagTable): string[] {
  const r = RENDERINGS[table];
  if (r.kind === 'enum') return [...r.names.values()];
  return [...r.bits.map(([name]) => name), ...(r.field ? r.field.names.values() : [])];
}

const ERRNO_NAMES = [
  'EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'ECHILD', 'EAGAIN',
  'ENOMEM', 'EACCES', 'EFAULT', 'ENOTBLK', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV', 'ENOTDIR', 'EISDIR',
  'EINVAL', 'ENFILE', 'EMFILE', 'ENOTTY', 'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS', 'EMLINK',
  'EPIPE', 'EDOM', 'ERANGE', 'EDEADLK', 'ENAMETOOLONG', 'ENOLCK', 'ENOSYS', 'ENOTEMPTY', 'ELOOP',
  '', 'ENOMSG', 'EIDRM', 'ECHRNG', 'EL2NSYNC', 'EL3HLT', 'EL3RST', 'ELNRNG', 'EUNATCH', 'ENOCSI',
  'EL2HLT', 'EBADE', 'EBADR', 'EXFULL', 'ENOANO', 'EBADRQC', 'EBADSLT', '', 'EBFONT', 'ENOSTR', 'ENODATA',
  'ETIME', 'ENOSR', 'ENONET', 'ENOPKG', 'EREMOTE', 'ENOLINK', 'EADV', 'ESRMNT', 'ECOMM', 'EPROTO',
  'EMULTIHOP', 'EDOTDOT', 'EBADMSG', 'EOVERFLOW', 'ENOTUNIQ', 'EBADFD', 'EREMCHG', 'ELIBACC', 'ELIBBAD',
  'ELIBSCN', 'ELIBMAX', 'ELIBEXEC', 'EILSEQ', 'ERESTART', 'ESTRPIPE', 'EUSERS', 'ENOTSOCK',
  'EDESTADDRREQ', 'EMSGSIZE', 'EPROTOTYPE', 'ENOPROTOOPT', 'EPROTONOSUPPORT', 'ESOCKTNOSUPPORT',
  'EOPNOTSUPP', 'EPFNOSUPPORT', 'EAFNOSUPPORT', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ENETDOWN', 'ENETUNREACH',
  'ENETRESET', 'ECONNABORTED', 'ECONNRESET', 'ENOBUFS', 'EISCONN', 'ENOTCONN', 'ESHUTDOWN',
  'ETOOMANYREFS', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTDOWN', 'EHOSTUNREACH', 'EALREADY', 'EINPROGRESS',
  'ESTALE', 'EUCLEAN', 'ENOTNAM', 'ENAVAIL', 'EISNAM', 'EREMOTEIO', 'EDQUOT', 'ENOMEDIUM', 'EMEDIUMTYPE',
  'ECANCELED', 'ENOKEY', 'EKEYEXPIRED', 'EKEYREVOKED', 'EKEYREJECTED', 'EOWNERDEAD', 'ENOTRECOVERABLE',
  'ERFKILL', 'EHWPOISON',
];

/** The errno name of a positive errno value (`2` → `ENOENT`), undefined when unknown. */
export function errnoName(errno: number): string | undefined {
  const name = ERRNO_NAMES[errno - 1];
  return name ? name : undefined;
}

/** `evt.res`: `SUCCESS` for a return value ≥ 0, else the errno name (or the number when unknown). */
export function renderResult(ret: number): string {
  if (ret >= 0) return 'SUCCESS';
  return errnoName(-ret) ?? String(ret);
}

const CAP_NAMES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

const capMemo = new Map<bigint, string>();

/** A capability mask as space-separated `CAP_*` names (thread.cap_* fields). */
export function renderCapabilities(mask: bigint): string {
  let text = capMemo.get(mask);
  if (text === undefined) {
    const names: string[] = [];
    for (let bit = 0; bit < CAP_NAMES.length; bit++) if ((mask >> BigInt(bit)) & 1n) names.push(CAP_NAMES[bit]!);
    text = names.join(' ');
    if (capMemo.size >= MEMO_LIMIT) capMemo.clear();
    capMemo.set(mask, text);
  }
  return text;
}
