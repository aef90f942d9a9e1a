import type { ArgValue, SockAddr, VigilEvent } from '../events/event.js';
import { eventByName, type EventDef } from '../events/event-table.js';
import { CLONE_THREAD } from '../events/flags.js';
import type { LibsEvent } from './libs-events.js';
import { splitNul, type RawParam, type SockTuple } from './params.js';
import { containerCgroup } from './seed.js';
import type { CodecThread, ThreadTracker } from './threads.js';

/**
 * One libs exit event (with its enter params already joined in) → one VigilEvent, in vigil's
 * exit-only model: the return value becomes `ret`, params take vigil's names and encodings,
 * and the header (pid, ppid, comm, uid, cgroup …) comes from the codec's thread tracker, which
 * this step also keeps current (clone creates, execve rewrites, procexit removes).
 */

export type RawValues = Record<string, RawParam | undefined>;

const CLONE_EVENTS = new Set(['clone', 'clone3', 'fork', 'vfork']);
const EXEC_EVENTS = new Set(['execve', 'execveat']);
const ID_EVENTS = new Set(['setuid', 'setresuid', 'setgid', 'setresgid']);

/** Events that change the codec's thread tracker (trackLifecycle, procexit): every shard needs them. */
export function changesThreads(vigilName: string): boolean {
  return CLONE_EVENTS.has(vigilName) || EXEC_EVENTS.has(vigilName) || ID_EVENTS.has(vigilName) || vigilName === 'procexit';
}
/** Where each socket event keeps the remote end in its tuple: src (inbound) or dst (outbound). */
const REMOTE_END: Record<string, 'src' | 'dst'> = { connect: 'dst', sendto: 'dst', sendmsg: 'dst', accept: 'src', accept4: 'src', recvfrom: 'src', recvmsg: 'src' };

const num = (v: RawParam | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const str = (v: RawParam | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const bytes = (v: RawParam | undefined): Uint8Array | undefined => (v instanceof Uint8Array ? v : undefined);
const tuple = (v: RawParam | undefined): SockTuple | undefined => (v && typeof v === 'object' && 'src' in v ? v : undefined);
const sockaddr = (v: RawParam | undefined): SockAddr | undefined => (v && typeof v === 'object' && 'family' in v ? v : undefined);

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;
}

type NulListField = 'args' | 'env' | 'cgroups';

/** Decodes a NUL list param into `t[field]` unless it holds the bytes the field was last decoded from; true if it changed. */
function applyNulList(t: CodecThread, field: NulListField, value: RawParam | undefined): boolean {
  const b = bytes(value);
  const raw = t.raw?.[field];
  if (b && sameBytes(b, raw)) return false;
  t[field] = splitNul(b);
  // Copied, not kept as a view: a view would pin the whole read chunk for the thread's lifetime.
  t.raw = { ...t.raw, [field]: b ? b.slice() : undefined };
  return true;
}

function applyProcessFields(t: CodecThread, raw: RawValues): void {
  const comm = str(raw.comm);
  if (comm !== undefined) t.comm = comm;
  const exe = str(raw.exe);
  if (exe !== undefined) t.exe = exe;
  if (raw.args !== undefined) applyNulList(t, 'args', raw.args);
  if (raw.env !== undefined && raw.env !== null) applyNulList(t, 'env', raw.env);
  const cwd = str(raw.cwd);
  if (cwd !== undefined) t.cwd = cwd;
  if (raw.cgroups !== undefined && raw.cgroups !== null && applyNulList(t, 'cgroups', raw.cgroups)) t.cgroup = containerCgroup(t.cgroups);
  t.fdlimit = num(raw.fdlimit) ?? t.fdlimit;
  t.uid = num(raw.uid) ?? t.uid;
  t.gid = num(raw.gid) ?? t.gid;
  t.vpgid = num(raw.vpgid) ?? t.vpgid;
  const loginuid = num(raw.loginuid);
  if (loginuid !== undefined) t.loginuid = loginuid >>> 0;
  t.tty = num(raw.tty) ?? t.tty;
}

/** Updates the tracker for life-cycle events; returns the clone child ids for the event's params. */
function trackLifecycle(name: string, tid: number, ret: number, raw: RawValues, threads: ThreadTracker): { childTid: number; childPid: number } | undefined {
  if (CLONE_EVENTS.has(name)) {
    const flags = num(raw.flags) ?? 0;
    if (ret === 0) {
      // The child's own return: its params describe the child.
      const child = threads.thread(tid);
      child.pid = num(raw.pid) ?? child.pid;
      child.ptid = num(raw.ptid) ?? child.ptid;
      child.vtid = num(raw.vtid) ?? child.vtid;
      child.vpid = num(raw.vpid) ?? child.vpid;
      applyProcessFields(child, raw);
      return { childTid: tid, childPid: child.pid };
    }
    if (ret > 0) {
      const caller = threads.thread(tid);
      applyProcessFields(caller, raw);
      const childPid = flags & CLONE_THREAD ? caller.pid : ret;
      if (!threads.get(ret)) threads.spawn(caller, ret, childPid, flags & CLONE_THREAD ? caller.ptid : caller.tid);
      return { childTid: ret, childPid };
    }
    return undefined;
  }
  if (EXEC_EVENTS.has(name) && ret === 0) {
    const t = threads.thread(tid);
    t.pid = num(raw.pid) ?? t.pid;
    if (num(raw.ptid) !== undefined && raw.ptid !== 0) t.ptid = raw.ptid as number;
    applyProcessFields(t, raw);
  }
  if (ret === 0 && (name === 'setuid' || name === 'setresuid')) {
    const uid = num(name === 'setuid' ? raw.uid : raw.euid);
    if (uid !== undefined && uid !== 0xffffffff) threads.thread(tid).uid = uid;
  }
  if (ret === 0 && (name === 'setgid' || name === 'setresgid')) {
    const gid = num(name === 'setgid' ? raw.gid : raw.egid);
    if (gid !== undefined && gid !== 0xffffffff) threads.thread(tid).gid = gid;
  }
  return undefined;
}

function argValue(def: EventDef, param: string, raw: RawValues, ret: number, thread: CodecThread, child?: { childTid: number; childPid: number }): ArgValue | undefined {
  const name = def.name;
  switch (param) {
    case 'args':
    case 'env': {
      // An empty NUL list is an empty param (null): still a present, empty list.
      const value = raw[param];
      if (value === undefined) return undefined;
      // A successful exec has just decoded them into the thread.
      return EXEC_EVENTS.has(name) && ret === 0 && value !== null ? thread[param] : splitNul(bytes(value));
    }
    case 'child_tid':
      return child?.childTid;
    case 'child_pid':
      return child?.childPid;
    case 'pgid':
      return num(raw.pgid) ?? num(raw.vpgid);
    case 'loginuid':
      return num(raw.loginuid) === undefined ? undefined : (raw.loginuid as number) >>> 0;
    case 'uid':
      return EXEC_EVENTS.has(name) ? num(raw.uid) ?? thread.uid : num(raw.uid);
    case 'gid':
      return EXEC_EVENTS.has(name) ? num(raw.gid) ?? thread.gid : num(raw.gid);
    case 'fd':
      if (def.fd === 'creates') return num(raw.fd) ?? ret;
      return num(raw.fd);
    case 'addr': {
      if (def.category !== 'net') return num(raw.addr);
      const end = REMOTE_END[name];
      const fromTuple = end ? tuple(raw.tuple)?.[end] : undefined;
      return name === 'bind' || name === 'connect' ? sockaddr(raw.addr) ?? fromTuple : fromTuple ?? sockaddr(raw.addr);
    }
    case 'local': {
      const end = REMOTE_END[name];
      return end ? tuple(raw.tuple)?.[end === 'src' ? 'dst' : 'src'] : undefined;
    }
    default: {
      const v = raw[param];
      return v === null || v === undefined || (typeof v === 'object' && 'src' in v) ? undefined : (v as ArgValue);
    }
  }
}

export function toVigilEvent(libs: LibsEvent, raw: RawValues, ts: bigint, tid: number, cpu: number, threads: ThreadTracker): VigilEvent | undefined {
  const def = eventByName(libs.vigil);
  if (!def) return undefined;
  const first = libs.params[0]?.name;
  const ret = libs.dir === 'single' ? 0 : num(first === 'res' ? raw.res : raw[first ?? 'res']) ?? 0;
  const child = trackLifecycle(def.name, tid, ret, raw, threads);
  const t = threads.thread(tid);
  const args: Record<string, ArgValue> = {};
  for (const p of def.params) {
    const v = argValue(def, p.name, raw, ret, t, child);
    if (v !== undefined) args[p.name] = v;
  }
  const parent = threads.get(t.ptid);
  const evt: VigilEvent = {
    id: def.id,
    name: def.name,
    ts,
    cpu,
    pid: t.pid,
    tid,
    ppid: threads.ppidOf(t),
    vpid: t.vpid,
    vtid: t.vtid,
    vppid: parent?.vpid ?? 0,
    uid: t.uid,
    gid: t.gid,
    loginuid: t.loginuid,
    comm: t.comm,
    tty: t.tty,
    mntns: 0,
    pidns: 0,
    cgroupId: 0,
    cgroup: t.cgroup,
    ret,
    args,
  };
  if (def.name === 'procexit') threads.exit(tid, num(raw.reaper_tid) ?? 0);
  return evt;
}
