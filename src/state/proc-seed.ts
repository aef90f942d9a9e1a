import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { FdTable } from './fd-table.js';
import type { SocketFdInfo } from './fd-events.js';
import type { FdInfo, FdType, ThreadInfo } from './types.js';

/**
 * Bootstraps the tables from /proc: every running process (and its threads) with the facts the
 * fields read, so processes started before vigil have names, ancestry and open fds. Sockets are
 * matched to /proc/net/{tcp,tcp6,udp,udp6,unix} by inode (the host's network namespace only).
 * A process that disappears while being read is skipped.
 */

const CLOCK_TICKS_PER_SEC = 100n; // USER_HZ, 100 on every Linux architecture vigil runs on

export interface ProcSeedOptions {
  /** Container id for the text of /proc/<pid>/cgroup. */
  containerIdOf: (cgroup: string) => string;
  /** Read each process's open fds (default true). */
  fds?: boolean;
}

export function readProcThreads(root: string, options: ProcSeedOptions): ThreadInfo[] {
  const bootNs = bootTimeNs(root);
  const sockets = options.fds === false ? new Map<number, SocketFacts>() : readSockets(root);
  const threads: ThreadInfo[] = [];
  for (const name of safeReaddir(root)) {
    if (!/^\d+$/.test(name)) continue;
    const main = readProcess(`${root}/${name}`, Number(name), bootNs, options, sockets);
    if (!main) continue;
    threads.push(main);
    for (const task of safeReaddir(`${root}/${name}/task`)) {
      const tid = Number(task);
      if (!Number.isInteger(tid) || tid === main.tid) continue;
      const comm = readText(`${root}/${name}/task/${task}/comm`)?.trimEnd();
      const status = parseStatus(readText(`${root}/${name}/task/${task}/status`) ?? '');
      threads.push({ ...main, tid, vtid: lastNumber(status.NSpid) ?? tid, comm: comm ?? main.comm });
    }
  }
  return threads;
}

function readProcess(dir: string, pid: number, bootNs: bigint, options: ProcSeedOptions, sockets: Map<number, SocketFacts>): ThreadInfo | undefined {
  const statText = readText(`${dir}/stat`);
  if (statText === undefined) return undefined;
  const stat = parseStat(statText);
  if (!stat) return undefined;
  const status = parseStatus(readText(`${dir}/status`) ?? '');
  const argv = splitNul(readText(`${dir}/cmdline`) ?? '');
  const cgroup = readText(`${dir}/cgroup`) ?? '';
  const loginuid = Number(readText(`${dir}/loginuid`) ?? NaN);
  const uids = numbers(status.Uid);
  const gids = numbers(status.Gid);
  return {
    tid: pid,
    pid,
    ptid: stat.ppid,
    vtid: lastNumber(status.NSpid) ?? pid,
    vpid: lastNumber(status.NStgid) ?? pid,
    sid: lastNumber(status.NSsid) ?? stat.session,
    vpgid: lastNumber(status.NSpgid) ?? stat.pgrp,
    comm: (readText(`${dir}/comm`) ?? stat.comm).trimEnd(),
    exe: argv[0] ?? '',
    exepath: readLink(`${dir}/exe`) ?? '',
    args: argv.slice(1),
    env: splitNul(readText(`${dir}/environ`) ?? ''),
    cwd: readLink(`${dir}/cwd`) ?? '',
    tty: stat.ttyNr,
    uid: uids[1] ?? uids[0] ?? 0,
    gid: gids[1] ?? gids[0] ?? 0,
    loginuid: Number.isInteger(loginuid) ? loginuid : 0xffffffff,
    capInheritable: hexBig(status.CapInh),
    capPermitted: hexBig(status.CapPrm),
    capEffective: hexBig(status.CapEff),
    execFlags: 0,
    exeIno: 0,
    exeInoCtime: 0n,
    exeInoMtime: 0n,
    cloneTs: bootNs + (stat.startTicks * 1_000_000_000n) / CLOCK_TICKS_PER_SEC,
    containerId: options.containerIdOf(cgroup),
    cgroup: cgroupPath(cgroup),
    mntns: nsInode(`${dir}/ns/mnt`),
    pidns: nsInode(`${dir}/ns/pid`),
    fds: options.fds === false ? new FdTable() : readFds(dir, sockets),
  };
}

interface Stat {
  comm: string;
  ppid: number;
  pgrp: number;
  session: number;
  ttyNr: number;
  startTicks: bigint;
}

/** /proc/<pid>/stat: the comm is in parentheses and may itself contain ') '. */
export function parseStat(text: string): Stat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const f = text.slice(close + 2).split(' ');
  // after the comm: state(0) ppid(1) pgrp(2) session(3) tty_nr(4) … starttime(19)
  if (f.length < 20) return undefined;
  return {
    comm: text.slice(open + 1, close),
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    session: Number(f[3]),
    ttyNr: Number(f[4]),
    startTicks: BigInt(f[19]!),
  };
}

function parseStatus(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return out;
}

const FD_LINK_TYPES: readonly [prefix: string, type: FdType][] = [
  ['pipe:', 'pipe'],
  ['anon_inode:[eventfd]', 'event'],
  ['anon_inode:[eventpoll]', 'eventpoll'],
  ['anon_inode:inotify', 'inotify'],
  ['anon_inode:[signalfd]', 'signalfd'],
  ['anon_inode:[timerfd]', 'timerfd'],
  ['anon_inode:bpf', 'bpf'],
  ['anon_inode:[userfaultfd]', 'userfaultfd'],
  ['anon_inode:[io_uring]', 'io_uring'],
  ['anon_inode:[pidfd]', 'pidfd'],
  ['/memfd:', 'memfd'],
];

function readFds(dir: string, sockets: Map<number, SocketFacts>): FdTable {
  const table = new FdTable();
  for (const name of safeReaddir(`${dir}/fd`)) {
    const num = Number(name);
    const link = readLink(`${dir}/fd/${name}`);
    if (link === undefined || !Number.isInteger(num)) continue;
    const flags = parseInt(/flags:\s*(\d+)/.exec(readText(`${dir}/fdinfo/${name}`) ?? '')?.[1] ?? '0', 8);
    table.set(fdFromLink(num, link, flags, sockets));
  }
  return table;
}

export function fdFromLink(num: number, link: string, openFlags: number, sockets: Map<number, SocketFacts>): FdInfo {
  const socket = /^socket:\[(\d+)\]$/.exec(link);
  if (socket) {
    const facts = sockets.get(Number(socket[1]));
    const info: SocketFdInfo = { num, type: facts?.type ?? 'unknown', name: facts?.name ?? '', nameRaw: '', openFlags, ...facts?.extra };
    return info;
  }
  for (const [prefix, type] of FD_LINK_TYPES) {
    if (link.startsWith(prefix)) {
      const name = type === 'memfd' ? link.slice(1).replace(/ \(deleted\)$/, '') : link;
      return { num, type, name, nameRaw: name, openFlags };
    }
  }
  const type: FdType = link.startsWith('/') ? 'file' : 'unknown';
  return { num, type, name: link, nameRaw: link, openFlags };
}

export interface SocketFacts {
  type: FdType;
  name: string;
  extra: Partial<SocketFdInfo>;
}

/** Sockets of the host network namespace by inode. */
export function readSockets(root: string): Map<number, SocketFacts> {
  const out = new Map<number, SocketFacts>();
  for (const [file, l4proto, v6] of [['tcp', 'tcp', false], ['tcp6', 'tcp', true], ['udp', 'udp', false], ['udp6', 'udp', true]] as const) {
    const rows = (readText(`${root}/net/${file}`) ?? '').split('\n').slice(1);
    const parsed = rows.map((r) => r.trim().split(/\s+/)).filter((f) => f.length > 9);
    const listening = new Set(parsed.filter((f) => f[3] === '0A').map((f) => f[1]!.split(':')[1]));
    for (const f of parsed) {
      const [localHex, localPortHex] = f[1]!.split(':') as [string, string];
      const [remoteHex, remotePortHex] = f[2]!.split(':') as [string, string];
      const local = { ip: hexToIp(localHex, v6), port: parseInt(localPortHex, 16) };
      const remote = { ip: hexToIp(remoteHex, v6), port: parseInt(remotePortHex, 16) };
      const isServer = f[3] === '0A' || listening.has(localPortHex);
      const [client, server] = isServer ? [remote, local] : [local, remote];
      out.set(Number(f[9]), {
        type: v6 ? 'ipv6' : 'ipv4',
        name: `${client.ip}:${client.port}->${server.ip}:${server.port}`,
        extra: {
          l4proto, family: v6 ? 10 : 2, cip: client.ip, cport: client.port, sip: server.ip, sport: server.port,
          connected: f[3] === '01', role: isServer ? 'server' : 'client',
        },
      });
    }
  }
  for (const row of (readText(`${root}/net/unix`) ?? '').split('\n').slice(1)) {
    const f = row.trim().split(/\s+/);
    if (f.length < 7) continue;
    out.set(Number(f[6]), { type: 'unix', name: f[7] ?? '', extra: { family: 1 } });
  }
  return out;
}

/** /proc/net hex addresses: IPv4 is one little-endian word, IPv6 four of them. */
export function hexToIp(hex: string, v6: boolean): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (!v6) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return compressIpv6(groups);
}

function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function bootTimeNs(root: string): bigint {
  const m = /^btime (\d+)$/m.exec(readText(`${root}/stat`) ?? '');
  return m ? BigInt(m[1]!) * 1_000_000_000n : 0n;
}

/** The cgroup path of the unified (v2) hierarchy, else the first named one. */
function cgroupPath(text: string): string {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const unified = lines.find((l) => l.startsWith('0::'));
  const line = unified ?? lines[0];
  if (!line) return '';
  return line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
}

function nsInode(path: string): number {
  const m = /\[(\d+)\]/.exec(readLink(path) ?? '');
  return m ? Number(m[1]) : 0;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function splitNul(text: string): string[] {
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function numbers(text: string | undefined): number[] {
  return (text ?? '').split(/\s+/).filter(Boolean).map(Number);
}

function lastNumber(text: string | undefined): number | undefined {
  const n = numbers(text);
  return n.length ? n[n.length - 1] : undefined;
}

function hexBig(text: string | undefined): bigint {
  return text && /^[0-9a-fA-F]+$/.test(text) ? BigInt(`0x${text}`) : 0n;
}
