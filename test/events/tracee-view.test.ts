import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { EVENTS, eventByName, type ParamKind } from '../../src/events/event-table.js';
import { traceeArg, type TraceeEvent } from '../../src/events/tracee-event.js';
import { containerIdOf, traceeEventsOf, traceeOpenFlags, TraceeView, vigilEventsFor } from '../../src/events/tracee-view.js';

const CID = 'ab'.repeat(32);

function vigil(name: string, args: Record<string, ArgValue>, over: Partial<VigilEvent> = {}): VigilEvent {
  return {
    id: eventByName(name)?.id ?? 0, name, ts: 1_700_000_000_000_000_000n, cpu: 1, pid: 500, tid: 500, ppid: 1, vpid: 500, vtid: 500,
    vppid: 1, uid: 0, gid: 0, loginuid: 0, comm: 'proc', tty: 0, mntns: 4026531840, pidns: 4026531836, cgroupId: 1, cgroup: '/',
    ret: 0, args, ...over,
  };
}

const view = () => new TraceeView({ hostName: 'testhost' });
const names = (events: TraceeEvent[]) => events.map((e) => e.eventName);
const argOf = (e: TraceeEvent | undefined, name: string) => (e === undefined ? undefined : traceeArg(e, name)?.value);

describe('TraceeView', () => {
  it('fills the process fields, host and container ids', () => {
    const [host] = view().toTracee(vigil('close', { fd: 3 }));
    assert.equal(host!.hostName, 'testhost');
    assert.equal(host!.containerId, '');
    assert.equal(host!.eventId, '3');
    assert.equal(host!.processName, 'proc');
    const [inside] = view().toTracee(vigil('close', { fd: 3 }, { cgroup: `/system.slice/docker-${CID}.scope`, vpid: 7 }));
    assert.equal(inside!.containerId, CID);
    assert.equal(inside!.hostName, CID.slice(0, 12));
    assert.equal(inside!.processId, 7);
    assert.equal(inside!.hostProcessId, 500);
  });

  it('derives security_file_open from a successful open, with Tracee flag text', () => {
    const events = view().toTracee(vigil('openat', { fd: 3, dirfd: -100, name: '/etc/ld.so.preload', flags: 0o1 | 0o100, mode: 0o644, dev: 2049, ino: 77 }, { ret: 3 }));
    assert.deepEqual(names(events), ['openat', 'security_file_open']);
    const sfo = events[1]!;
    assert.equal(sfo.eventId, '1018');
    assert.equal(argOf(sfo, 'pathname'), '/etc/ld.so.preload');
    assert.equal(argOf(sfo, 'flags'), 'O_WRONLY|O_CREAT');
    assert.equal(argOf(sfo, 'inode'), 77);
    assert.equal(argOf(sfo, 'syscall'), 'openat');
    assert.deepEqual(names(view().toTracee(vigil('openat', { name: '/x', flags: 0 }, { ret: -2 }))), ['openat']);
    assert.equal(argOf(view().toTracee(vigil('creat', { name: '/x', mode: 0 }, { ret: 3 }))[1], 'flags'), 'O_WRONLY|O_CREAT|O_TRUNC');
  });

  it('orders open flags access mode first', () => {
    assert.equal(traceeOpenFlags(0), 'O_RDONLY');
    assert.match(traceeOpenFlags(0o2 | 0o2000000), /^O_RDWR\|/);
  });

  it('derives sched_process_exec and security_bprm_check from a successful execve', () => {
    const events = view().toTracee(vigil('execve', { exe: 'bash', args: ['-c', 'id'], env: ['LD_PRELOAD=/x.so'], filename: '/bin/bash', trusted_exepath: '/usr/bin/bash', exe_ino: 9 }));
    assert.deepEqual(names(events), ['execve', 'sched_process_exec', 'security_bprm_check']);
    assert.deepEqual(argOf(events[0], 'argv'), ['bash', '-c', 'id']);
    assert.deepEqual(argOf(events[0], 'envp'), ['LD_PRELOAD=/x.so']);
    assert.equal(argOf(events[1], 'pathname'), '/usr/bin/bash');
    assert.equal(argOf(events[1], 'cmdpath'), '/bin/bash');
    assert.equal(argOf(events[2], 'pathname'), '/usr/bin/bash');
    const memfd = view().toTracee(vigil('execve', { exe: 'x', filename: '/proc/self/fd/3', trusted_exepath: '/memfd:payload (deleted)' }));
    assert.equal(argOf(memfd[1], 'pathname'), 'memfd:payload');
    assert.deepEqual(names(view().toTracee(vigil('execve', { filename: '/nope' }, { ret: -2 }))), ['execve']);
  });

  it('derives security_socket_connect with a string-map address', () => {
    const events = view().toTracee(vigil('connect', { fd: 0, addr: { family: 2, addr: '10.0.0.1', port: 4444 } }));
    assert.deepEqual(names(events), ['connect', 'security_socket_connect']);
    assert.deepEqual(argOf(events[1], 'remote_addr'), { sa_family: 'AF_INET', sin_port: '4444', sin_addr: '10.0.0.1' });
    assert.equal(argOf(events[1], 'sockfd'), 0);
    const refused = view().toTracee(vigil('connect', { fd: 3, addr: { family: 10, addr: '::1', port: 80 } }, { ret: -111 }));
    assert.equal((argOf(refused[1], 'remote_addr') as Record<string, string>).sin6_addr, '::1');
    assert.deepEqual(names(view().toTracee(vigil('connect', { fd: 3, addr: { family: 2, addr: '1.1.1.1', port: 1 } }, { ret: -9 }))), ['connect']);
  });

  it('names ptrace requests and writes pointers as hex', () => {
    const [e] = view().toTracee(vigil('ptrace', { request: 0, pid: 0, addr: 4096, data: 0 }));
    assert.equal(argOf(e, 'request'), 'PTRACE_TRACEME');
    assert.equal(traceeArg(e!, 'request')!.type, 'string');
    assert.equal(argOf(e, 'addr'), '0x1000');
  });

  it('maps module loading, mounts, process_vm_writev, dup and exit', () => {
    assert.deepEqual(names(view().toTracee(vigil('init_module', { length: 10, uargs: '' }))), ['init_module']);
    const finit = new TraceeView({ hostName: 'h', resolveFd: () => '/tmp/m.ko' }).toTracee(vigil('finit_module', { fd: 3, uargs: '', flags: 0 }));
    assert.deepEqual(names(finit), ['finit_module', 'security_kernel_read_file']);
    assert.equal(argOf(finit[1], 'type'), 'kernel-module');
    assert.equal(argOf(finit[1], 'pathname'), '/tmp/m.ko');
    const mount = view().toTracee(vigil('mount', { dev: '/dev/sda1', dir: '/mnt', type: 'ext4', flags: 0 }));
    assert.deepEqual(names(mount), ['mount', 'security_sb_mount']);
    assert.equal(argOf(mount[1], 'dev_name'), '/dev/sda1');
    assert.equal(argOf(view().toTracee(vigil('process_vm_writev', { pid: 42, liovcnt: 1, riovcnt: 1, flags: 0 }))[0], 'pid'), 42);
    const [dup] = view().toTracee(vigil('dup', { fd: 1, oldfd: 3 }, { ret: 1 }));
    assert.equal(argOf(dup, 'oldfd'), 3);
    assert.equal(dup!.returnValue, 1);
    assert.equal(argOf(view().toTracee(vigil('dup2', { fd: 0, oldfd: 3, newfd: 0 }))[0], 'newfd'), 0);
    const [exit] = view().toTracee(vigil('procexit', { status: 0 }));
    assert.equal(exit!.eventName, 'sched_process_exit');
    assert.equal(argOf(exit, 'process_group_exit'), true);
  });

  it('derives mem_prot_alert from W+E mappings and protection changes it saw', () => {
    const v = view();
    const mapped = v.toTracee(vigil('mmap', { addr: 0, length: 4096, prot: 7, flags: 0x22, fd: -1, offset: 0 }, { ret: 0x7000 }));
    assert.deepEqual(names(mapped), ['mmap', 'mem_prot_alert']);
    assert.equal(argOf(mapped[1], 'alert'), 'Mmaped region with W+E permissions!');
    const sealed = v.toTracee(vigil('mprotect', { addr: 0x7000, length: 4096, prot: 5 }));
    assert.equal(argOf(sealed[1], 'alert'), 'Protection changed from W+E to E!');
    const reopened = v.toTracee(vigil('mprotect', { addr: 0x7000, length: 4096, prot: 7 }));
    assert.equal(argOf(reopened[1], 'alert'), 'Protection changed from E to W+E!');
    assert.deepEqual(names(v.toTracee(vigil('mprotect', { addr: 0x9000, length: 4096, prot: 5 }))), ['mprotect']);
  });

  it('passes other events through with their vigil argument names', () => {
    const [e] = view().toTracee(vigil('unlink', { path: '/tmp/x' }));
    assert.equal(e!.eventName, 'unlink');
    assert.equal(e!.eventId, '87');
    assert.deepEqual(e!.args, [{ name: 'path', type: 'const char*', value: '/tmp/x' }]);
  });

  it('finds container ids in cgroup paths', () => {
    assert.equal(containerIdOf(`/docker/${CID}`), CID);
    assert.equal(containerIdOf(`/kubepods/besteffort/pod1/cri-containerd-${CID}.scope`), CID);
    assert.equal(containerIdOf('/user.slice'), '');
  });
});

describe('traceeEventsOf / vigilEventsFor (the table of the mapping)', () => {
  const sample: Partial<Record<ParamKind, ArgValue>> = { sockaddr: { family: 2, addr: '10.0.0.1', port: 443 }, str: 'x', path: '/x', relpath: 'x', strlist: ['x'], bytes: new Uint8Array(1) };
  /** A successful event of every type, with every argument, so each derivation can happen. */
  function successful(name: string): VigilEvent {
    const args: Record<string, ArgValue> = {};
    for (const p of eventByName(name)!.params) args[p.name] = sample[p.kind] ?? 3;
    if (name === 'mmap') Object.assign(args, { prot: 6 });
    if (name === 'mprotect') Object.assign(args, { addr: 4096, prot: 4 });
    return vigil(name, args, { ret: name === 'mmap' ? 4096 : name.startsWith('exec') ? 0 : 3 });
  }

  it('names every Tracee event toTracee gives, and toTracee gives every one it names', () => {
    const v = view();
    for (const e of EVENTS) {
      const given = names(v.toTracee(successful(e.name)));
      assert.deepEqual(given, [...traceeEventsOf(e.name)], e.name);
    }
  });

  it('maps Tracee names back to their vigil events', () => {
    assert.deepEqual(vigilEventsFor('security_file_open'), ['open', 'openat', 'openat2', 'creat']);
    assert.deepEqual(vigilEventsFor('sched_process_exit'), ['procexit']);
    assert.deepEqual(vigilEventsFor('execve'), ['execve']);
    assert.deepEqual(vigilEventsFor('magic_write'), []);
    assert.deepEqual(vigilEventsFor('write'), []);
    assert.equal(vigilEventsFor('procexit'), undefined, 'vigil names are not Tracee names');
    assert.equal(vigilEventsFor('no_such_event'), undefined);
  });
});
