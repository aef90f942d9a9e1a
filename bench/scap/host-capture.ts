/**
 * A capture shaped like a busy host rather than like the coverage story of test/scap/generate.ts:
 * 48 long-lived processes (servers on the host and in two containers, several threads each) doing
 * file, socket and memory syscalls, and now and then a short-lived child (clone, exec, a few
 * opens, exit), so that process-tree changes are a few percent of the events as on real hosts
 * (the coverage story is 30% tree changes). Deterministic: the same count gives the same capture.
 */
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { eventByName } from '../../src/events/event-table.js';
import type { CaptureSnapshot } from '../../src/scap/writer.js';
import { baseSnapshot } from '../../test/scap/generate.js';

interface HostProc { pid: number; tids: number[]; ppid: number; comm: string; exe: string; uid: number; cgroup: string; vpid: number; fds: number[]; free: number[]; nextFd: number }

const SERVERS: Array<[comm: string, exe: string, uid: number]> = [
  ['nginx', '/usr/sbin/nginx', 33], ['postgres', '/usr/lib/postgresql/15/bin/postgres', 111], ['java', '/usr/bin/java', 1000],
  ['node', '/usr/bin/node', 1000], ['python3', '/usr/bin/python3', 1000], ['redis-server', '/usr/bin/redis-server', 112],
];
const CONTAINERS = ['/', `/docker/${'a1'.repeat(32)}`, `/docker/${'b2'.repeat(32)}`];
const FILES = ['/var/log/app.log', '/etc/hosts', '/etc/resolv.conf', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/srv/data/table.db', '/tmp/cache.bin', '/proc/self/status', '/etc/passwd'];
const CHILDREN: Array<[comm: string, exe: string, args: string[]]> = [['sh', '/bin/sh', ['-c', 'date']], ['curl', '/usr/bin/curl', ['-s', 'http://10.0.0.9/health']], ['ls', '/bin/ls', ['-la', '/srv']]];
const T0 = 1_700_000_000_000_000_000n;

/** A small deterministic PRNG (mulberry32), so runs compare like with like. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateHostCapture(count: number): { snapshot: CaptureSnapshot; events: VigilEvent[] } {
  const rnd = random(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const snapshot = baseSnapshot();
  const procs: HostProc[] = [];
  for (let i = 0; i < 48; i++) {
    const [comm, exe, uid] = SERVERS[i % SERVERS.length]!;
    const cgroup = CONTAINERS[i % CONTAINERS.length]!;
    const pid = 1000 + i * 16;
    const proc: HostProc = { pid, tids: [pid, pid + 1, pid + 2, pid + 3], ppid: 1, comm, exe, uid, cgroup, vpid: cgroup === '/' ? pid : 1, fds: [], free: [], nextFd: 10 };
    procs.push(proc);
    for (const tid of proc.tids) {
      snapshot.threads.push({
        ...snapshot.threads[0]!, tid, pid, ptid: tid === pid ? 1 : pid, sid: pid, vpgid: pid, comm, exe, exepath: exe, args: ['--serve'], uid, gid: uid,
        vtid: proc.vpid === 1 ? tid - pid + 1 : tid, vpid: proc.vpid, cgroup, cgroups: ['cpuset', 'cpu', 'memory'].map((s) => `${s}=${cgroup}`),
      });
    }
  }
  const events: VigilEvent[] = [];
  let ts = T0;
  let nextPid = 100_000;
  const ev = (p: HostProc, tid: number, name: string, ret: number, args: Record<string, ArgValue>): void => {
    ts += 1000n;
    events.push({
      id: eventByName(name)!.id, name, ts, cpu: tid % 2, pid: p.pid, tid, ppid: p.ppid, vpid: p.vpid, vtid: p.vpid === 1 ? tid - p.pid + 1 : tid, vppid: p.ppid === 1 ? 1 : 0,
      uid: p.uid, gid: p.uid, loginuid: 0xffffffff, comm: p.comm, tty: 0, mntns: 0, pidns: 0, cgroupId: 0, cgroup: p.cgroup, ret, args,
    });
  };
  /** The lowest free descriptor number is reused, as the kernel does. */
  const newFd = (p: HostProc): number => {
    const fd = p.free.length ? p.free.splice(p.free.indexOf(Math.min(...p.free)), 1)[0]! : p.nextFd++;
    p.fds.push(fd);
    return fd;
  };
  const open = (p: HostProc, tid: number): void => {
    const fd = newFd(p);
    ev(p, tid, 'openat', fd, { fd, dirfd: -100, name: pick(FILES), flags: rnd() < 0.2 ? 0o101 : 0, mode: 0o644, dev: 2049, ino: 1000 + fd });
  };
  const close = (p: HostProc, tid: number): void => {
    const fd = p.fds.shift();
    if (fd === undefined) return open(p, tid);
    p.free.push(fd);
    ev(p, tid, 'close', 0, { fd });
  };
  const spawnChild = (parent: HostProc): void => {
    const pid = nextPid++;
    const [comm, exe, args] = pick(CHILDREN);
    ev(parent, parent.pid, 'clone', pid, { flags: 0x1200011, child_tid: pid, child_pid: pid });
    const child: HostProc = { ...parent, pid, tids: [pid], ppid: parent.pid, vpid: parent.vpid === 1 ? 100 + (pid % 1000) : pid, fds: [], free: [], nextFd: 3 };
    ev(child, pid, 'clone', 0, { flags: 0x1200011, child_tid: pid, child_pid: pid });
    child.comm = comm;
    child.exe = exe;
    ev(child, pid, 'execve', 0, { exe, args, env: ['PATH=/usr/bin:/bin'], cwd: '/', comm, filename: exe, flags: 0, uid: child.uid, gid: child.uid, loginuid: 0xffffffff, tty: 0, pgid: pid });
    for (let k = 0; k < 3; k++) open(child, pid);
    ev(child, pid, 'procexit', 0, { status: 0, reaper_tid: 0 });
  };
  while (events.length < count) {
    const p = pick(procs);
    const tid = pick(p.tids);
    const r = rnd();
    if (r < 0.006) spawnChild(p);
    else if (r < 0.34) open(p, tid);
    else if (r < 0.74) close(p, tid);
    else if (r < 0.72) {
      const fd = newFd(p);
      ev(p, tid, 'socket', fd, { fd, domain: 2, type: 1, proto: 6 });
      ev(p, tid, 'connect', 0, { fd, addr: { family: 2, addr: '10.0.0.9', port: 5432 }, local: { family: 2, addr: '10.0.0.1', port: 40000 + (fd % 20000) } });
    } else if (r < 0.8) ev(p, tid, 'sendto', 64, { fd: p.fds[0] ?? 3, size: 64, addr: { family: 2, addr: '10.0.0.9', port: 5432 } });
    else if (r < 0.88) ev(p, tid, 'recvfrom', 64, { fd: p.fds[0] ?? 3, size: 512, addr: { family: 2, addr: '10.0.0.9', port: 5432 } });
    else if (r < 0.95) ev(p, tid, 'mmap', 0x7f0000000000, { addr: 0, length: 4096, prot: 3, flags: 0x22, fd: -1, offset: 0 });
    else if (r < 0.98) ev(p, tid, 'mprotect', 0, { addr: 0x7f0000000000, length: 4096, prot: 1 });
    else {
      const fd = newFd(p);
      ev(p, tid, 'accept4', fd, { fd, listenfd: 3, addr: { family: 2, addr: '192.168.1.10', port: 50000 + (fd % 10000) }, local: { family: 2, addr: '10.0.0.1', port: 443 }, flags: 0o2000000 });
    }
  }
  return { snapshot, events };
}
