import type { ArgValue, SockAddr, VigilEvent } from '../events/event.js';
import { eventByName, type EventDef } from '../events/event-table.js';
import { CLONE_THREAD } from '../events/flags.js';
import { CLONE_EVENTS, EXEC_EVENTS, type LibsEvent } from './libs-events.js';
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
function trackLifecycle(name: string, tid: number, ret: number, raw: RawValues, threads: ThreadTracker): ChildIds | undefined {
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

/** Decoded values → one event's `ret` and vigil args; generated per event type (see `converterFor`). */
interface Converter {
  def: EventDef;
  ret(raw: RawValues): number;
  args(raw: RawValues, ret: number, thread: CodecThread, child: ChildIds | undefined): Record<string, ArgValue>;
}

type ChildIds = { childTid: number; childPid: number };

/** What generated converters call: kept apart so the generated text stays small. */
const HELPERS = {
  num, bytes, tuple, sockaddr, splitNul,
  /** A param vigil takes as decoded: absent and empty (null) values and socket tuples are left out. */
  plain: (v: RawParam | undefined): ArgValue | undefined => (v === null || v === undefined || (typeof v === 'object' && 'src' in v) ? undefined : (v as ArgValue)),
};

/** The JS expression for vigil param `param` of `def`, reading the decoded values `raw`. */
function argExpression(def: EventDef, param: string): string {
  const raw = (name: string): string => `raw[${JSON.stringify(name)}]`;
  const exec = EXEC_EVENTS.has(def.name);
  switch (param) {
    case 'args':
    case 'env':
      // An empty NUL list is an empty param (null): still a present, empty list. A successful exec
      // has just decoded them into the thread.
      return `(${raw(param)} === undefined ? undefined : ${exec ? `ret === 0 && ${raw(param)} !== null ? t.${param} : ` : ''}h.splitNul(h.bytes(${raw(param)})))`;
    case 'child_tid':
      return 'child?.childTid';
    case 'child_pid':
      return 'child?.childPid';
    case 'pgid':
      return `(h.num(${raw('pgid')}) ?? h.num(${raw('vpgid')}))`;
    case 'loginuid':
      return `(h.num(${raw('loginuid')}) === undefined ? undefined : ${raw('loginuid')} >>> 0)`;
    case 'uid':
    case 'gid':
      return exec ? `(h.num(${raw(param)}) ?? t.${param})` : `h.num(${raw(param)})`;
    case 'fd':
      return def.fd === 'creates' ? `(h.num(${raw('fd')}) ?? ret)` : `h.num(${raw('fd')})`;
    case 'addr': {
      if (def.category !== 'net') return `h.num(${raw('addr')})`;
      const end = REMOTE_END[def.name];
      const fromTuple = end ? `h.tuple(${raw('tuple')})?.${end}` : 'undefined';
      return def.name === 'bind' || def.name === 'connect' ? `(h.sockaddr(${raw('addr')}) ?? ${fromTuple})` : `(${fromTuple} ?? h.sockaddr(${raw('addr')}))`;
    }
    case 'local': {
      const end = REMOTE_END[def.name];
      return end ? `h.tuple(${raw('tuple')})?.${end === 'src' ? 'dst' : 'src'}` : 'undefined';
    }
    default:
      return `h.plain(${raw(param)})`;
  }
}

/**
 * Generated once per libs event type, so every property access names its key: a shared loop over
 * param names made each access a megamorphic lookup across all event shapes, the converter's
 * largest cost. Args are added in the event table's order, as before, so events keep one shape.
 */
function compileConverter(libs: LibsEvent, def: EventDef): Converter {
  const first = libs.params[0]?.name ?? 'res';
  const ret = libs.dir === 'single' ? '0' : `(h.num(raw[${JSON.stringify(first)}]) ?? 0)`;
  const lines = def.params.map((p) => `v = ${argExpression(def, p.name)}; if (v !== undefined) args[${JSON.stringify(p.name)}] = v;`);
  const source = `return {
    ret(raw) { return ${ret}; },
    args(raw, ret, t, child) { const args = {}; let v; ${lines.join(' ')} return args; },
  };`;
  return { def, ...(new Function('h', source) as (h: typeof HELPERS) => Omit<Converter, 'def'>)(HELPERS) };
}

/** By libs event id; undefined until first used, null for events vigil does not model. */
const CONVERTERS: (Converter | null | undefined)[] = [];

function converterFor(libs: LibsEvent): Converter | null {
  let converter = CONVERTERS[libs.id];
  if (converter === undefined) {
    const def = eventByName(libs.vigil);
    converter = def ? compileConverter(libs, def) : null;
    CONVERTERS[libs.id] = converter;
  }
  return converter;
}

export function toVigilEvent(libs: LibsEvent, raw: RawValues, ts: bigint, tid: number, cpu: number, threads: ThreadTracker): VigilEvent | undefined {
  const converter = converterFor(libs);
  if (!converter) return undefined;
  const def = converter.def;
  const ret = converter.ret(raw);
  const child = libs.changesThreads ? trackLifecycle(def.name, tid, ret, raw, threads) : undefined;
  const t = threads.thread(tid);
  const args = converter.args(raw, ret, t, child);
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
