/**
 * The mixed Tracee event corpus the signature benches share: 100 rounds of typical activity (file opens,
 * execs, connects, dup2/close, ptrace, mem_prot_alert, container token reads, magic_write, mounts, module
 * reads, exits, and read/write that no signature selects), a few percent of which are detections.
 */
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
