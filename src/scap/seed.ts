import type { ContainerInfo, FdInfo, FdTableView, GroupInfo, ThreadInfo, UserInfo } from '../state/types.js';

/**
 * What a capture's header blocks say about the machine before its first event, as plain data:
 * the process list (→ ThreadInfo), the fd lists (→ FdInfo per process), the user and group lists
 * (→ UserInfo/GroupInfo), interfaces and machine info. libsinsp seeds its tables from the same
 * blocks; the state tables take this through `toThreadInfo` below or field by field.
 */

export interface MachineInfo {
  numCpus: number;
  memoryBytes: number;
  maxEventSize: number;
  hostname: string;
}

export interface InterfaceInfo {
  name: string;
  family: 2 | 10;
  addr: string;
  netmask: string;
}

export interface SeedThread {
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  comm: string;
  /** argv[0]. */
  exe: string;
  exepath: string;
  /** argv[1..]. */
  args: string[];
  env: string[];
  cwd: string;
  fdlimit: number;
  uid: number;
  gid: number;
  loginuid: number;
  vtid: number;
  vpid: number;
  /** `subsystem=path` entries as the capture lists them. */
  cgroups: string[];
  /** The one cgroup path that identifies a container ('' when there is none). */
  cgroup: string;
  root: string;
  tty: number;
  capInheritable: bigint;
  capPermitted: bigint;
  capEffective: bigint;
  /** EXE_WRITABLE | EXE_UPPER_LAYER | EXE_FROM_MEMFD bits (src/events/flags.ts). */
  execFlags: number;
  exeIno: number;
  exeInoCtime: bigint;
  exeInoMtime: bigint;
  pidnsInitStartTs: bigint;
}

export interface SeedFd {
  /** The thread the capture listed the fd under; fds belong to its process (`pid`). */
  tid: number;
  pid: number;
  fd: FdInfo;
}

export interface StateSeed {
  machine?: MachineInfo;
  threads: SeedThread[];
  fds: SeedFd[];
  users: UserInfo[];
  groups: GroupInfo[];
  interfaces: InterfaceInfo[];
  /** Container metadata the capture carries ahead of its first syscall event (libsinsp saves its container table there). */
  containers: ContainerInfo[];
}

export function emptySeed(): StateSeed {
  return { threads: [], fds: [], users: [], groups: [], interfaces: [], containers: [] };
}

/** Picks the cgroup path that names a container: one with a 64-hex id, else cpuset's, else the first. */
export function containerCgroup(cgroups: readonly string[]): string {
  const paths = cgroups.map((entry) => entry.slice(entry.indexOf('=') + 1));
  return paths.find((p) => /[0-9a-f]{64}/.test(p)) ?? paths[cgroups.findIndex((c) => c.startsWith('cpuset='))] ?? paths[0] ?? '';
}

/**
 * The ThreadInfo a seeded thread becomes. `fds` is the process's fd table (the state tables own
 * the table type); container id resolution from `cgroup` stays with the state tables, so
 * containerId is left '' for them to fill.
 */
export function toThreadInfo(t: SeedThread, fds: FdTableView): ThreadInfo {
  return {
    tid: t.tid,
    pid: t.pid,
    ptid: t.ptid,
    vtid: t.vtid,
    vpid: t.vpid,
    sid: t.sid,
    vpgid: t.vpgid,
    comm: t.comm,
    exe: t.exe,
    exepath: t.exepath,
    args: t.args,
    env: t.env,
    cwd: t.cwd,
    tty: t.tty,
    uid: t.uid,
    gid: t.gid,
    loginuid: t.loginuid,
    capInheritable: t.capInheritable,
    capPermitted: t.capPermitted,
    capEffective: t.capEffective,
    execFlags: t.execFlags,
    exeIno: t.exeIno,
    exeInoCtime: t.exeInoCtime,
    exeInoMtime: t.exeInoMtime,
    cloneTs: 0n,
    containerId: '',
    cgroup: t.cgroup,
    mntns: 0,
    pidns: 0,
    fds,
  };
}

/** The seeded fds grouped by process id, in capture order. */
export function fdsByProcess(seed: StateSeed): Map<number, FdInfo[]> {
  const out = new Map<number, FdInfo[]>();
  for (const { pid, fd } of seed.fds) {
    const list = out.get(pid);
    if (list) list.push(fd);
    else out.set(pid, [fd]);
  }
  return out;
}

/** The seed form of a live ThreadInfo (the writer's process snapshot, e.g. from /proc). */
export function fromThreadInfo(t: ThreadInfo): SeedThread {
  const cgroups = t.cgroup ? ['cpuset', 'cpu', 'memory', 'pids'].map((s) => `${s}=${t.cgroup}`) : [];
  return {
    tid: t.tid, pid: t.pid, ptid: t.ptid, sid: t.sid, vpgid: t.vpgid, comm: t.comm, exe: t.exe, exepath: t.exepath,
    args: t.args, env: t.env, cwd: t.cwd, fdlimit: 1024, uid: t.uid, gid: t.gid, loginuid: t.loginuid, vtid: t.vtid,
    vpid: t.vpid, cgroups, cgroup: t.cgroup, root: '/', tty: t.tty, capInheritable: t.capInheritable,
    capPermitted: t.capPermitted, capEffective: t.capEffective, execFlags: t.execFlags, exeIno: t.exeIno,
    exeInoCtime: t.exeInoCtime, exeInoMtime: t.exeInoMtime, pidnsInitStartTs: 0n,
  };
}
