/** The generated scap story (test/scap/generate.ts) plus a `docker exec -it … bash`, for the replay tests of the CLI and the daemon. */
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { eventByName } from '../../src/events/event-table.js';
import { encodeContainerEvent, ScapEventEncoder } from '../../src/scap/encode.js';
import { encodeScap, encodeScapHeader } from '../../src/scap/index.js';
import { CONTAINER, CONTAINER_CGROUP, generateCapture } from '../scap/generate.js';

const SHIM = 300;
const EXEC = 402;
const PTS = 34817;

/** `docker exec -it … bash` after the generated story: the shim starts bash inside the container on a terminal, which writes below /etc. */
function dockerExec(after: bigint): VigilEvent[] {
  let ts = after;
  const ev = (tid: number, name: string, ret: number, args: Record<string, ArgValue>, comm: string): VigilEvent => {
    ts += 1000n;
    const container = tid === EXEC;
    return {
      id: eventByName(name)!.id, name, ts, cpu: 0, pid: tid, tid, ppid: container ? SHIM : 1, vpid: container ? 20 : tid, vtid: container ? 20 : tid, vppid: container ? 0 : 1,
      uid: 0, gid: 0, loginuid: 0xffffffff, comm, tty: container ? PTS : 0, mntns: 0, pidns: 0, cgroupId: 0,
      cgroup: container ? CONTAINER_CGROUP : '/system.slice/containerd.service', ret, args,
    };
  };
  const clone = { flags: 0x1200011, child_tid: EXEC, child_pid: EXEC };
  return [
    ev(SHIM, 'clone', EXEC, clone, 'containerd-shim'),
    ev(EXEC, 'clone', 0, clone, 'containerd-shim'),
    ev(EXEC, 'execve', 0, { exe: '/bin/bash', args: [], env: ['PATH=/usr/bin:/bin'], cwd: '/', comm: 'bash', filename: '/bin/bash', flags: 0, uid: 0, gid: 0, loginuid: 0xffffffff, tty: PTS, pgid: EXEC }, 'bash'),
    ev(EXEC, 'openat', 3, { fd: 3, dirfd: -100, name: '/etc/resolv.conf', flags: 0o1101, mode: 0o644, dev: 2050, ino: 9 }, 'bash'),
  ];
}

export const { snapshot } = generateCapture(1);
const { events: story } = generateCapture(1);
export const events = [...story, ...dockerExec(story.at(-1)!.ts)];
export const capture = encodeScap(snapshot, events);
/**
 * The same story with the container announced mid-stream instead of ahead of the syscalls, as when a
 * container starts while the capture records: its metadata event comes just before the container's
 * first event, so every alert names it as in `capture`.
 */
export const lateContainerCapture = ((): Buffer => {
  const encoder = new ScapEventEncoder(snapshot.threads);
  const first = events.findIndex((e) => e.cgroup === CONTAINER_CGROUP);
  const parts = [encodeScapHeader({ ...snapshot, containers: [] })];
  events.forEach((e, i) => {
    if (i === first) parts.push(encodeContainerEvent(CONTAINER));
    const block = encoder.encode(e);
    if (block) parts.push(block);
  });
  return Buffer.concat(parts);
})();

/** Where the last event's block starts: a capture cut after it has every event but the last. */
export const LAST_BLOCK = encodeScap(snapshot, events.slice(0, -1)).length;

/** The built-in rules' alerts on the story, in event order (the container's name and image come from the capture's container event). */
export const BUILTIN_ALERTS = [
  '22:13:20.000004000: Warning Sensitive file opened for reading (user=root command=cat /etc/shadow file=/etc/shadow parent=bash container_id=host image=<NA>)',
  '22:13:20.000010000: Error File below /etc opened for writing (user=root command=cat /etc/shadow file=/etc/hosts parent=bash container_id=host image=<NA>)',
  '22:13:20.000070000: Warning Sensitive file opened for reading (user=root command=cat /etc/shadow file=/etc/sudoers parent=systemd container_id=host image=<NA>)',
  '22:13:20.000075000: Notice A shell was spawned in a container with an attached terminal (user=root container_id=c0ffee123456 container_name=web-1 image=registry.example/web/nginx:1.25 shell=bash parent=containerd-shim cmdline=bash terminal=34817)',
  '22:13:20.000076000: Error File below /etc opened for writing (user=root command=bash file=/etc/resolv.conf parent=containerd-shim container_id=c0ffee123456 image=registry.example/web/nginx)',
];

export const falcoLines = (out: string): string[] => out.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{9}: /.test(l));
