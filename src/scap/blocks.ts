import type { FdInfo, FdType, GroupInfo, UserInfo } from '../state/types.js';
import { EXE_FROM_MEMFD, EXE_UPPER_LAYER, EXE_WRITABLE } from '../events/flags.js';
import { BLOCK, MACHINE_INFO_SIZE, PROCLIST_VERSION, SCAP_FD, SCAP_II, USERBLOCK_TYPE_USER } from './format.js';
import { Cursor } from './cursor.js';
import { openFlagsFromPpm } from './ppm-flags.js';
import { ipv4, ipv6 } from './params.js';
import { containerCgroup, type InterfaceInfo, type MachineInfo, type SeedFd, type SeedThread } from './seed.js';

/**
 * Parsers for the header blocks of a capture (machine info, process, fd, user and interface
 * lists), every version libscap still reads. Each takes the block body in a Cursor and throws
 * ScapFormatError with the offset of the bad byte.
 */

export function parseMachineInfo(c: Cursor): MachineInfo {
  c.need(Math.min(MACHINE_INFO_SIZE, 148), 'machine info');
  const numCpus = c.u32('num_cpus');
  const memoryBytes = Number(c.u64('memory_size_bytes'));
  const maxEventSize = Number(c.u64('max_event_size'));
  const hostname = c.bytes(Math.min(128, c.remaining), 'hostname').toString('utf8').replace(/\0.*$/s, '');
  return { numCpus, memoryBytes, maxEventSize, hostname };
}

/** Fields appended to v9 entries after 0.10 libs; older v9 writers put only these 29 bytes after `root`. */
const PRE_0_10_TAIL = 29;

function parseThread(c: Cursor, version: number): SeedThread {
  const entryStart = c.pos;
  const subLen = version >= 9 ? c.u32('proclist entry length') : 0;
  const tid = c.i64('tid');
  const pid = c.i64('pid');
  const ptid = c.i64('ptid');
  const sid = version >= 6 ? c.i64('sid') : -1;
  const vpgid = version >= 8 ? c.i64('vpgid') : -1;
  const comm = c.lstring('comm', 4096);
  const exe = c.lstring('exe', 4096);
  const exepath = version >= 7 ? c.lstring('exepath', 4096) : '';
  const args = c.lstrings('args');
  const cwd = c.lstring('cwd', 4096);
  const fdlimit = c.i64('fdlimit');
  c.u32('flags');
  const uid = c.u32('uid');
  const gid = c.u32('gid');
  let env: string[] = [];
  let vtid = -1;
  let vpid = -1;
  let cgroups: string[] = [];
  let root = '';
  if (version >= 2) {
    c.bytes(12 + 16, 'vm sizes and page faults');
    if (version >= 3) env = c.lstrings('env');
    if (version >= 4) {
      vtid = c.i64('vtid');
      vpid = c.i64('vpid');
      cgroups = c.lstrings('cgroups');
      if (version >= 5) root = c.lstring('root', 4096);
    }
  }
  const t: SeedThread = {
    tid, pid, ptid, sid, vpgid, comm, exe, exepath, args, env, cwd, fdlimit, uid, gid,
    loginuid: 0xffffffff, vtid, vpid, cgroups, cgroup: containerCgroup(cgroups), root, tty: 0,
    capInheritable: 0n, capPermitted: 0n, capEffective: 0n, execFlags: 0, exeIno: 0,
    exeInoCtime: 0n, exeInoMtime: 0n, pidnsInitStartTs: 0n,
  };
  if (subLen) {
    const end = entryStart + subLen;
    if (end > c.end) c.fail(`proclist entry length ${subLen} runs past the block`, entryStart);
    const room = (n: number): boolean => c.pos + n <= end;
    if (end - c.pos > PRE_0_10_TAIL) {
      if (room(8)) t.pidnsInitStartTs = c.u64('pidns_init_start_ts');
      if (room(4)) t.tty = c.u32('tty');
    }
    if (room(4)) t.loginuid = c.u32('loginuid');
    if (room(1) && c.u8('exe_writable')) t.execFlags |= EXE_WRITABLE;
    if (room(8)) t.capInheritable = c.u64('cap_inheritable');
    if (room(8)) t.capPermitted = c.u64('cap_permitted');
    if (room(8)) t.capEffective = c.u64('cap_effective');
    if (room(1) && c.u8('exe_upper_layer')) t.execFlags |= EXE_UPPER_LAYER;
    if (room(8)) t.exeIno = Number(c.u64('exe_ino'));
    if (room(8)) t.exeInoCtime = c.u64('exe_ino_ctime');
    if (room(8)) t.exeInoMtime = c.u64('exe_ino_mtime');
    if (room(1) && c.u8('exe_from_memfd')) t.execFlags |= EXE_FROM_MEMFD;
    if (c.pos > end) c.fail(`proclist entry read past its length ${subLen}`, entryStart);
    c.pos = end;
  }
  return t;
}

export function parseProcList(c: Cursor, blockType: number): SeedThread[] {
  const version = PROCLIST_VERSION.get(blockType)!;
  const out: SeedThread[] = [];
  while (c.remaining >= 4) out.push(parseThread(c, version));
  return out;
}

const L4: Record<number, string> = { 2: 'tcp', 3: 'udp', 4: 'icmp', 5: 'raw' };

const NAMED_FD_TYPES: Record<number, FdType> = {
  [SCAP_FD.FIFO]: 'pipe', [SCAP_FD.FILE]: 'file', [SCAP_FD.DIRECTORY]: 'directory',
  [SCAP_FD.UNSUPPORTED]: 'unknown', [SCAP_FD.EVENT]: 'event', [SCAP_FD.SIGNALFD]: 'signalfd',
  [SCAP_FD.EVENTPOLL]: 'eventpoll', [SCAP_FD.INOTIFY]: 'inotify', [SCAP_FD.TIMERFD]: 'timerfd',
  [SCAP_FD.NETLINK]: 'netlink', [SCAP_FD.BPF]: 'bpf', [SCAP_FD.USERFAULTFD]: 'userfaultfd',
  [SCAP_FD.IOURING]: 'io_uring', [SCAP_FD.MEMFD]: 'memfd', [SCAP_FD.PIDFD]: 'pidfd',
};

function parseFd(c: Cursor, v2: boolean): FdInfo | undefined {
  const entryStart = c.pos;
  const subLen = v2 ? c.u32('fdlist entry length') : 0;
  const num = c.i64('fd');
  const ino = Number(c.u64('ino'));
  const type = c.u8('fd type');
  let fd: FdInfo | undefined;
  switch (type) {
    case SCAP_FD.IPV4_SOCK:
    case SCAP_FD.IPV6_SOCK: {
      const v6 = type === SCAP_FD.IPV6_SOCK;
      const address = (what: string): string => (v6 ? ipv6(c.bytes(16, what)) : ipv4(c.bytes(4, what)));
      const cip = address('sip');
      const sip = address('dip');
      const cport = c.u16('sport');
      const sport = c.u16('dport');
      const l4 = c.u8('l4proto');
      fd = {
        num, type: v6 ? 'ipv6' : 'ipv4', family: v6 ? 10 : 2, l4proto: L4[l4], cip, cport, sip, sport, connected: true, openFlags: 0, ino,
        name: `${cip}:${cport}->${sip}:${sport}`, nameRaw: '',
      };
      break;
    }
    case SCAP_FD.IPV4_SERVSOCK:
    case SCAP_FD.IPV6_SERVSOCK: {
      const v6 = type === SCAP_FD.IPV6_SERVSOCK;
      const ip = v6 ? ipv6(c.bytes(16, 'ip')) : ipv4(c.bytes(4, 'ip'));
      const port = c.u16('port');
      const l4 = c.u8('l4proto');
      fd = { num, type: v6 ? 'ipv6' : 'ipv4', family: v6 ? 10 : 2, l4proto: L4[l4], sip: ip, sport: port, openFlags: 0, ino, name: `${ip}:${port}`, nameRaw: '' };
      break;
    }
    case SCAP_FD.UNIX_SOCK: {
      c.bytes(16, 'unix socket endpoints');
      const path = c.lstring('unix socket path', 4096);
      fd = { num, type: 'unix', family: 1, openFlags: 0, ino, name: path, nameRaw: path };
      break;
    }
    case SCAP_FD.FILE_V2: {
      const openFlags = openFlagsFromPpm(c.u32('open flags'));
      const name = c.lstring('file name', 4096);
      fd = { num, type: 'file', openFlags, ino, name, nameRaw: name };
      if (subLen && c.pos + 4 <= entryStart + subLen) fd.dev = c.u32('dev');
      break;
    }
    case SCAP_FD.UNKNOWN:
      break;
    default: {
      const named = NAMED_FD_TYPES[type];
      if (named === undefined && !subLen) c.fail(`unknown fd type ${type}`, entryStart + 20);
      if (named !== undefined) {
        const name = c.lstring('fd name', 4096);
        fd = { num, type: named, openFlags: 0, ino, name, nameRaw: name };
      }
    }
  }
  if (subLen) {
    if (c.pos > entryStart + subLen) c.fail(`fdlist entry read past its length ${subLen}`, entryStart);
    c.pos = entryStart + subLen;
  }
  return fd;
}

export function parseFdList(c: Cursor, blockType: number, pidOf: (tid: number) => number): SeedFd[] {
  const tid = c.i64('fdlist tid');
  const pid = pidOf(tid);
  const out: SeedFd[] = [];
  while (c.remaining >= 4) {
    const fd = parseFd(c, blockType === BLOCK.FDL_V2);
    if (fd) out.push({ tid, pid, fd });
  }
  return out;
}

export function parseUserList(c: Cursor, blockType: number): { users: UserInfo[]; groups: GroupInfo[] } {
  const users: UserInfo[] = [];
  const groups: GroupInfo[] = [];
  const v2 = blockType === BLOCK.UL_V2;
  while (c.remaining >= 4) {
    const entryStart = c.pos;
    const subLen = v2 ? c.u32('userlist entry length') : 0;
    if (c.u8('user entry type') === USERBLOCK_TYPE_USER) {
      const uid = c.u32('uid');
      const gid = c.u32('gid');
      users.push({ uid, gid, name: c.lstring('user name', 255), home: c.lstring('home', 255), shell: c.lstring('shell', 255) });
    } else {
      groups.push({ gid: c.u32('gid'), name: c.lstring('group name', 255) });
    }
    if (subLen) {
      if (c.pos > entryStart + subLen) c.fail(`userlist entry read past its length ${subLen}`, entryStart);
      c.pos = entryStart + subLen;
    }
  }
  return { users, groups };
}

export function parseInterfaceList(c: Cursor, blockType: number): InterfaceInfo[] {
  const out: InterfaceInfo[] = [];
  while (c.remaining >= 4) {
    const entryLen = blockType === BLOCK.IL_V2 ? c.u32('interface entry length') : 0;
    const entryStart = c.pos;
    const type = c.u16('interface type');
    const nameLen = c.u16('interface name length');
    let iface: InterfaceInfo;
    if (type === SCAP_II.IPV4 || type === SCAP_II.IPV4_NOLINKSPEED) {
      const addr = ipv4(c.bytes(4, 'addr'));
      const netmask = ipv4(c.bytes(4, 'netmask'));
      c.bytes(4, 'bcast');
      if (type === SCAP_II.IPV4) c.bytes(8, 'linkspeed');
      iface = { family: 2, addr, netmask, name: '' };
    } else if (type === SCAP_II.IPV6 || type === SCAP_II.IPV6_NOLINKSPEED) {
      const addr = ipv6(c.bytes(16, 'addr'));
      const netmask = ipv6(c.bytes(16, 'netmask'));
      c.bytes(16, 'bcast');
      if (type === SCAP_II.IPV6) c.bytes(8, 'linkspeed');
      iface = { family: 10, addr, netmask, name: '' };
    } else {
      c.fail(`unknown interface type ${type}`, entryStart);
    }
    iface.name = c.bytes(nameLen, 'interface name').toString('utf8').replace(/\0.*$/s, '');
    out.push(iface);
    if (entryLen) c.pos = entryStart + entryLen;
  }
  return out;
}
