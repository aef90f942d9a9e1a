/**
 * VigilEvent → Tracee events: what the signature engine sees of a kernel event (the other direction of
 * tracee-json.ts). One VigilEvent gives the Tracee syscall event of the same name and, where tracee-ebpf
 * would also report one, the derived events the signatures select. Argument values are written as
 * tracee-ebpf writes them with `option:parse-arguments` (flag names, `PTRACE_*`, `0x…` pointers).
 *
 * Mapping (vigil event → Tracee events; "ok" = the syscall succeeded):
 *   execve, execveat     → execve/execveat {pathname, argv, envp (when the environment was captured)}
 *                          ok: sched_process_exec {cmdpath, pathname, argv, env, dev, inode, invoked_from_kernel, ctime}
 *                              and security_bprm_check {pathname, dev, inode}; a memfd program's path is `memfd:<name>`
 *   open, openat, openat2, creat
 *                        → the syscall event {dirfd, pathname, flags ("O_WRONLY|O_CREAT"), mode}
 *                          ok: security_file_open {pathname, flags, dev, inode, ctime, syscall (its name)};
 *                          pathname is the path as the event carries it (tracee resolves it in the kernel)
 *   connect              → connect {sockfd, addr}; unless it failed before the LSM hook (EBADF, ENOTSOCK,
 *                          EFAULT, EINVAL, EAFNOSUPPORT): security_socket_connect {sockfd, remote_addr}
 *   ptrace               → ptrace {request ("PTRACE_TRACEME"), pid, addr, data}
 *   init_module          → init_module {module_image, len, param_values}
 *   finit_module         → finit_module {fd, param_values, flags}; ok: security_kernel_read_file
 *                          {pathname (from options.resolveFd), dev, inode, type "kernel-module", ctime}
 *   mount                → mount {source, target, filesystemtype, mountflags, data}; ok: security_sb_mount {dev_name, path, type, flags}
 *   process_vm_writev    → process_vm_writev {pid, local_iov, liovcnt, remote_iov, riovcnt, flags}
 *   dup, dup2, dup3      → dup {oldfd} / dup2 {oldfd, newfd} / dup3 {oldfd, newfd, flags}; returnValue = the new fd
 *   close                → close {fd}
 *   procexit             → sched_process_exit {exit_code, process_group_exit (the main thread exited)}
 *   mmap, mprotect       → the syscall event {addr, len/length, prot, …}; mem_prot_alert {alert} when derivable:
 *                          an ok mmap with PROT_WRITE|PROT_EXEC, and an ok mprotect of a region this view saw
 *                          mapped or protected before (per process, by start address): W+E→E, E→W+E, or
 *                          non-executable → executable
 *   anything else        → the event of the same name with vigil's argument names and raw values
 * Not derivable from vigil events: magic_write (needs the written bytes), so TRC-9 fires on Tracee JSON input only.
 * Sockaddrs become string maps (`sa_family`, `sin_addr`, `sin_port`, `sin6_*`, `sun_path`), bytes become base64.
 * Process fields: processId/threadId/parentProcessId are the namespace ids, host* the host ids; containerId is
 * the 64-hex id found in the cgroup path ('' on the host); hostName is options.hostName on the host and the
 * 12-character container id inside a container (Docker's default UTS name).
 */
import { hostname } from 'node:os';
import type { ParamKind } from './event-table.js';
import { EVENTS, eventByName } from './event-table.js';
import type { ArgValue, SockAddr, VigilEvent } from './event.js';
import { renderFlags } from './flags.js';
import { X86_64_SYSCALLS } from './syscalls.js';
import type { TraceeArgument, TraceeEvent } from './tracee-event.js';

/** Tracee v0.7's ids for its non-syscall events (syscall events use the x86_64 syscall number). */
const TRACEE_EVENT_IDS: Record<string, number> = {
  sched_process_exec: 1003,
  sched_process_exit: 1004,
  mem_prot_alert: 1010,
  magic_write: 1013,
  security_bprm_check: 1017,
  security_file_open: 1018,
  security_socket_connect: 1022,
  security_sb_mount: 1025,
  security_kernel_read_file: 1028,
};

/**
 * The Tracee events toTracee can give for a vigil event besides the one of its own name: the table of
 * the mapping above, read by vigilEventsFor (which kernel events a signature needs). Keep it in step
 * with toTracee; test/events/tracee-view.test.ts checks every event against it.
 */
const DERIVED_EVENTS: Readonly<Record<string, readonly string[]>> = {
  execve: ['sched_process_exec', 'security_bprm_check'],
  execveat: ['sched_process_exec', 'security_bprm_check'],
  open: ['security_file_open'],
  openat: ['security_file_open'],
  openat2: ['security_file_open'],
  creat: ['security_file_open'],
  connect: ['security_socket_connect'],
  finit_module: ['security_kernel_read_file'],
  mount: ['security_sb_mount'],
  mmap: ['mem_prot_alert'],
  mprotect: ['mem_prot_alert'],
};

/** Vigil events whose own Tracee event has another name. */
const TRACEE_NAME: Readonly<Record<string, string>> = { procexit: 'sched_process_exit' };

/** Every Tracee event toTracee can give for the vigil event `name` (its own first). */
export function traceeEventsOf(name: string): readonly string[] {
  return [TRACEE_NAME[name] ?? name, ...(DERIVED_EVENTS[name] ?? [])];
}

let producers: Map<string, string[]> | undefined;

/**
 * The vigil events whose Tracee view can give the Tracee event `traceeName`: [] for Tracee events
 * vigil knows but cannot derive (magic_write) and for syscalls the sensor does not capture,
 * undefined for a name that is neither.
 */
export function vigilEventsFor(traceeName: string): readonly string[] | undefined {
  if (!producers) {
    producers = new Map();
    for (const e of EVENTS) {
      for (const t of traceeEventsOf(e.name)) {
        const list = producers.get(t);
        if (list) list.push(e.name);
        else producers.set(t, [e.name]);
      }
    }
  }
  const found = producers.get(traceeName);
  if (found) return found;
  return traceeName in TRACEE_EVENT_IDS || traceeName in X86_64_SYSCALLS ? [] : undefined;
}

const ERRNO = { EBADF: 9, EFAULT: 14, EINVAL: 22, ENOTSOCK: 88, EAFNOSUPPORT: 97 };
const CONNECT_FAILS_BEFORE_HOOK = new Set([ERRNO.EBADF, ERRNO.EFAULT, ERRNO.EINVAL, ERRNO.ENOTSOCK, ERRNO.EAFNOSUPPORT].map((e) => -e));

const PROT_WRITE = 2;
const PROT_EXEC = 4;
const WE = PROT_WRITE | PROT_EXEC;
const O_WRONLY_CREAT_TRUNC = 0o1 | 0o100 | 0o1000;
/** Regions remembered per process for mem_prot_alert; a process that maps more starts over. */
const MAX_REGIONS_PER_PROCESS = 4096;

const CONTAINER_ID = /([0-9a-f]{64})/g;

/** Memo of a pure per-event computation over values that repeat (cgroup paths, flag words); bounded by clearing. */
function memo<K, V>(compute: (key: K) => V, max = 4096): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      if (cache.size >= max) cache.clear();
      cache.set(key, (v = compute(key)));
    }
    return v;
  };
}

/** The container id in a cgroup path (`/docker/<id>`, `…/docker-<id>.scope`, `…/cri-containerd-<id>.scope`). */
export const containerIdOf = memo((cgroup: string): string => {
  const ids = cgroup.match(CONTAINER_ID);
  return ids === null ? '' : ids[ids.length - 1]!;
});

const ACCESS_MODES = new Set(['O_RDONLY', 'O_WRONLY', 'O_RDWR']);

/** Bit position of each open-flag name, to print them in Tracee's (ascending bit) order. */
const OPEN_FLAG_BIT = new Map<string, number>();
for (let bit = 31; bit >= 0; bit--) {
  for (const name of renderFlags('open_flags', 2 ** bit).split('|')) if (!ACCESS_MODES.has(name)) OPEN_FLAG_BIT.set(name, bit);
}

/** Tracee's open-flag text: the access mode, then the other flags by bit (`O_WRONLY|O_CREAT|O_TRUNC`). */
export const traceeOpenFlags = memo((flags: number): string => {
  const names = renderFlags('open_flags', flags).split('|');
  const access = names.filter((n) => ACCESS_MODES.has(n));
  const rest = names.filter((n) => !ACCESS_MODES.has(n)).sort((a, b) => (OPEN_FLAG_BIT.get(a) ?? 99) - (OPEN_FLAG_BIT.get(b) ?? 99));
  return [...access, ...rest].join('|');
});

export function traceeSockaddr(addr: SockAddr): Record<string, string> {
  const family = addr.family === 0 ? 'AF_UNSPEC' : renderFlags('socket_family', addr.family);
  switch (addr.family) {
    case 2: return { sa_family: family, sin_port: String(addr.port ?? 0), sin_addr: addr.addr ?? '' };
    case 10: return { sa_family: family, sin6_port: String(addr.port ?? 0), sin6_flowinfo: '0', sin6_addr: addr.addr ?? '', sin6_scopeid: '0' };
    case 1: return { sa_family: family, sun_path: addr.path ?? '' };
    default: return { sa_family: family };
  }
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** A memfd program's path as tracee reports it: `/memfd:x (deleted)` → `memfd:x`. */
function execPath(path: string): string {
  const memfd = /^\/(memfd:.*?)(?: \(deleted\))?$/.exec(path);
  return memfd ? memfd[1]! : path;
}

function num(v: ArgValue | undefined): number {
  return typeof v === 'number' ? v : 0;
}

function str(v: ArgValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function list(v: ArgValue | undefined): string[] {
  return Array.isArray(v) ? [...(v as readonly string[])] : [];
}

function isSockAddr(v: ArgValue | undefined): v is SockAddr {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

const GENERIC_TYPES: Partial<Record<ParamKind, string>> = {
  fd: 'int', errno: 'int', int: 'long', uint: 'unsigned long', pid: 'pid_t', uid: 'uid_t', gid: 'gid_t', mode: 'mode_t',
  flags: 'unsigned long', enum: 'long', path: 'const char*', relpath: 'const char*', str: 'const char*', strlist: 'const char**',
  bytes: 'bytes', sockaddr: 'struct sockaddr*',
};

function genericValue(v: ArgValue): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (isSockAddr(v)) return traceeSockaddr(v);
  return v;
}

export interface TraceeViewOptions {
  /** The host's name for host events; os.hostname() by default. */
  hostName?: string;
  /** The path of an fd of the event's process, when known (finit_module's module file). */
  resolveFd?: (event: VigilEvent, fd: number) => string | undefined;
}

type A = TraceeArgument;
const arg = (name: string, type: string, value: unknown): A => ({ name, type, value });

/** Converts VigilEvents; keeps the little memory-protection state mem_prot_alert needs. */
export class TraceeView {
  private readonly hostName: string;
  private readonly resolveFd: (event: VigilEvent, fd: number) => string | undefined;
  private readonly regions = new Map<number, Map<number, number>>();

  constructor(options: TraceeViewOptions = {}) {
    this.hostName = options.hostName ?? hostname();
    this.resolveFd = options.resolveFd ?? (() => undefined);
  }

  private make(e: VigilEvent, name: string, args: A[], containerId: string): TraceeEvent {
    const id = TRACEE_EVENT_IDS[name] ?? X86_64_SYSCALLS[name] ?? 0;
    return {
      timestamp: Number(e.ts), processorId: e.cpu, processId: e.vpid, threadId: e.vtid, parentProcessId: e.vppid,
      hostProcessId: e.pid, hostThreadId: e.tid, hostParentProcessId: e.ppid, userId: e.uid, mountNamespace: e.mntns,
      pidNamespace: e.pidns, processName: e.comm, hostName: containerId === '' ? this.hostName : containerId.slice(0, 12),
      containerId, eventId: String(id), eventName: name, argsNum: args.length, returnValue: e.ret, stackAddresses: null, args,
    };
  }

  /** The Tracee events one VigilEvent stands for (the syscall event first, then derived events). */
  toTracee(e: VigilEvent): TraceeEvent[] {
    const cid = containerIdOf(e.cgroup);
    const out: TraceeEvent[] = [];
    const a = e.args;
    const ok = e.ret >= 0;
    switch (e.name) {
      case 'execve':
      case 'execveat': {
        const argv = [str(a.exe), ...list(a.args)];
        const syscallArgs = [arg('pathname', 'const char*', str(a.filename)), arg('argv', 'const char*const*', argv)];
        if (a.env !== undefined) syscallArgs.push(arg('envp', 'const char*const*', list(a.env)));
        if (e.name === 'execveat') syscallArgs.unshift(arg('dirfd', 'int', num(a.dirfd)));
        this.emit(out, e, cid, e.name, syscallArgs);
        if (e.ret === 0) {
          const path = execPath(str(a.trusted_exepath) || str(a.filename));
          this.emit(out, e, cid, 'sched_process_exec', [
            arg('cmdpath', 'const char*', str(a.filename)), arg('pathname', 'const char*', path), arg('argv', 'const char**', argv),
            arg('env', 'const char**', list(a.env)), arg('dev', 'dev_t', 0), arg('inode', 'unsigned long', num(a.exe_ino)),
            arg('invoked_from_kernel', 'int', 0), arg('ctime', 'unsigned long', num(a.exe_ino_ctime)),
          ]);
          this.emit(out, e, cid, 'security_bprm_check', [arg('pathname', 'const char*', path), arg('dev', 'dev_t', 0), arg('inode', 'unsigned long', num(a.exe_ino))]);
        }
        break;
      }
      case 'open':
      case 'openat':
      case 'openat2':
      case 'creat': {
        const flags = traceeOpenFlags(e.name === 'creat' ? O_WRONLY_CREAT_TRUNC : num(a.flags));
        const path = str(a.name);
        const syscallArgs = [arg('pathname', 'const char*', path), arg('flags', 'string', flags), arg('mode', 'mode_t', num(a.mode))];
        if (a.dirfd !== undefined) syscallArgs.unshift(arg('dirfd', 'int', num(a.dirfd)));
        this.emit(out, e, cid, e.name, syscallArgs);
        if (ok) {
          this.emit(out, e, cid, 'security_file_open', [
            arg('pathname', 'const char*', path), arg('flags', 'string', flags), arg('dev', 'dev_t', num(a.dev)),
            arg('inode', 'unsigned long', num(a.ino)), arg('ctime', 'unsigned long', 0), arg('syscall', 'string', e.name),
          ]);
        }
        break;
      }
      case 'connect': {
        const remote = isSockAddr(a.addr) ? traceeSockaddr(a.addr) : { sa_family: 'AF_UNSPEC' };
        this.emit(out, e, cid, 'connect', [arg('sockfd', 'int', num(a.fd)), arg('addr', 'struct sockaddr*', remote)]);
        if (isSockAddr(a.addr) && !CONNECT_FAILS_BEFORE_HOOK.has(e.ret)) {
          this.emit(out, e, cid, 'security_socket_connect', [arg('sockfd', 'int', num(a.fd)), arg('remote_addr', 'struct sockaddr*', remote)]);
        }
        break;
      }
      case 'ptrace':
        this.emit(out, e, cid, 'ptrace', [
          arg('request', 'string', renderFlags('ptrace_request', num(a.request))), arg('pid', 'pid_t', num(a.pid)),
          arg('addr', 'void*', hex(num(a.addr))), arg('data', 'void*', hex(num(a.data))),
        ]);
        break;
      case 'init_module':
        this.emit(out, e, cid, 'init_module', [arg('module_image', 'void*', '0x0'), arg('len', 'unsigned long', num(a.length)), arg('param_values', 'const char*', str(a.uargs))]);
        break;
      case 'finit_module':
        this.emit(out, e, cid, 'finit_module', [arg('fd', 'int', num(a.fd)), arg('param_values', 'const char*', str(a.uargs)), arg('flags', 'int', num(a.flags))]);
        if (ok) {
          this.emit(out, e, cid, 'security_kernel_read_file', [
            arg('pathname', 'const char*', this.resolveFd(e, num(a.fd)) ?? ''), arg('dev', 'dev_t', 0), arg('inode', 'unsigned long', 0),
            arg('type', 'string', 'kernel-module'), arg('ctime', 'unsigned long', 0),
          ]);
        }
        break;
      case 'mount':
        this.emit(out, e, cid, 'mount', [
          arg('source', 'char*', str(a.dev)), arg('target', 'char*', str(a.dir)), arg('filesystemtype', 'char*', str(a.type)),
          arg('mountflags', 'unsigned long', num(a.flags)), arg('data', 'const void*', '0x0'),
        ]);
        if (ok) {
          this.emit(out, e, cid, 'security_sb_mount', [
            arg('dev_name', 'const char*', str(a.dev)), arg('path', 'const char*', str(a.dir)), arg('type', 'const char*', str(a.type)),
            arg('flags', 'unsigned long', num(a.flags)),
          ]);
        }
        break;
      case 'process_vm_writev':
        this.emit(out, e, cid, 'process_vm_writev', [
          arg('pid', 'pid_t', num(a.pid)), arg('local_iov', 'const struct iovec*', '0x0'), arg('liovcnt', 'unsigned long', num(a.liovcnt)),
          arg('remote_iov', 'const struct iovec*', '0x0'), arg('riovcnt', 'unsigned long', num(a.riovcnt)), arg('flags', 'unsigned long', num(a.flags)),
        ]);
        break;
      case 'dup':
        this.emit(out, e, cid, 'dup', [arg('oldfd', 'int', num(a.oldfd))]);
        break;
      case 'dup2':
        this.emit(out, e, cid, 'dup2', [arg('oldfd', 'int', num(a.oldfd)), arg('newfd', 'int', num(a.newfd))]);
        break;
      case 'dup3':
        this.emit(out, e, cid, 'dup3', [arg('oldfd', 'int', num(a.oldfd)), arg('newfd', 'int', num(a.newfd)), arg('flags', 'int', num(a.flags))]);
        break;
      case 'close':
        this.emit(out, e, cid, 'close', [arg('fd', 'int', num(a.fd))]);
        break;
      case 'procexit':
        if (e.tid === e.pid) this.regions.delete(e.pid);
        this.emit(out, e, cid, 'sched_process_exit', [arg('exit_code', 'long', num(a.status)), arg('process_group_exit', 'bool', e.tid === e.pid)]);
        break;
      case 'mmap':
        this.emit(out, e, cid, 'mmap', [
          arg('addr', 'void*', hex(num(a.addr))), arg('length', 'size_t', num(a.length)), arg('prot', 'int', num(a.prot)),
          arg('flags', 'int', num(a.flags)), arg('fd', 'int', num(a.fd)), arg('off', 'off_t', num(a.offset)),
        ]);
        // mmap returns the mapped address, which is the region's key for later mprotect calls.
        if (ok) this.protect(e, e.ret, num(a.prot), true, out, cid);
        break;
      case 'mprotect':
        this.emit(out, e, cid, 'mprotect', [arg('addr', 'void*', hex(num(a.addr))), arg('len', 'size_t', num(a.length)), arg('prot', 'int', num(a.prot))]);
        if (ok) this.protect(e, num(a.addr), num(a.prot), false, out, cid);
        break;
      default:
        this.emit(out, e, cid, e.name, this.genericArgs(e));
    }
    return out;
  }

  private emit(out: TraceeEvent[], e: VigilEvent, cid: string, name: string, args: A[]): void {
    out.push(this.make(e, name, args, cid));
  }

  private protect(e: VigilEvent, addr: number, prot: number, mapped: boolean, out: TraceeEvent[], cid: string): void {
    let regions = this.regions.get(e.pid);
    if (regions === undefined) this.regions.set(e.pid, (regions = new Map()));
    const before = regions.get(addr);
    if (regions.size >= MAX_REGIONS_PER_PROCESS) regions.clear();
    regions.set(addr, prot);
    let alert: string | undefined;
    if (mapped) {
      if ((prot & WE) === WE) alert = 'Mmaped region with W+E permissions!';
    } else if (before !== undefined) {
      if ((before & WE) === WE && (prot & WE) === PROT_EXEC) alert = 'Protection changed from W+E to E!';
      else if ((before & WE) === PROT_EXEC && (prot & WE) === WE) alert = 'Protection changed from E to W+E!';
      else if ((before & PROT_EXEC) === 0 && (prot & PROT_EXEC) !== 0) alert = 'Protection changed to Executable!';
    }
    if (alert !== undefined) this.emit(out, e, cid, 'mem_prot_alert', [arg('alert', 'u32', alert)]);
  }

  private genericArgs(e: VigilEvent): A[] {
    const def = eventByName(e.name);
    if (def === undefined) return Object.entries(e.args).map(([name, v]) => arg(name, 'unknown', genericValue(v)));
    return def.params.filter((p) => e.args[p.name] !== undefined).map((p) => arg(p.name, GENERIC_TYPES[p.kind] ?? 'unknown', genericValue(e.args[p.name]!)));
  }
}
