import { EXE_FROM_MEMFD, EXE_LOWER_LAYER, EXE_UPPER_LAYER, EXE_WRITABLE, renderCapabilities } from '../../events/flags.js';
import { ancestorAt, ancestorsOf, groupLeaderOf, parentOf, pidnsInitOf, sessionLeaderOf } from '../../state/ancestry.js';
import type { ThreadInfo } from '../../state/types.js';
import { fromThread, parseIndex, plain, withArg, type FieldClass, type FieldDefWithForms } from './define.js';
import type { EvalContext, Extractor, FieldDef, FieldType, FieldValue } from './field.js';

/**
 * proc.* and thread.*: the process and thread that produced the event, its parent and
 * ancestors, read from the process table after the event was applied.
 *
 * Index-less ancestor fields (`proc.aname`, `proc.apid` …) yield every ancestor's value as an
 * array, resolved as a filter-only form so the compiler gives it "some value matches" semantics:
 * `proc.aname in (a, b)` holds when some ancestor (not the process itself) is named a or b.
 */

type Read = (t: ThreadInfo, ctx: EvalContext) => FieldValue | undefined;

const lookupOf = (ctx: EvalContext) => (tid: number) => ctx.state.thread(tid);

/**
 * Joined argument and environment lists, cached by the identity of the list: the tables replace a
 * thread's list on exec and never mutate one, so a cached join stays right, and proc.cmdline in
 * many rules does not re-join argv on every event.
 */
const joined = new WeakMap<readonly string[], string>();
function join(list: readonly string[]): string {
  let text = joined.get(list);
  if (text === undefined) joined.set(list, (text = list.join(' ')));
  return text;
}

const cmdlines = new WeakMap<readonly string[], { comm: string; text: string }>();
function cmdline(t: ThreadInfo): string {
  const cached = cmdlines.get(t.args);
  if (cached && cached.comm === t.comm) return cached.text;
  const text = t.args.length ? `${t.comm} ${join(t.args)}` : t.comm;
  cmdlines.set(t.args, { comm: t.comm, text });
  return text;
}
const isExecFlag = (flag: number): Read => (t) => (t.execFlags & flag) !== 0;

/** The same fact for the process, its parent, and (with an index) its ancestors. */
function family(short: string, type: FieldType, what: string, read: Read, options: { ancestors?: boolean; parent?: boolean } = {}): FieldDef[] {
  const out: FieldDef[] = [plain(`proc.${short}`, type, 'P', `${what} of the process`, fromThread(read))];
  if (options.parent !== false) {
    out.push(plain(`proc.p${short}`, type, 'PP', `${what} of the parent process`, parentRead(read)));
  }
  if (options.ancestors !== false) {
    const name = `proc.a${short}`;
    const def: FieldDefWithForms = withArg(name, type, 'A', `${what} of the N-th ancestor (0 = the process, 1 = the parent …); without an index, any ancestor`, 'index', (arg) => ancestorRead(name, arg, read), {
      noTransformer: true,
      noRhsField: true,
    });
    def.withoutArg = { ...def, filterOnly: true };
    out.push(def);
  }
  return out;
}

function parentRead(read: Read): Extractor {
  return (ctx) => {
    if (!ctx.thread) return undefined;
    const parent = parentOf(lookupOf(ctx), ctx.thread);
    return parent ? read(parent, ctx) : undefined;
  };
}

function ancestorRead(name: string, arg: string | undefined, read: Read): Extractor | string {
  if (arg === undefined) {
    return (ctx) => {
      if (!ctx.thread) return undefined;
      const values: (string | number)[] = [];
      for (const a of ancestorsOf(lookupOf(ctx), ctx.thread)) {
        const v = read(a, ctx);
        if (typeof v === 'string' || typeof v === 'number') values.push(v);
      }
      return values;
    };
  }
  const n = parseIndex(name, arg);
  if (typeof n === 'string') return n;
  return (ctx) => {
    if (!ctx.thread) return undefined;
    const a = ancestorAt(lookupOf(ctx), ctx.thread, n);
    return a ? read(a, ctx) : undefined;
  };
}

/** libsinsp keeps directories with a trailing slash, and rules rely on it (`proc.cwd startswith "/dev/shm/"`). */
function withTrailingSlash(dir: string): string {
  return dir.startsWith('/') && !dir.endsWith('/') ? `${dir}/` : dir;
}

function envValue(t: ThreadInfo, key: string): string | undefined {
  const prefix = `${key}=`;
  const entry = t.env.find((e) => e.startsWith(prefix));
  return entry === undefined ? undefined : entry.slice(prefix.length);
}

/** The start of the process's pid namespace: the clone time of its init (vpid 1). */
export function pidnsInitStart(t: ThreadInfo, ctx: EvalContext): bigint | undefined {
  return pidnsInitOf(lookupOf(ctx), t)?.cloneTs || undefined;
}

const leaderRead = (pick: (ctx: EvalContext, t: ThreadInfo) => ThreadInfo | undefined, read: Read): Extractor =>
  fromThread((t, ctx) => {
    const leader = pick(ctx, t);
    return leader ? read(leader, ctx) : undefined;
  });
const session = (ctx: EvalContext, t: ThreadInfo) => sessionLeaderOf(lookupOf(ctx), t);
const group = (ctx: EvalContext, t: ThreadInfo) => groupLeaderOf(lookupOf(ctx), t);

export const PROC_FIELDS: FieldClass = {
  name: 'process',
  desc: 'Process and thread fields: the task that produced the event, its parent and ancestors.',
  fields: [
    ...family('name', 'charbuf', 'name (comm, at most 15 characters)', (t) => t.comm),
    ...family('exe', 'charbuf', 'first command-line argument (argv[0])', (t) => t.exe),
    ...family('exepath', 'fspath', 'full path of the executable', (t) => t.exepath),
    ...family('cmdline', 'charbuf', 'command line: name followed by the arguments, space separated', cmdline),
    ...family('pid', 'int64', 'process id', (t) => t.pid, { parent: false }),
    plain('proc.ppid', 'int64', 'P', 'process id of the parent', fromThread((t) => t.ptid)),
    plain('proc.vpid', 'int64', 'P', 'process id as seen from its own pid namespace', fromThread((t) => t.vpid)),
    plain('proc.pvpid', 'int64', 'PP', 'parent process id as seen from its pid namespace', parentRead((t) => t.vpid)),
    withArg('proc.args', 'charbuf', 'P', 'arguments after argv[0], space separated; with an index, that single argument (0-based)', 'index', (arg) => {
      if (arg === undefined) return fromThread((t) => join(t.args));
      const n = parseIndex('proc.args', arg);
      return typeof n === 'string' ? n : fromThread((t) => t.args[n]);
    }),
    plain('proc.cmdnargs', 'uint64', 'P', 'number of command-line arguments after argv[0]', fromThread((t) => t.args.length)),
    plain('proc.cmdlenargs', 'uint64', 'P', 'total length of the arguments after argv[0], spaces not counted', fromThread((t) => t.args.reduce((n, a) => n + a.length, 0))),
    withArg('proc.env', 'charbuf', 'P', 'environment as NAME=value entries, space separated; proc.env[NAME] gives one value', 'key', (arg) =>
      arg === undefined ? fromThread((t) => join(t.env)) : fromThread((t) => envValue(t, arg)),
    ),
    withArg('proc.aenv', 'charbuf', 'A', 'value of an environment variable in the process or, failing that, its nearest ancestor that has it', 'key-required', (arg) =>
      fromThread((t, ctx) => {
        const own = envValue(t, arg!);
        if (own !== undefined) return own;
        for (const a of ancestorsOf(lookupOf(ctx), t)) {
          const v = envValue(a, arg!);
          if (v !== undefined) return v;
        }
        return undefined;
      }), { noTransformer: true, noRhsField: true }),
    plain('proc.cwd', 'fspath', 'P', "current working directory (from the last exec), ending in '/' as libsinsp keeps it", fromThread((t) => withTrailingSlash(t.cwd))),
    plain('proc.tty', 'uint32', 'P', 'controlling terminal device number, 0 when none', fromThread((t) => t.tty)),
    plain('proc.sid', 'int64', 'P', 'session id of the process', fromThread((t) => t.sid)),
    plain('proc.sname', 'charbuf', 'A', 'name of the session leader', leaderRead(session, (t) => t.comm)),
    plain('proc.sid.exe', 'charbuf', 'A', 'argv[0] of the session leader', leaderRead(session, (t) => t.exe)),
    plain('proc.sid.exepath', 'fspath', 'A', 'executable path of the session leader', leaderRead(session, (t) => t.exepath)),
    plain('proc.is_sid_leader', 'bool', 'P', 'true when the process leads its session', fromThread((t) => t.sid === t.vpid || t.sid === t.pid)),
    plain('proc.vpgid', 'int64', 'P', 'process group id as seen from its pid namespace', fromThread((t) => t.vpgid)),
    plain('proc.vpgid.name', 'charbuf', 'A', 'name of the process group leader', leaderRead(group, (t) => t.comm)),
    plain('proc.vpgid.exe', 'charbuf', 'A', 'argv[0] of the process group leader', leaderRead(group, (t) => t.exe)),
    plain('proc.vpgid.exepath', 'fspath', 'A', 'executable path of the process group leader', leaderRead(group, (t) => t.exepath)),
    plain('proc.is_vpgid_leader', 'bool', 'P', 'true when the process leads its process group', fromThread((t) => t.vpid === t.vpgid)),
    plain('proc.duration', 'reltime', 'P', 'nanoseconds since the process started', fromThread((t, ctx) => (t.cloneTs > 0n ? Number(ctx.evt.ts - t.cloneTs) : undefined))),
    plain('proc.start_ts', 'abstime', 'P', 'process start time, nanoseconds since the epoch', fromThread((t) => t.cloneTs || undefined)),
    plain('proc.pidns_init_start_ts', 'abstime', 'A', 'start time of the init process of the pid namespace', fromThread(pidnsInitStart)),
    plain('proc.is_exe_writable', 'bool', 'P', 'the executable file is writable by the process user', fromThread(isExecFlag(EXE_WRITABLE))),
    plain('proc.is_exe_upper_layer', 'bool', 'P', 'the executable lives in the upper (writable) layer of an overlay filesystem', fromThread(isExecFlag(EXE_UPPER_LAYER))),
    plain('proc.is_exe_lower_layer', 'bool', 'P', 'the executable lives in a lower (image) layer of an overlay filesystem', fromThread(isExecFlag(EXE_LOWER_LAYER))),
    plain('proc.is_exe_from_memfd', 'bool', 'P', 'the executable is a memfd (fileless execution)', fromThread(isExecFlag(EXE_FROM_MEMFD))),
    plain('proc.exe_ino', 'int64', 'P', 'inode number of the executable', fromThread((t) => (t.exeIno ? t.exeIno : undefined))),
    plain('proc.exe_ino.ctime', 'abstime', 'P', 'status-change time of the executable inode', fromThread((t) => t.exeInoCtime || undefined)),
    plain('proc.exe_ino.mtime', 'abstime', 'P', 'modification time of the executable inode', fromThread((t) => t.exeInoMtime || undefined)),
    plain('proc.exe_ino.ctime_duration_proc_start', 'reltime', 'P', 'nanoseconds between the executable inode change and the process start', fromThread((t) =>
      t.exeInoCtime && t.cloneTs ? Number(t.cloneTs - t.exeInoCtime) : undefined,
    )),
    plain('proc.exe_ino.ctime_duration_pidns_start', 'reltime', 'A', 'nanoseconds between the pid namespace start and the executable inode change', fromThread((t, ctx) => {
      const start = pidnsInitStart(t, ctx);
      return t.exeInoCtime && start ? Number(t.exeInoCtime - start) : undefined;
    })),
    plain('proc.is_container_healthcheck', 'bool', 'P', 'the process is a container health check (not detected by vigil: false)', fromThread(() => false)),
    plain('proc.is_container_liveness_probe', 'bool', 'P', 'the process is a Kubernetes liveness probe (not detected by vigil: false)', fromThread(() => false)),
    plain('proc.is_container_readiness_probe', 'bool', 'P', 'the process is a Kubernetes readiness probe (not detected by vigil: false)', fromThread(() => false)),
    plain('proc.fdopencount', 'uint64', 'FD', 'number of open fds of the process', fromThread((t) => t.fds.size)),
    plain('thread.tid', 'int64', 'P', 'id of the thread (host pid namespace)', fromThread((t) => t.tid)),
    plain('thread.vtid', 'int64', 'P', 'thread id as seen from its pid namespace', fromThread((t) => t.vtid)),
    plain('thread.ismain', 'bool', 'P', 'true for the main thread of its process', fromThread((t) => t.tid === t.pid)),
    plain('thread.cap_permitted', 'charbuf', 'P', 'permitted capabilities, space-separated CAP_* names', fromThread((t) => renderCapabilities(t.capPermitted))),
    plain('thread.cap_inheritable', 'charbuf', 'P', 'inheritable capabilities, space-separated CAP_* names', fromThread((t) => renderCapabilities(t.capInheritable))),
    plain('thread.cap_effective', 'charbuf', 'P', 'effective capabilities, space-separated CAP_* names', fromThread((t) => renderCapabilities(t.capEffective))),
  ],
};
