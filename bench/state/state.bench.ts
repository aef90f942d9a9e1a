/**
 * State tables on one thread (tinybench): what keeping state costs per event, apart from rules.
 *  - apply+finish: StateTables over a mixed corpus (opens and closes, clone+execve, sockets, dups).
 *  - fields: the same, plus reading the fields most upstream outputs print (proc.cmdline,
 *    proc.pname, proc.aname[2], user.name, container.id, fd.name, evt.arg.flags).
 *  - seed: reading every process of this machine's /proc with fds.
 *
 * Run: `node --import tsx bench/state/state.bench.ts` (BENCH_TIME_MS to change the sample time).
 */
import { Bench } from 'tinybench';
import { eventByName } from '../../src/events/event-table.js';
import { NO_LOGINUID, type ArgValue, type VigilEvent } from '../../src/events/event.js';
import type { EvalContext, Extractor } from '../../src/falco/fields/field.js';
import { FIELD_REGISTRY } from '../../src/falco/fields/registry.js';
import { StateTables } from '../../src/state/index.js';

const CONTAINER = '/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const PIDS = [1000, 1001, 1002, 1003, 1004, 1005];

function event(name: string, pid: number, ret: number, args: Record<string, ArgValue>, ts: bigint): VigilEvent {
  return {
    id: eventByName(name)!.id, name, ts, cpu: 0, pid, tid: pid, ppid: 1, vpid: pid, vtid: pid, vppid: 1, uid: 0, gid: 0,
    loginuid: NO_LOGINUID, comm: `app${pid % 3}`, tty: 0, mntns: 1, pidns: 1, cgroupId: 0, cgroup: pid % 2 ? CONTAINER : '', ret, args,
  };
}

/** 1000 events: 50% open/close pairs, 10% socket+connect, 5% clone+exec+exit, dups and ptrace. */
function corpus(): VigilEvent[] {
  const out: VigilEvent[] = [];
  let ts = 1_700_000_000_000_000_000n;
  let child = 50_000;
  for (let i = 0; out.length < 1000; i++) {
    const pid = PIDS[i % PIDS.length]!;
    ts += 1000n;
    const k = i % 20;
    if (k < 10) {
      out.push(event('openat', pid, 7, { fd: 7, dirfd: -100, name: k % 2 ? 'data/file.db' : '/usr/lib/libc.so.6', flags: k % 3 ? 0 : 0o1101 }, ts));
      out.push(event('close', pid, 0, { fd: 7 }, ts + 1n));
    } else if (k < 12) {
      out.push(event('socket', pid, 8, { fd: 8, domain: 2, type: 1, proto: 6 }, ts));
      out.push(event('connect', pid, 0, { fd: 8, addr: { family: 2, addr: '10.0.0.9', port: 443 }, local: { family: 2, addr: '10.0.0.2', port: 40000 + k } }, ts + 1n));
    } else if (k === 12) {
      const c = child++;
      out.push(event('clone', pid, c, { flags: 0, child_tid: c, child_pid: c }, ts));
      out.push({ ...event('execve', c, 0, { exe: 'ls', args: ['-la', '/tmp'], comm: 'ls', trusted_exepath: '/bin/ls', cwd: '/' }, ts + 1n), ppid: pid });
      out.push({ ...event('procexit', c, 0, { status: 0 }, ts + 2n), ppid: pid });
    } else if (k < 15) {
      out.push(event('dup2', pid, 3, { fd: 3, oldfd: 1, newfd: 3 }, ts));
    } else {
      out.push(event('ptrace', pid, 0, { request: 16, pid: 1 }, ts));
    }
  }
  return out;
}

const events = corpus();
const FIELDS = ['proc.cmdline', 'proc.pname', 'proc.aname[2]', 'user.name', 'container.id', 'fd.name', 'evt.arg.flags'];
const extractors: Extractor[] = FIELDS.map((f) => {
  const [name, arg] = f.replace(']', '').split('[') as [string, string | undefined];
  const def = FIELD_REGISTRY.resolve(name, arg);
  if (typeof def === 'string') throw new Error(def);
  return def.bind(arg) as Extractor;
});

function seeded(): StateTables {
  const state = new StateTables();
  for (const pid of PIDS) state.apply(event('execve', pid, 0, { exe: `/usr/bin/app${pid}`, args: ['--serve'], comm: `app${pid % 3}`, cwd: '/srv' }, 1n));
  return state;
}

const bench = new Bench({ time: Number(process.env.BENCH_TIME_MS ?? 2000) });
let applyState = seeded();
let fieldState = seeded();
let num = 0;
let sink = 0;

bench
  .add('apply+finish, 1000 events', () => {
    for (const evt of events) {
      applyState.apply(evt);
      applyState.finish(evt);
    }
  }, { beforeAll: () => void (applyState = seeded()) })
  .add('apply+7 fields+finish, 1000 events', () => {
    for (const evt of events) {
      const { thread, fd } = fieldState.apply(evt);
      num++;
      const ctx: EvalContext = { evt, num, thread, fd, state: fieldState, epoch: num };
      for (const x of extractors) if (x(ctx) !== undefined) sink++;
      fieldState.finish(evt);
    }
  }, { beforeAll: () => void (fieldState = seeded()) })
  .add('seedFromProc (this machine)', () => {
    sink += new StateTables().seedFromProc();
  });

await bench.run();
const rows = bench.tasks.map((t) => {
  const mean = t.result && 'latency' in t.result ? t.result.latency.mean : NaN; // ms per iteration
  const perThousand = t.name.includes('1000 events');
  return {
    task: t.name,
    'ms/iter': mean.toFixed(3),
    'µs/event': perThousand ? mean.toFixed(3) : '-',
    'events/s': perThousand ? Math.round(1_000_000 / mean).toLocaleString('en-US') : '-',
  };
});
console.table(rows);
if (sink < 0) console.log(sink);
