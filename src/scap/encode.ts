import type { ArgValue, SockAddr, VigilEvent } from '../events/event.js';
import { CLONE_THREAD } from '../events/flags.js';
import type { ContainerInfo, FdInfo, GroupInfo, UserInfo } from '../state/types.js';
import { containerToJson } from './containers.js';
import { BLOCK, MACHINE_INFO_SIZE, SCAP_FD, SCAP_II, SCAP_MAJOR, SCAP_MINOR, SHB_BLOCK_TYPE, SHB_MAGIC, USERBLOCK_TYPE_GROUP, USERBLOCK_TYPE_USER } from './format.js';
import { CONTAINER_JSON_EVENT, writerPairFor, type LibsEvent, type LibsParam } from './libs-events.js';
import { openFlagsToPpm, PPM_CODECS } from './ppm-flags.js';
import { encodeParam, ipv4Bytes, joinNul, type RawParam, type SockTuple } from './params.js';
import type { InterfaceInfo, MachineInfo, SeedThread } from './seed.js';
import { containerCgroup } from './seed.js';
import { ThreadTracker, type CodecThread } from './threads.js';

/**
 * Encoding of capture blocks. The choice of block versions is what Debian's sysdig 0.29.3 and
 * current libs both read: section header 1.2, machine info, interface list v2 (libscap rewrites
 * a v1 list with wrong lengths when it saves a capture it read: `sysdig -r … -w`), user list v2,
 * process list v9 with the pre-0.10 tail (loginuid, exe_writable, capabilities), fd list v2 and
 * event blocks v2 (header with nparams, u16 param lengths). Events are written as libs' enter/exit
 * pairs, exit params in current libs' order (older readers ignore the params past their table).
 */

export interface CaptureSnapshot {
  machine?: MachineInfo;
  interfaces?: InterfaceInfo[];
  threads: SeedThread[];
  /** Open fds per process id. */
  fds: { pid: number; fd: FdInfo }[];
  users?: UserInfo[];
  groups?: GroupInfo[];
  /** Container metadata, saved as libsinsp saves its container table: one JSON event each, ahead of the syscalls. */
  containers?: ContainerInfo[];
}

/** A block of `type` around `body`: header, body padded to 4 bytes, trailing length. */
export function encodeBlock(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const total = 8 + body.length + pad + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(total, 4);
  body.copy(out, 8);
  out.writeUInt32LE(total, total - 4);
  return out;
}

/** A little-endian byte builder for block bodies. */
class Body {
  private readonly parts: Buffer[] = [];
  private length = 0;

  private push(b: Buffer): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  u8(v: number): this { return this.push(Buffer.from([v & 0xff])); }
  u16(v: number): this { const b = Buffer.alloc(2); b.writeUInt16LE(v & 0xffff); return this.push(b); }
  u32(v: number): this { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return this.push(b); }
  i64(v: number | bigint): this { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt.asIntN(64, BigInt(v))); return this.push(b); }
  raw(b: Buffer): this { return this.push(b); }
  lbytes(b: Buffer): this { return this.u16(b.length).push(b); }
  get size(): number { return this.length; }
  build(): Buffer { return Buffer.concat(this.parts, this.length); }
}

/**
 * Length bounds of libscap's list readers (scap_limits.h): a longer string makes sysdig refuse the
 * whole file ("invalid argslen"), so the writer truncates as libscap's own /proc scan does.
 */
const MAX_PATH = 1024 - 1;
const MAX_ARGS = 4096 - 1;
const MAX_CREDENTIAL = 256 - 1;

function capped(bytes: Buffer, max: number): Buffer {
  return bytes.length > max ? bytes.subarray(0, max) : bytes;
}

function cappedStr(s: string, max: number): Buffer {
  return capped(Buffer.from(s, 'utf8'), max);
}

/** One entry with a u32 length prefix that counts itself (process, fd and user list v2+ entries). */
function sized(fill: (b: Body) => void): Buffer {
  const inner = new Body();
  fill(inner);
  return new Body().u32(inner.size + 4).raw(inner.build()).build();
}

export function encodeSectionHeader(): Buffer {
  return encodeBlock(SHB_BLOCK_TYPE, new Body().u32(SHB_MAGIC).u16(SCAP_MAJOR).u16(SCAP_MINOR).i64(-1).build());
}

export function encodeMachineInfo(m: MachineInfo): Buffer {
  const body = Buffer.alloc(MACHINE_INFO_SIZE);
  body.writeUInt32LE(m.numCpus, 0);
  body.writeBigUInt64LE(BigInt(m.memoryBytes), 4);
  body.writeBigUInt64LE(BigInt(m.maxEventSize), 12);
  body.write(m.hostname.slice(0, 127), 20, 'utf8');
  return encodeBlock(BLOCK.MI, body);
}

export function encodeInterfaces(list: readonly InterfaceInfo[]): Buffer {
  const b = new Body();
  for (const i of list.filter((x) => x.family === 2)) {
    const name = Buffer.from(i.name, 'utf8');
    const addr = ipv4Bytes(i.addr);
    const mask = ipv4Bytes(i.netmask);
    const bcast = Buffer.from(addr.map((byte, k) => byte | (~mask[k]! & 255)));
    const entry = new Body().u16(SCAP_II.IPV4).u16(name.length).raw(addr).raw(mask).raw(bcast).i64(0).raw(name).build();
    // v2 entries carry their length, not counting the length field itself (unlike the other lists).
    b.u32(entry.length).raw(entry);
  }
  return encodeBlock(BLOCK.IL_V2, b.build());
}

export function encodeUsers(users: readonly UserInfo[], groups: readonly GroupInfo[]): Buffer {
  const b = new Body();
  const str = (s: string): Buffer => cappedStr(s, MAX_CREDENTIAL);
  for (const u of users) b.raw(sized((e) => e.u8(USERBLOCK_TYPE_USER).u32(u.uid).u32(u.gid).lbytes(str(u.name)).lbytes(str(u.home)).lbytes(str(u.shell))));
  for (const g of groups) b.raw(sized((e) => e.u8(USERBLOCK_TYPE_GROUP).u32(g.gid).lbytes(str(g.name))));
  return encodeBlock(BLOCK.UL_V2, b.build());
}

export function encodeThreads(threads: readonly SeedThread[]): Buffer {
  const b = new Body();
  for (const t of threads) {
    b.raw(sized((e) => {
      const path = (s: string): Buffer => cappedStr(s, MAX_PATH);
      const list = (items: readonly string[]): Buffer => capped(joinNul(items), MAX_ARGS);
      e.i64(t.tid).i64(t.pid).i64(t.ptid).i64(t.sid).i64(t.vpgid).lbytes(path(t.comm)).lbytes(path(t.exe)).lbytes(path(t.exepath));
      e.lbytes(list(t.args)).lbytes(path(t.cwd)).i64(t.fdlimit).u32(0).u32(t.uid).u32(t.gid);
      e.u32(0).u32(0).u32(0).i64(0).i64(0).lbytes(list(t.env)).i64(t.vtid).i64(t.vpid);
      e.lbytes(list(t.cgroups)).lbytes(path(t.root));
      // The 29-byte tail both pre- and post-0.10 readers agree on.
      e.u32(t.loginuid).u8(t.execFlags & 1).i64(t.capInheritable).i64(t.capPermitted).i64(t.capEffective);
    }));
  }
  return encodeBlock(BLOCK.PL_V9, b.build());
}

const L4_CODE: Record<string, number> = { tcp: 2, udp: 3, icmp: 4, raw: 5 };
const FD_TYPE_CODE: Record<string, number> = {
  directory: SCAP_FD.DIRECTORY, pipe: SCAP_FD.FIFO, event: SCAP_FD.EVENT, signalfd: SCAP_FD.SIGNALFD,
  eventpoll: SCAP_FD.EVENTPOLL, inotify: SCAP_FD.INOTIFY, timerfd: SCAP_FD.TIMERFD, netlink: SCAP_FD.NETLINK,
  unknown: SCAP_FD.UNSUPPORTED,
  // bpf, userfaultfd, io_uring, memfd and pidfd have codes (17–21) sysdig 0.29.3 rejects as corrupt;
  // they are written as unsupported, with their name.
};

function encodeFd(fd: FdInfo): Buffer {
  return sized((e) => {
    e.i64(fd.num).i64(fd.ino ?? 0);
    if (fd.type === 'file') {
      e.u8(SCAP_FD.FILE_V2).u32(openFlagsToPpm(fd.openFlags)).lbytes(cappedStr(fd.name, MAX_PATH)).u32(fd.dev ?? 0);
    } else if (fd.type === 'ipv4' && fd.cip !== undefined) {
      e.u8(SCAP_FD.IPV4_SOCK).raw(ipv4Bytes(fd.cip)).raw(ipv4Bytes(fd.sip ?? '0.0.0.0')).u16(fd.cport ?? 0).u16(fd.sport ?? 0).u8(L4_CODE[fd.l4proto ?? ''] ?? 0);
    } else if (fd.type === 'ipv4') {
      e.u8(SCAP_FD.IPV4_SERVSOCK).raw(ipv4Bytes(fd.sip ?? '0.0.0.0')).u16(fd.sport ?? 0).u8(L4_CODE[fd.l4proto ?? ''] ?? 0);
    } else if (fd.type === 'unix') {
      e.u8(SCAP_FD.UNIX_SOCK).i64(0).i64(0).lbytes(cappedStr(fd.name, MAX_PATH));
    } else {
      e.u8(FD_TYPE_CODE[fd.type] ?? SCAP_FD.UNSUPPORTED).lbytes(cappedStr(fd.name, MAX_PATH));
    }
  });
}

export function encodeFdList(tid: number, fds: readonly FdInfo[]): Buffer {
  const b = new Body().i64(tid);
  for (const fd of fds) b.raw(encodeFd(fd));
  return encodeBlock(BLOCK.FDL_V2, b.build());
}

/** PPME_CONTAINER_JSON_E: one container's metadata (tid -1, as libsinsp writes it; at its start time when known). */
export function encodeContainerEvent(info: ContainerInfo): Buffer {
  return encodeEventBlock(CONTAINER_JSON_EVENT, info.startTs ?? 0n, -1, 0, [encodeParam('str', containerToJson(info))]);
}

/** One EV_V2 block: cpu id, event header with nparams, u16 param lengths, params. */
export function encodeEventBlock(id: number, ts: bigint, tid: number, cpu: number, params: readonly Buffer[]): Buffer {
  const headerLen = 26 + params.length * 2;
  const evtLen = headerLen + params.reduce((n, p) => n + p.length, 0);
  const body = Buffer.alloc(2 + evtLen);
  body.writeUInt16LE(cpu, 0);
  body.writeBigUInt64LE(ts, 2);
  body.writeBigInt64LE(BigInt(tid), 10);
  body.writeUInt32LE(evtLen, 18);
  body.writeUInt16LE(id, 22);
  body.writeUInt32LE(params.length, 24);
  let at = 28 + params.length * 2;
  params.forEach((p, i) => {
    body.writeUInt16LE(p.length, 28 + i * 2);
    p.copy(body, at);
    at += p.length;
  });
  return encodeBlock(BLOCK.EV_V2, body);
}

const NUMERIC = new Set(['i64', 'u64', 'i32', 'u32', 'u16', 'u8', 'dyn']);
const CLONE_FAMILY = new Set(['clone', 'clone3', 'fork', 'vfork']);
const OUTBOUND = new Set(['connect', 'sendto', 'sendmsg']);
const INBOUND = new Set(['accept', 'accept4', 'recvfrom', 'recvmsg']);

function asAddr(v: ArgValue | undefined): SockAddr | undefined {
  return v && typeof v === 'object' && 'family' in v ? v : undefined;
}

/**
 * Turns VigilEvents into libs event blocks. It keeps a codec thread tracker (seeded from the
 * snapshot) because libs clone/execve exits carry the caller's exe, args, cwd and cgroups.
 */
export class ScapEventEncoder {
  private readonly threads = new ThreadTracker();
  /** Events with no libs mapping, left out of the capture. */
  skipped = 0;

  constructor(snapshot: readonly SeedThread[]) {
    for (const t of snapshot) this.threads.seed(t);
  }

  encode(evt: VigilEvent): Buffer | undefined {
    const pair = writerPairFor(evt.name);
    if (!pair) {
      this.skipped++;
      return undefined;
    }
    const t = this.threads.thread(evt.tid);
    this.refreshFromHeader(t, evt);
    const blocks: Buffer[] = [];
    // A clone child's return has no enter event of its own: only the parent entered the syscall.
    const childReturn = evt.ret === 0 && CLONE_FAMILY.has(evt.name);
    if (pair.enter && !childReturn) blocks.push(this.encodeOne(pair.enter, evt, t, evt.ts - 1n));
    blocks.push(this.encodeOne(pair.exit, evt, t, evt.ts));
    this.track(evt, t);
    return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
  }

  private encodeOne(def: LibsEvent, evt: VigilEvent, t: CodecThread, ts: bigint): Buffer {
    const params = def.params.map((p) => {
      let v = this.value(p, def, evt, t);
      if (p.codec && typeof v === 'number') v = PPM_CODECS[p.codec].toPpm(v);
      if ((v === null || v === undefined) && NUMERIC.has(p.type)) v = 0;
      return encodeParam(p.type, v);
    });
    return encodeEventBlock(def.id, ts, evt.tid, evt.cpu, params);
  }

  private cgroups(t: CodecThread, evt: VigilEvent): Buffer {
    if (t.cgroups.length && containerCgroup(t.cgroups) === evt.cgroup) return joinNul(t.cgroups);
    const path = evt.cgroup || '/';
    return joinNul(['cpuset', 'cpu', 'memory', 'pids'].map((s) => `${s}=${path}`));
  }

  private value(p: LibsParam, def: LibsEvent, evt: VigilEvent, t: CodecThread): RawParam | bigint | undefined {
    const a = evt.args;
    const name = p.name;
    const isExec = evt.name === 'execve' || evt.name === 'execveat';
    const isClone = CLONE_FAMILY.has(evt.name);
    if (name === 'res') return evt.ret;
    if (name === 'fd' && def.dir === 'exit' && def.params[0] === p) return evt.ret;
    if (isExec || isClone) {
      switch (name) {
        case 'exe': return (a.exe as string | undefined) ?? t.exe;
        case 'args': return joinNul((a.args as string[] | undefined) ?? t.args);
        case 'env': return joinNul((a.env as string[] | undefined) ?? t.env);
        case 'cwd': return (a.cwd as string | undefined) ?? t.cwd;
        case 'comm': return (a.comm as string | undefined) ?? evt.comm;
        case 'tid': return evt.tid;
        case 'pid': return evt.pid;
        case 'ptid': return evt.ppid;
        case 'fdlimit': return t.fdlimit || 1024;
        case 'cgroups': return this.cgroups(t, evt);
        case 'uid': return (a.uid as number | undefined) ?? evt.uid;
        case 'gid': return (a.gid as number | undefined) ?? evt.gid;
        case 'loginuid': return ((a.loginuid as number | undefined) ?? evt.loginuid) | 0;
        case 'tty': return (a.tty as number | undefined) ?? evt.tty;
        case 'vpgid': return (a.pgid as number | undefined) ?? 0;
        case 'vtid': return evt.vtid;
        case 'vpid': return evt.vpid;
        case 'flags': return (a.flags as number | undefined) ?? 0;
      }
    }
    if (name === 'tuple') {
      const remote = asAddr(a.addr);
      const local = asAddr(a.local) ?? (remote ? { family: remote.family } : undefined);
      if (!remote || !local) return null;
      const tuple: SockTuple = INBOUND.has(evt.name) ? { src: remote, dst: local } : { src: local, dst: remote };
      return OUTBOUND.has(evt.name) || INBOUND.has(evt.name) ? tuple : null;
    }
    if (evt.name === 'procexit') {
      if (name === 'status') return (a.status as number | undefined) ?? 0;
      if (name === 'ret') return (a.status as number | undefined) ?? 0;
    }
    const v = a[name];
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return joinNul(v as string[]);
    return v as RawParam;
  }

  private refreshFromHeader(t: CodecThread, evt: VigilEvent): void {
    t.pid = evt.pid;
    t.vtid = evt.vtid;
    t.vpid = evt.vpid;
    t.uid = evt.uid;
    t.gid = evt.gid;
    t.loginuid = evt.loginuid;
    t.tty = evt.tty;
    if (evt.cgroup !== t.cgroup) {
      t.cgroup = evt.cgroup;
      t.cgroups = [];
    }
  }

  private track(evt: VigilEvent, t: CodecThread): void {
    const a = evt.args;
    if ((evt.name === 'execve' || evt.name === 'execveat') && evt.ret === 0) {
      t.exe = (a.exe as string | undefined) ?? t.exe;
      t.args = (a.args as string[] | undefined) ?? t.args;
      t.env = (a.env as string[] | undefined) ?? t.env;
      t.cwd = (a.cwd as string | undefined) ?? t.cwd;
      t.comm = (a.comm as string | undefined) ?? evt.comm;
    } else if (CLONE_FAMILY.has(evt.name) && evt.ret > 0 && !this.threads.get(evt.ret)) {
      const flags = (a.flags as number | undefined) ?? 0;
      this.threads.spawn(t, evt.ret, flags & CLONE_THREAD ? t.pid : evt.ret, flags & CLONE_THREAD ? t.ptid : t.tid);
    } else if (evt.name === 'procexit') {
      this.threads.exit(evt.tid, (a.reaper_tid as number | undefined) ?? 0);
    }
  }
}
