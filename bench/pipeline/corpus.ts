import { NO_LOGINUID, type ArgValue, type VigilEvent } from '../../src/events/event.js';
import { eventByName } from '../../src/events/event-table.js';

/** A deterministic mixed corpus for the pipeline benchmarks: mostly opens and closes, some network, exec with its clone and exit. */
export function corpus(n: number): VigilEvent[] {
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const cgroups = ['', '', '/docker/aa11bb22cc33dd44ee55ff6600112233445566778899aabbccddeeff00112233'];
  // Alerting events are rare, as in production: a sensitive read or a PTRACE_TRACEME per thousand events.
  const files = ['/usr/lib/libc.so.6', '/etc/ld.so.cache', '/proc/self/stat', '/var/lib/db/data', '/etc/hosts', '/tmp/x'];
  const out: VigilEvent[] = [];
  let ts = 1_700_000_000_000_000_000n;
  let child = 20_000;
  const ev = (name: string, pid: number, cgroup: string, ret: number, args: Record<string, ArgValue>, comm = 'app'): VigilEvent => ({
    id: eventByName(name)!.id, name, ts: (ts += 500n), cpu: 0, pid, tid: pid, ppid: 1, vpid: pid, vtid: pid, vppid: 1, uid: 0, gid: 0,
    loginuid: NO_LOGINUID, comm, tty: 0, mntns: 1, pidns: 1, cgroupId: 0, cgroup, ret, args,
  });
  while (out.length < n) {
    const pid = 1000 + Math.floor(rnd() * 16);
    const cgroup = cgroups[pid % cgroups.length]!;
    const r = rnd();
    if (r < 0.5) {
      const name = rnd() < 0.002 ? '/etc/shadow' : files[Math.floor(rnd() * files.length)]!;
      out.push(ev('openat', pid, cgroup, 3, { dirfd: -100, name, flags: rnd() < 0.05 ? 577 : 0 }));
    }
    else if (r < 0.75) out.push(ev('close', pid, cgroup, 0, { fd: 3 }));
    else if (r < 0.85) out.push(ev('connect', pid, cgroup, 0, { fd: 4, addr: { family: 2, addr: '10.0.0.9', port: 443 } }));
    else if (r < 0.95) out.push(ev('mmap', pid, cgroup, 0, { fd: -1, prot: 3 }));
    else if (r < 0.999) {
      const c = child++;
      out.push(ev('clone', pid, cgroup, c, { child_tid: c, child_pid: c }));
      out.push(ev('execve', c, cgroup, 0, { exe: 'ls', args: ['-l'], comm: 'ls', cwd: '/', filename: '/bin/ls', trusted_exepath: '/bin/ls' }, 'ls'));
      out.push(ev('procexit', c, cgroup, 0, { status: 0 }, 'ls'));
    } else out.push(ev('ptrace', pid, cgroup, 0, { request: 0, pid: 0 }));
  }
  return out.slice(0, n);
}

