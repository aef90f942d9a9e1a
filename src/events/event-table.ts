import { X86_64_SYSCALLS } from './syscalls.js';

/**
 * The single table of the events vigil captures: id → name, category and typed parameters.
 * The ids are the wire ids of bpf/include/record.h (VIGIL_EVT_<NAME>), so this table, the decoder,
 * the replay encoder, Falco's evt.* fields and `vigil list-fields` all read from here.
 *
 * Parameter names are Falco's (libs event_table.c, exit events carrying the enter parameters too),
 * so `evt.arg.flags`, `evt.arg.request`, `evt.arg.name` … resolve by name.
 */

/** How a parameter is encoded on the wire and how it is typed in the event model. */
export type ParamKind =
  | 'fd' // int64; -1 when none
  | 'errno' // int64 return value; negative errno on failure
  | 'int' // int64
  | 'uint' // uint64 (decoded to number; values above 2^53 lose precision, none of ours get there)
  | 'pid'
  | 'uid'
  | 'gid'
  | 'mode' // uint32 file mode bits
  | 'flags' // uint32/uint64 bit set, rendered through a flag table
  | 'enum' // int64 rendered through a value table
  | 'path' // absolute or cwd-relative path
  | 'relpath' // path relative to the dirfd parameter named by `dirfd`
  | 'str'
  | 'strlist' // argv / envp
  | 'bytes'
  | 'sockaddr';

/** Symbolic tables, implemented in src/events/flags.ts. */
export type FlagTable =
  | 'open_flags'
  | 'open_mode'
  | 'execve_flags'
  | 'clone_flags'
  | 'ptrace_request'
  | 'socket_family'
  | 'socket_type'
  | 'prot'
  | 'mmap_flags'
  | 'at_flags'
  | 'rename_flags'
  | 'mount_flags'
  | 'umount_flags'
  | 'unshare_flags'
  | 'signal'
  | 'memfd_flags'
  | 'bpf_cmd'
  | 'module_flags'
  | 'accept_flags'
  | 'msg_flags'
  | 'dup_flags';

export interface ParamDef {
  name: string;
  kind: ParamKind;
  table?: FlagTable;
  /** For relpath: the parameter holding the directory fd (AT_FDCWD = -100 means the cwd). */
  dirfd?: string;
}

export type EventCategory = 'process' | 'file' | 'net' | 'ipc' | 'memory' | 'security' | 'system';

export interface EventDef {
  id: number;
  name: string;
  category: EventCategory;
  params: readonly ParamDef[];
  /** The event creates (returns) an fd, uses one (param `fd`), or destroys one. */
  fd?: 'creates' | 'uses' | 'destroys';
  /** Process life-cycle records update every shard's process table (design: shard routing). */
  lifecycle?: boolean;
  /** The Linux syscall this event reports, when it is one. */
  syscall?: string;
}

const p = (name: string, kind: ParamKind, table?: FlagTable): ParamDef => (table ? { name, kind, table } : { name, kind });
const rel = (name: string, dirfd: string): ParamDef => ({ name, kind: 'relpath', dirfd });

const EXEC_PARAMS: readonly ParamDef[] = [
  p('exe', 'str'), // argv[0]
  p('args', 'strlist'), // argv[1..]
  p('env', 'strlist'),
  p('cwd', 'path'),
  p('comm', 'str'),
  p('trusted_exepath', 'path'),
  p('filename', 'path'), // the path given to execve(at)
  p('flags', 'flags', 'execve_flags'),
  p('uid', 'uid'),
  p('gid', 'gid'),
  p('loginuid', 'uid'),
  p('tty', 'uint'),
  p('pgid', 'pid'),
  p('sid', 'pid'),
  p('cap_inheritable', 'uint'),
  p('cap_permitted', 'uint'),
  p('cap_effective', 'uint'),
  p('exe_ino', 'uint'),
  p('exe_ino_ctime', 'uint'),
  p('exe_ino_mtime', 'uint'),
];

const CLONE_PARAMS: readonly ParamDef[] = [
  p('flags', 'flags', 'clone_flags'),
  p('child_tid', 'pid'), // host tid of the new task (also the return value in the parent)
  p('child_pid', 'pid'), // host tgid of the new task
];

type Row = Omit<EventDef, 'id'>;

const ROWS: readonly Row[] = [
  // process life cycle
  { name: 'execve', category: 'process', params: EXEC_PARAMS, lifecycle: true, syscall: 'execve' },
  { name: 'execveat', category: 'process', params: [p('dirfd', 'fd'), ...EXEC_PARAMS], lifecycle: true, syscall: 'execveat' },
  { name: 'clone', category: 'process', params: CLONE_PARAMS, lifecycle: true, syscall: 'clone' },
  { name: 'clone3', category: 'process', params: CLONE_PARAMS, lifecycle: true, syscall: 'clone3' },
  { name: 'fork', category: 'process', params: CLONE_PARAMS, lifecycle: true, syscall: 'fork' },
  { name: 'vfork', category: 'process', params: CLONE_PARAMS, lifecycle: true, syscall: 'vfork' },
  { name: 'procexit', category: 'process', params: [p('status', 'int'), p('reaper_tid', 'pid')], lifecycle: true },
  // files
  { name: 'open', category: 'file', fd: 'creates', syscall: 'open', params: [p('fd', 'fd'), p('name', 'path'), p('flags', 'flags', 'open_flags'), p('mode', 'mode', 'open_mode'), p('dev', 'uint'), p('ino', 'uint')] },
  { name: 'openat', category: 'file', fd: 'creates', syscall: 'openat', params: [p('fd', 'fd'), p('dirfd', 'fd'), rel('name', 'dirfd'), p('flags', 'flags', 'open_flags'), p('mode', 'mode', 'open_mode'), p('dev', 'uint'), p('ino', 'uint')] },
  { name: 'openat2', category: 'file', fd: 'creates', syscall: 'openat2', params: [p('fd', 'fd'), p('dirfd', 'fd'), rel('name', 'dirfd'), p('flags', 'flags', 'open_flags'), p('mode', 'mode', 'open_mode'), p('resolve', 'uint'), p('dev', 'uint'), p('ino', 'uint')] },
  { name: 'creat', category: 'file', fd: 'creates', syscall: 'creat', params: [p('fd', 'fd'), p('name', 'path'), p('mode', 'mode', 'open_mode'), p('dev', 'uint'), p('ino', 'uint')] },
  { name: 'close', category: 'file', fd: 'destroys', syscall: 'close', params: [p('fd', 'fd')] },
  { name: 'dup', category: 'file', fd: 'creates', syscall: 'dup', params: [p('fd', 'fd'), p('oldfd', 'fd')] },
  { name: 'dup2', category: 'file', fd: 'creates', syscall: 'dup2', params: [p('fd', 'fd'), p('oldfd', 'fd'), p('newfd', 'fd')] },
  { name: 'dup3', category: 'file', fd: 'creates', syscall: 'dup3', params: [p('fd', 'fd'), p('oldfd', 'fd'), p('newfd', 'fd'), p('flags', 'flags', 'dup_flags')] },
  { name: 'unlink', category: 'file', syscall: 'unlink', params: [p('path', 'path')] },
  { name: 'unlinkat', category: 'file', syscall: 'unlinkat', params: [p('dirfd', 'fd'), rel('name', 'dirfd'), p('flags', 'flags', 'at_flags')] },
  { name: 'rename', category: 'file', syscall: 'rename', params: [p('oldpath', 'path'), p('newpath', 'path')] },
  { name: 'renameat', category: 'file', syscall: 'renameat', params: [p('olddirfd', 'fd'), rel('oldpath', 'olddirfd'), p('newdirfd', 'fd'), rel('newpath', 'newdirfd')] },
  { name: 'renameat2', category: 'file', syscall: 'renameat2', params: [p('olddirfd', 'fd'), rel('oldpath', 'olddirfd'), p('newdirfd', 'fd'), rel('newpath', 'newdirfd'), p('flags', 'flags', 'rename_flags')] },
  { name: 'mkdir', category: 'file', syscall: 'mkdir', params: [p('path', 'path'), p('mode', 'mode', 'open_mode')] },
  { name: 'mkdirat', category: 'file', syscall: 'mkdirat', params: [p('dirfd', 'fd'), rel('path', 'dirfd'), p('mode', 'mode', 'open_mode')] },
  { name: 'rmdir', category: 'file', syscall: 'rmdir', params: [p('path', 'path')] },
  { name: 'link', category: 'file', syscall: 'link', params: [p('oldpath', 'path'), p('newpath', 'path')] },
  { name: 'linkat', category: 'file', syscall: 'linkat', params: [p('olddir', 'fd'), rel('oldpath', 'olddir'), p('newdir', 'fd'), rel('newpath', 'newdir'), p('flags', 'flags', 'at_flags')] },
  { name: 'symlink', category: 'file', syscall: 'symlink', params: [p('target', 'str'), p('linkpath', 'path')] },
  { name: 'symlinkat', category: 'file', syscall: 'symlinkat', params: [p('target', 'str'), p('linkdirfd', 'fd'), rel('linkpath', 'linkdirfd')] },
  { name: 'chmod', category: 'file', syscall: 'chmod', params: [p('filename', 'path'), p('mode', 'mode', 'open_mode')] },
  { name: 'fchmod', category: 'file', fd: 'uses', syscall: 'fchmod', params: [p('fd', 'fd'), p('mode', 'mode', 'open_mode')] },
  { name: 'fchmodat', category: 'file', syscall: 'fchmodat', params: [p('dirfd', 'fd'), rel('filename', 'dirfd'), p('mode', 'mode', 'open_mode')] },
  { name: 'memfd_create', category: 'memory', fd: 'creates', syscall: 'memfd_create', params: [p('fd', 'fd'), p('name', 'str'), p('flags', 'flags', 'memfd_flags')] },
  // network
  { name: 'socket', category: 'net', fd: 'creates', syscall: 'socket', params: [p('fd', 'fd'), p('domain', 'enum', 'socket_family'), p('type', 'flags', 'socket_type'), p('proto', 'int')] },
  { name: 'connect', category: 'net', fd: 'uses', syscall: 'connect', params: [p('fd', 'fd'), p('addr', 'sockaddr'), p('local', 'sockaddr')] },
  { name: 'accept', category: 'net', fd: 'creates', syscall: 'accept', params: [p('fd', 'fd'), p('listenfd', 'fd'), p('addr', 'sockaddr'), p('local', 'sockaddr')] },
  { name: 'accept4', category: 'net', fd: 'creates', syscall: 'accept4', params: [p('fd', 'fd'), p('listenfd', 'fd'), p('addr', 'sockaddr'), p('local', 'sockaddr'), p('flags', 'flags', 'accept_flags')] },
  { name: 'bind', category: 'net', fd: 'uses', syscall: 'bind', params: [p('fd', 'fd'), p('addr', 'sockaddr')] },
  { name: 'listen', category: 'net', fd: 'uses', syscall: 'listen', params: [p('fd', 'fd'), p('backlog', 'int')] },
  { name: 'sendto', category: 'net', fd: 'uses', syscall: 'sendto', params: [p('fd', 'fd'), p('size', 'uint'), p('addr', 'sockaddr'), p('data', 'bytes')] },
  { name: 'sendmsg', category: 'net', fd: 'uses', syscall: 'sendmsg', params: [p('fd', 'fd'), p('size', 'uint'), p('addr', 'sockaddr'), p('data', 'bytes')] },
  { name: 'recvfrom', category: 'net', fd: 'uses', syscall: 'recvfrom', params: [p('fd', 'fd'), p('size', 'uint'), p('addr', 'sockaddr'), p('data', 'bytes')] },
  { name: 'recvmsg', category: 'net', fd: 'uses', syscall: 'recvmsg', params: [p('fd', 'fd'), p('size', 'uint'), p('addr', 'sockaddr'), p('data', 'bytes')] },
  // security-relevant process operations
  { name: 'ptrace', category: 'security', syscall: 'ptrace', params: [p('request', 'enum', 'ptrace_request'), p('pid', 'pid'), p('addr', 'uint'), p('data', 'uint')] },
  { name: 'setuid', category: 'security', syscall: 'setuid', params: [p('uid', 'uid')] },
  { name: 'setgid', category: 'security', syscall: 'setgid', params: [p('gid', 'gid')] },
  { name: 'setresuid', category: 'security', syscall: 'setresuid', params: [p('ruid', 'uid'), p('euid', 'uid'), p('suid', 'uid')] },
  { name: 'setresgid', category: 'security', syscall: 'setresgid', params: [p('rgid', 'gid'), p('egid', 'gid'), p('sgid', 'gid')] },
  { name: 'mmap', category: 'memory', syscall: 'mmap', params: [p('addr', 'uint'), p('length', 'uint'), p('prot', 'flags', 'prot'), p('flags', 'flags', 'mmap_flags'), p('fd', 'fd'), p('offset', 'uint')] },
  { name: 'mprotect', category: 'memory', syscall: 'mprotect', params: [p('addr', 'uint'), p('length', 'uint'), p('prot', 'flags', 'prot')] },
  { name: 'init_module', category: 'system', syscall: 'init_module', params: [p('length', 'uint'), p('uargs', 'str')] },
  { name: 'finit_module', category: 'system', fd: 'uses', syscall: 'finit_module', params: [p('fd', 'fd'), p('uargs', 'str'), p('flags', 'flags', 'module_flags')] },
  { name: 'bpf', category: 'system', syscall: 'bpf', params: [p('cmd', 'enum', 'bpf_cmd')] },
  { name: 'mount', category: 'system', syscall: 'mount', params: [p('dev', 'str'), p('dir', 'path'), p('type', 'str'), p('flags', 'flags', 'mount_flags')] },
  { name: 'umount2', category: 'system', syscall: 'umount2', params: [p('name', 'path'), p('flags', 'flags', 'umount_flags')] },
  { name: 'setns', category: 'system', fd: 'uses', syscall: 'setns', params: [p('fd', 'fd'), p('nstype', 'flags', 'unshare_flags')] },
  { name: 'unshare', category: 'system', syscall: 'unshare', params: [p('flags', 'flags', 'unshare_flags')] },
  { name: 'chroot', category: 'system', syscall: 'chroot', params: [p('path', 'path')] },
  { name: 'kill', category: 'ipc', syscall: 'kill', params: [p('pid', 'pid'), p('sig', 'enum', 'signal')] },
  { name: 'process_vm_writev', category: 'security', syscall: 'process_vm_writev', params: [p('pid', 'pid'), p('liovcnt', 'uint'), p('riovcnt', 'uint'), p('flags', 'uint')] },
];

export const EVENTS: readonly EventDef[] = ROWS.map((row, i) => ({ ...row, id: i + 1 }));

const BY_NAME = new Map(EVENTS.map((e) => [e.name, e]));

export function eventById(id: number): EventDef | undefined {
  return EVENTS[id - 1];
}

export function eventByName(name: string): EventDef | undefined {
  return BY_NAME.get(name);
}

/**
 * Falco's names for events that are not syscalls but may appear in `evt.type` checks
 * (libs event table: scheduler, container, plugin and meta events).
 */
const NON_SYSCALL_EVENT_NAMES = [
  'procexit', 'switch', 'signaldeliver', 'container', 'pluginevent', 'asyncevent', 'notification',
  'sysdigevent', 'drop', 'infra', 'cpu_hotplug', 'procinfo', 'page_fault', 'tracer', 'k8s', 'mesos',
  'scapevent', 'meta', 'syscall', 'userfaultfd',
] as const;

/** Every name `evt.type` may be compared with: captured events, every syscall, and Falco's meta events. */
export const KNOWN_EVENT_NAMES: ReadonlySet<string> = new Set([
  ...EVENTS.map((e) => e.name),
  ...Object.keys(X86_64_SYSCALLS),
  ...NON_SYSCALL_EVENT_NAMES,
]);
