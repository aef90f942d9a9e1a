import { LRUCache } from 'lru-cache';
import type { VigilEvent, ArgValue } from '../events/event.js';
import { CLONE_FILES, CLONE_NEWPID, CLONE_PARENT, CLONE_THREAD } from '../events/flags.js';
import { FdTable } from './fd-table.js';
import { resolvePath } from './paths.js';
import { ancestorsOf } from './ancestry.js';
import type { ThreadInfo } from './types.js';

/**
 * The thread table: every known thread by host tid, with what the proc.* and thread.* fields
 * need. Life-cycle events keep it current (clone family, execve/execveat, procexit); any other
 * event refreshes the header facts (comm, ids, uid) of its thread and synthesises unknown threads.
 *
 * Parentage follows the kernel: a thread's parent is the process `ptid` (looked up through its
 * main thread, tid = pid); when a process exits its children move to the reaper.
 */

export interface ProcessTableOptions {
  /** Most threads kept; the least recently used are evicted beyond it. */
  maxThreads?: number;
  /** Container id for a cgroup path (containers.ts); threads get it when created or exec'd. */
  containerIdOf?: (cgroup: string) => string;
}

const UNKNOWN = '<NA>';

export class ProcessTable {
  private readonly threads: LRUCache<number, ThreadInfo>;
  private readonly containerIdOf: (cgroup: string) => string;
  /** Main threads that exited while other threads of their process still run. */
  private readonly exitedLeaders = new Set<number>();
  /** Indexes that keep exits O(children): tids by parent process, and tids by process. */
  private readonly childrenOf = new Map<number, Set<number>>();
  private readonly threadsOf = new Map<number, Set<number>>();
  private evictionCount = 0;
  /** Thread lookup for the ancestry walks (src/state/ancestry.ts). */
  readonly lookup = (tid: number): ThreadInfo | undefined => this.threads.get(tid);

  constructor(options: ProcessTableOptions = {}) {
    this.containerIdOf = options.containerIdOf ?? (() => '');
    this.threads = new LRUCache<number, ThreadInfo>({
      max: options.maxThreads ?? 65536,
      dispose: (value, _key, reason) => {
        this.unindex(value);
        if (reason === 'evict') this.evictionCount++;
      },
    });
  }

  get size(): number {
    return this.threads.size;
  }

  get evictions(): number {
    return this.evictionCount;
  }

  get(tid: number): ThreadInfo | undefined {
    return this.threads.get(tid);
  }

  /** Adds or replaces a thread (seeding from /proc, tests). */
  add(thread: ThreadInfo): void {
    this.store(thread);
  }

  values(): IterableIterator<ThreadInfo> {
    return this.threads.values();
  }

  /** Applies a life-cycle event and returns the event's thread (synthesised when unknown). */
  apply(evt: VigilEvent): ThreadInfo {
    switch (evt.name) {
      case 'clone':
      case 'clone3':
      case 'fork':
      case 'vfork':
        return this.applyClone(evt);
      case 'execve':
      case 'execveat':
        return this.applyExec(evt);
      default:
        return this.threadOf(evt);
    }
  }

  /** procexit: forget the thread; a process's children go to the reaper. Call after evaluation. */
  exit(evt: VigilEvent): void {
    const tid = evt.tid;
    const pid = evt.pid;
    if (tid !== pid) {
      this.threads.delete(tid);
      if (this.exitedLeaders.has(pid) && !this.hasOtherThreads(pid, tid)) {
        // The last thread of a process whose main thread went first: only now do its children move.
        this.reparentChildren(pid, this.reaperFor(evt, this.threads.peek(pid)));
        this.exitedLeaders.delete(pid);
        this.threads.delete(pid);
      }
      return;
    }
    this.reparentChildren(pid, this.reaperFor(evt, this.threads.get(tid)));
    if (this.hasOtherThreads(pid, tid)) this.exitedLeaders.add(pid);
    else this.threads.delete(tid);
  }

  /** The children of process `pid` now have `reaper` as parent (no move when it is pid itself: a thread of it lives on). */
  private reparentChildren(pid: number, reaper: number): void {
    const children = this.childrenOf.get(pid);
    if (!children || reaper === pid) return;
    this.childrenOf.delete(pid);
    for (const childTid of children) {
      const child = this.threads.peek(childTid);
      if (!child || child.ptid !== pid) continue;
      child.ptid = reaper;
      indexAdd(this.childrenOf, reaper, childTid);
    }
  }

  /** The event's thread, refreshed from the event header, or synthesised when unknown. */
  threadOf(evt: VigilEvent): ThreadInfo {
    let thread = this.threads.get(evt.tid);
    if (!thread) {
      thread = this.synthesize(evt);
      this.store(thread);
    } else {
      refreshFromHeader(thread, evt);
    }
    return thread;
  }

  private applyClone(evt: VigilEvent): ThreadInfo {
    if (evt.ret < 0) return this.threadOf(evt);
    const flags = num(evt.args.flags, 0);
    if (evt.ret === 0) {
      // The child's own return: it may be the first we hear of it.
      const known = this.threads.get(evt.tid);
      if (known) return this.threadOf(evt);
      const creator = (flags & CLONE_THREAD ? this.threads.get(evt.pid) : undefined) ?? this.threads.get(evt.ppid);
      if (!creator) return this.threadOf(evt);
      const child = this.spawn(creator, evt.tid, evt.pid, flags, evt.ts);
      child.ptid = evt.ppid;
      refreshFromHeader(child, evt);
      this.store(child);
      return child;
    }
    const parent = this.threadOf(evt);
    const childTid = num(evt.args.child_tid, evt.ret);
    const isThread = (flags & CLONE_THREAD) !== 0;
    const childPid = num(evt.args.child_pid, isThread ? parent.pid : childTid);
    if (!this.threads.has(childTid)) this.store(this.spawn(parent, childTid, childPid, flags, evt.ts));
    return parent;
  }

  private spawn(parent: ThreadInfo, tid: number, pid: number, flags: number, ts: bigint): ThreadInfo {
    const isThread = (flags & CLONE_THREAD) !== 0;
    const sameHostIds = parent.vpid === parent.pid;
    const newPidNs = !isThread && (flags & CLONE_NEWPID) !== 0;
    const fds = isThread || flags & CLONE_FILES ? fdTableOf(parent) : fdTableOf(parent).copy();
    return {
      ...parent,
      tid,
      pid,
      ptid: isThread || flags & CLONE_PARENT ? parent.ptid : parent.pid,
      vtid: newPidNs ? 1 : sameHostIds ? tid : -1,
      vpid: newPidNs ? 1 : isThread ? parent.vpid : sameHostIds ? pid : -1,
      args: parent.args,
      env: parent.env,
      cloneTs: ts,
      fds,
    };
  }

  private applyExec(evt: VigilEvent): ThreadInfo {
    const thread = this.threadOf(evt);
    if (evt.ret !== 0) return thread; // a failed exec leaves the caller's image
    const a = evt.args;
    thread.exe = str(a.exe, thread.exe);
    thread.args = strList(a.args);
    thread.env = strList(a.env);
    thread.cwd = str(a.cwd, thread.cwd);
    thread.comm = str(a.comm, evt.comm || thread.comm);
    // The kernel's path when the sensor has it, else the path given to exec, else argv[0].
    const filename = str(a.filename, '');
    const dirfd = typeof a.dirfd === 'number' ? a.dirfd : undefined;
    const given = filename ? resolvePath(filename, thread, dirfd) : thread.exe.includes('/') ? resolvePath(thread.exe, thread, undefined) : thread.exe;
    thread.exepath = str(a.trusted_exepath, given);
    thread.execFlags = num(a.flags, 0);
    thread.uid = num(a.uid, evt.uid);
    thread.gid = num(a.gid, evt.gid);
    thread.loginuid = num(a.loginuid, evt.loginuid);
    thread.tty = num(a.tty, evt.tty);
    thread.sid = num(a.sid, thread.sid);
    thread.vpgid = num(a.pgid, thread.vpgid);
    thread.capInheritable = big(a.cap_inheritable, thread.capInheritable);
    thread.capPermitted = big(a.cap_permitted, thread.capPermitted);
    thread.capEffective = big(a.cap_effective, thread.capEffective);
    thread.exeIno = num(a.exe_ino, 0);
    thread.exeInoCtime = big(a.exe_ino_ctime, 0n);
    thread.exeInoMtime = big(a.exe_ino_mtime, 0n);
    if (evt.cgroup !== thread.cgroup) {
      thread.cgroup = evt.cgroup;
      thread.containerId = this.containerIdOf(evt.cgroup);
    }
    fdTableOf(thread).closeOnExec();
    return thread;
  }

  private synthesize(evt: VigilEvent): ThreadInfo {
    const main = evt.tid !== evt.pid ? this.threads.get(evt.pid) : undefined;
    if (main) {
      const thread = { ...main, tid: evt.tid, vtid: evt.vtid };
      refreshFromHeader(thread, evt);
      return thread;
    }
    return {
      tid: evt.tid,
      pid: evt.pid,
      ptid: evt.ppid,
      vtid: evt.vtid,
      vpid: evt.vpid,
      sid: 0,
      vpgid: 0,
      comm: evt.comm || UNKNOWN,
      exe: UNKNOWN,
      exepath: UNKNOWN,
      args: [],
      env: [],
      cwd: UNKNOWN,
      tty: evt.tty,
      uid: evt.uid,
      gid: evt.gid,
      loginuid: evt.loginuid,
      capInheritable: 0n,
      capPermitted: 0n,
      capEffective: 0n,
      execFlags: 0,
      exeIno: 0,
      exeInoCtime: 0n,
      exeInoMtime: 0n,
      cloneTs: 0n,
      containerId: this.containerIdOf(evt.cgroup),
      cgroup: evt.cgroup,
      mntns: evt.mntns,
      pidns: evt.pidns,
      fds: new FdTable(),
    };
  }

  private reaperFor(evt: VigilEvent, leader: ThreadInfo | undefined): number {
    const reaper = num(evt.args.reaper_tid, 0);
    if (reaper > 0) return this.threads.get(reaper)?.pid ?? reaper;
    // Without the kernel's answer: the init of the exiting process's pid namespace, else host init.
    if (leader) for (const a of ancestorsOf(this.lookup, leader)) if (a.vpid === 1) return a.pid;
    return 1;
  }

  private hasOtherThreads(pid: number, exceptTid: number): boolean {
    const tids = this.threadsOf.get(pid);
    if (!tids) return false;
    for (const tid of tids) if (tid !== pid && tid !== exceptTid) return true;
    return false;
  }

  private store(thread: ThreadInfo): void {
    this.threads.set(thread.tid, thread);
    indexAdd(this.childrenOf, thread.ptid, thread.tid);
    indexAdd(this.threadsOf, thread.pid, thread.tid);
  }

  private unindex(thread: ThreadInfo): void {
    indexDelete(this.childrenOf, thread.ptid, thread.tid);
    indexDelete(this.threadsOf, thread.pid, thread.tid);
    if (thread.tid === thread.pid) this.exitedLeaders.delete(thread.pid);
  }
}

function indexAdd(index: Map<number, Set<number>>, key: number, tid: number): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(tid);
}

function indexDelete(index: Map<number, Set<number>>, key: number, tid: number): void {
  const set = index.get(key);
  if (set?.delete(tid) && set.size === 0) index.delete(key);
}

/** Header facts change without a life-cycle event (prctl renames, setuid, setsid); the header is current. */
function refreshFromHeader(thread: ThreadInfo, evt: VigilEvent): void {
  if (evt.comm) thread.comm = evt.comm;
  thread.vtid = evt.vtid;
  thread.vpid = evt.vpid;
  thread.uid = evt.uid;
  thread.gid = evt.gid;
  thread.loginuid = evt.loginuid;
  thread.tty = evt.tty;
  thread.pidns = evt.pidns;
  thread.mntns = evt.mntns;
}

/** The thread's fd table as the mutable FdTable the state keeps (converting a foreign view once). */
export function fdTableOf(thread: ThreadInfo): FdTable {
  if (thread.fds instanceof FdTable) return thread.fds;
  const table = new FdTable();
  for (const info of thread.fds.entries()) table.set(info);
  thread.fds = table;
  return table;
}

function num(v: ArgValue | undefined, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

function str(v: ArgValue | undefined, fallback: string): string {
  return typeof v === 'string' && v !== '' ? v : fallback;
}

function strList(v: ArgValue | undefined): string[] {
  return Array.isArray(v) ? [...(v as readonly string[])] : [];
}

function big(v: ArgValue | undefined, fallback: bigint): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  return fallback;
}
