import type { SeedThread } from './seed.js';

/**
 * The little process knowledge the scap codec needs on its own: a libs event header names only a
 * tid, while a VigilEvent carries pid, ppid, comm, uid, cgroup …, and a libs clone/execve exit
 * carries the caller's exe, args and cwd. This is not vigil's state table (src/state owns
 * ancestry, fds and containers); it only remembers what the codec must copy between events.
 */

/** The seed thread's fields the codec copies between events, plus what it remembers of their bytes. */
export interface CodecThread extends Pick<SeedThread, 'tid' | 'pid' | 'ptid' | 'vtid' | 'vpid' | 'vpgid' | 'comm' | 'exe' | 'args' | 'env' | 'cwd' | 'fdlimit' | 'uid' | 'gid' | 'loginuid' | 'tty' | 'cgroups' | 'cgroup'> {
  /**
   * The param bytes args, env and cgroups were last decoded from (copies). Every clone exit
   * repeats the caller's args and cgroups: when the bytes are unchanged the arrays are kept.
   */
  raw?: { args?: Uint8Array; env?: Uint8Array; cgroups?: Uint8Array };
}

export function unknownThread(tid: number): CodecThread {
  return {
    tid, pid: tid, ptid: 0, vtid: tid, vpid: tid, vpgid: 0, comm: '<NA>', exe: '', args: [], env: [], cwd: '',
    fdlimit: 0, uid: 0, gid: 0, loginuid: 0xffffffff, tty: 0, cgroups: [], cgroup: '',
  };
}

export class ThreadTracker {
  private readonly threads = new Map<number, CodecThread>();
  /** Exited tid → the thread its children were handed to; followed lazily so exit is O(1). */
  private readonly reapers = new Map<number, number>();

  seed(t: SeedThread): void {
    this.reapers.delete(t.tid);
    this.threads.set(t.tid, {
      tid: t.tid, pid: t.pid, ptid: t.ptid, vtid: t.vtid < 0 ? t.tid : t.vtid, vpid: t.vpid < 0 ? t.pid : t.vpid,
      vpgid: t.vpgid, comm: t.comm, exe: t.exe, args: t.args, env: t.env, cwd: t.cwd, fdlimit: t.fdlimit,
      uid: t.uid, gid: t.gid, loginuid: t.loginuid, tty: t.tty, cgroups: t.cgroups, cgroup: t.cgroup,
    });
  }

  get(tid: number): CodecThread | undefined {
    const t = this.threads.get(tid);
    if (t) this.reparent(t);
    return t;
  }

  /** The thread's process id (the tid itself when unknown), without the reparenting walk `get` does. */
  pidOf(tid: number): number {
    return this.threads.get(tid)?.pid ?? tid;
  }

  private reparent(t: CodecThread): void {
    for (let hops = 0; this.reapers.has(t.ptid) && hops < 64; hops++) t.ptid = this.reapers.get(t.ptid)!;
  }

  /** The thread, created as unknown (`<NA>` comm) when the capture never introduced it. */
  thread(tid: number): CodecThread {
    let t = this.threads.get(tid);
    if (!t) {
      t = unknownThread(tid);
      this.set(t);
    }
    this.reparent(t);
    return t;
  }

  set(t: CodecThread): void {
    this.reapers.delete(t.tid);
    this.threads.set(t.tid, t);
  }

  /** The parent's process id: the tgid of the thread named by ptid (the ptid itself when unknown). */
  ppidOf(t: CodecThread): number {
    this.reparent(t);
    return this.threads.get(t.ptid)?.pid ?? t.ptid;
  }

  /** A child created by clone/fork in `parent`: a copy of the caller until its own events say more. */
  spawn(parent: CodecThread, childTid: number, childPid: number, ptid: number): CodecThread {
    const child: CodecThread = { ...parent, tid: childTid, pid: childPid, ptid, vtid: childTid, vpid: childPid };
    this.set(child);
    return child;
  }

  /** The thread exited: its children are reparented to `reaper` (libs' reaper_tid, else init). */
  exit(tid: number, reaper: number): void {
    this.threads.delete(tid);
    this.reapers.set(tid, reaper > 0 ? reaper : 1);
  }
}
