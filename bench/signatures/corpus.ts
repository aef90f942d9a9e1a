/**
 * The mixed Tracee event corpus the signature benches share: 100 rounds of typical activity (file opens,
 * execs, connects, dup2/close, ptrace, mem_prot_alert, container token reads, magic_write, mounts, module
 * reads, exits, and read/write that no signature selects), a few percent of which are detections; and
 * the same kinds of activity as vigil's own events, for the VigilEvent → Tracee view.
 */
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { eventByName } from '../../src/events/event-table.js';
import type { TraceeEvent } from '../../src/events/tracee-event.js';
import { originOf } from '../../src/events/tracee-event.js';
import { envelopeOf, type Signature, type TraceeEnvelope } from '../../src/signatures/signature.js';
import { inContainer, inet, traceeEvent } from '../../test/fixtures/tracee-events.js';

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).toString('base64');
const s = (v: string): [string, unknown] => ['string', v];
const i = (v: number): [string, unknown] => ['int', v];

/** One "round" of typical activity; a few events in it are detections, most are not. */
function round(n: number): TraceeEvent[] {
  const pid = 1000 + (n % 50);
  const f = { processId: pid, hostProcessId: pid, processName: n % 7 === 0 ? 'nginx' : 'bash' };
  const files = ['/etc/passwd', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/proc/self/status', `/home/u/file${n}.txt`];
  const events: TraceeEvent[] = [
    ...files.map((p, k) => traceeEvent('security_file_open', { pathname: s(p), flags: s(k === 3 ? 'O_WRONLY|O_CREAT|O_TRUNC' : 'O_RDONLY|O_CLOEXEC'), dev: i(2049), inode: i(n) }, f)),
    traceeEvent('execve', { pathname: s('/usr/bin/ls'), argv: ['const char*const*', ['ls', '-l']], envp: ['const char*const*', ['PATH=/usr/bin', 'HOME=/root', 'TERM=xterm']] }, f),
    traceeEvent('sched_process_exec', { cmdpath: s('/usr/bin/ls'), pathname: s('/usr/bin/ls') }, f),
    traceeEvent('security_bprm_check', { pathname: s(n % 20 === 0 ? '/bin/sh' : '/usr/bin/ls') }, f),
    traceeEvent('security_socket_connect', { sockfd: i(3 + (n % 3)), remote_addr: ['struct sockaddr*', inet('10.0.0.5', 443)] }, f),
    traceeEvent('dup2', { oldfd: i(3), newfd: i(n % 10 === 0 ? 1 : 10) }, f),
    traceeEvent('close', { fd: i(3) }, f),
    traceeEvent('ptrace', { request: s(n % 25 === 0 ? 'PTRACE_TRACEME' : 'PTRACE_PEEKDATA'), pid: i(pid + 1) }, f),
    traceeEvent('mem_prot_alert', { alert: ['u32', 'Mmaped region with W+E permissions!'] }, f),
    inContainer(traceeEvent('security_file_open', { pathname: s('/var/run/secrets/kubernetes.io/serviceaccount/token'), flags: s('O_RDONLY') }, { processName: n % 2 ? 'coredns' : 'curl' })),
    inContainer(traceeEvent('magic_write', { pathname: s('/tmp/x'), bytes: ['bytes', n % 5 === 0 ? ELF : 'IyEvYmluL3NoCg=='] })),
    inContainer(traceeEvent('security_sb_mount', { dev_name: s(n % 4 === 0 ? '/dev/sda1' : 'proc'), path: s('/mnt') })),
    inContainer(traceeEvent('execve', { pathname: s('/usr/bin/curl'), argv: ['const char*const*', ['curl']], envp: ['const char*const*', ['PATH=/bin', 'KUBERNETES_SERVICE_HOST=10.96.0.1']] })),
    inContainer(traceeEvent('security_socket_connect', { sockfd: i(4), remote_addr: ['struct sockaddr*', inet(n % 10 === 0 ? '10.96.0.1' : '10.0.0.7', 443)] })),
    traceeEvent(n % 30 === 0 ? 'init_module' : 'security_kernel_read_file', { pathname: s(`/lib/firmware/fw${n}.bin`), type: s(n % 15 === 0 ? 'kernel-module' : 'firmware') }, f),
    traceeEvent('sched_process_exit', { exit_code: ['long', 0] }, f),
    // events no signature selects: dispatch cost only
    traceeEvent('read', { fd: i(3) }, f),
    traceeEvent('write', { fd: i(1) }, f),
  ];
  return events;
}

export function traceeCorpus(rounds = 100): TraceeEvent[] {
  return Array.from({ length: rounds }, (_, n) => round(n)).flat();
}

/** The events of `corpus` the engine would deliver to `sig` (its selectors, origin included), as envelopes. */
export function selectedBy(sig: Signature, corpus: readonly TraceeEvent[]): TraceeEnvelope[] {
  const selectors = sig.getSelectedEvents().filter((x) => x.Source === 'tracee');
  return corpus.filter((e) => selectors.some((x) => (x.Name === '' || x.Name === '*' || x.Name === e.eventName)
    && (x.Origin === '' || x.Origin === '*' || x.Origin === originOf(e)))).map((e) => envelopeOf(e, originOf(e)));
}

const CONTAINER_CGROUP = `/docker/${'5e'.repeat(32)}`;

function vigilEvent(name: string, args: Record<string, ArgValue>, over: Partial<VigilEvent> = {}): VigilEvent {
  const pid = over.pid ?? 4000;
  return {
    id: eventByName(name)!.id, name, ts: 1_700_000_000_000_000_000n, cpu: 0, pid, tid: pid, ppid: 1, vpid: pid, vtid: pid, vppid: 1,
    uid: 0, gid: 0, loginuid: 0, comm: 'bash', tty: 0, mntns: 1, pidns: 1, cgroupId: 1, cgroup: '/', ret: 0, args, ...over,
  };
}

/** vigil's own events for the same kinds of activity, for the VigilEvent → Tracee view row. */
export function vigilCorpus(rounds = 100): VigilEvent[] {
  const out: VigilEvent[] = [];
  for (let n = 0; n < rounds; n++) {
    const over = n % 3 === 0 ? { cgroup: CONTAINER_CGROUP, vpid: 7, vtid: 7 } : {};
    for (const path of ['/etc/passwd', '/usr/lib/x86_64-linux-gnu/libc.so.6', `/home/u/file${n}.txt`]) {
      out.push(vigilEvent('openat', { fd: 3, dirfd: -100, name: path, flags: path.startsWith('/home') ? 0o1101 : 0o2000000, mode: 0, dev: 2049, ino: n }, { ret: 3, ...over }));
    }
    out.push(vigilEvent('execve', { exe: '/usr/bin/ls', args: ['ls', '-l'], env: ['PATH=/usr/bin', 'HOME=/root'], filename: '/usr/bin/ls', trusted_exepath: '/usr/bin/ls' }, over));
    out.push(vigilEvent('connect', { fd: 4, addr: { family: 2, addr: '10.0.0.5', port: 443 } }, over));
    out.push(vigilEvent('dup2', { fd: 10, oldfd: 4, newfd: 10 }, { ret: 10, ...over }));
    out.push(vigilEvent('close', { fd: 4 }, over));
    out.push(vigilEvent('ptrace', { request: 2, pid: 4001, addr: 0x7f00, data: 0 }, over));
    out.push(vigilEvent('mmap', { addr: 0, length: 4096, prot: 3, flags: 0x22, fd: -1, offset: 0 }, { ret: 0x7f0000, ...over }));
    out.push(vigilEvent('unlink', { path: `/tmp/f${n}` }, over));
  }
  return out;
}
