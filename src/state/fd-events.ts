import type { ArgValue, SockAddr, VigilEvent } from '../events/event.js';
import { O_CLOEXEC, O_CREAT, O_DIRECTORY, O_TRUNC } from '../events/flags.js';
import { resolvePath } from './paths.js';
import { fdTableOf } from './process-table.js';
import type { FdInfo, FdType, ThreadInfo } from './types.js';

/**
 * How fd-related events change a process's fd table, and which fd an event is about
 * (EvalContext.fd). Closing is split off (`closeFd`) because a close must still show the fd
 * to the rules evaluating that very event.
 */

/** Sockets also remember which end is local, for fd.lip/fd.rip. */
export interface SocketFdInfo extends FdInfo {
  role?: 'client' | 'server';
}

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const IPPROTO_ICMP = 1;
const EINPROGRESS = 115;
const O_WRONLY = 1;

/** Applies the event to the thread's fd table; returns the fd the event is about, if any. */
export function applyFdEvent(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  switch (evt.name) {
    case 'open':
    case 'openat':
    case 'openat2':
    case 'creat':
      return applyOpen(evt, thread);
    case 'dup':
    case 'dup2':
    case 'dup3':
      return applyDup(evt, thread);
    case 'socket':
      return applySocket(evt, thread);
    case 'connect':
      return applyConnect(evt, thread);
    case 'accept':
    case 'accept4':
      return applyAccept(evt, thread);
    case 'bind':
      return applyBind(evt, thread);
    case 'sendto':
    case 'sendmsg':
    case 'recvfrom':
    case 'recvmsg':
      return applyDatagram(evt, thread);
    case 'memfd_create':
      return applyMemfd(evt, thread);
    default:
      return usedFd(evt, thread);
  }
}

/** After evaluation: a successful close removes the fd. */
export function closeFd(evt: VigilEvent, thread: ThreadInfo): void {
  if (evt.ret < 0) return;
  const fd = evt.args.fd;
  if (typeof fd === 'number') fdTableOf(thread).delete(fd);
}

function usedFd(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  const fd = evt.args.fd;
  return typeof fd === 'number' && fd >= 0 ? thread.fds.get(fd) : undefined;
}

function applyOpen(evt: VigilEvent, thread: ThreadInfo): FdInfo {
  const a = evt.args;
  const raw = typeof a.name === 'string' ? a.name : '';
  const dirfd = typeof a.dirfd === 'number' ? a.dirfd : undefined;
  const flags = evt.name === 'creat' ? O_CREAT | O_WRONLY | O_TRUNC : num(a.flags);
  const info: FdInfo = {
    num: evt.ret >= 0 ? evt.ret : -1,
    type: flags & O_DIRECTORY ? 'directory' : 'file',
    name: resolvePath(raw, thread, dirfd),
    nameRaw: raw,
    openFlags: flags,
  };
  if (typeof a.dev === 'number') info.dev = a.dev;
  if (typeof a.ino === 'number') info.ino = a.ino;
  // A failed open adds nothing, but the rules still see its path (fd.num = -1).
  if (evt.ret >= 0) fdTableOf(thread).set(info);
  return info;
}

function applyDup(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  const old = thread.fds.get(num(evt.args.oldfd));
  if (evt.ret < 0 || !old) return old;
  const cloexec = evt.name === 'dup3' && (num(evt.args.flags) & O_CLOEXEC) !== 0;
  const openFlags = cloexec ? old.openFlags | O_CLOEXEC : old.openFlags & ~O_CLOEXEC;
  const copy: FdInfo = { ...old, num: evt.ret, openFlags, nameChanged: false };
  fdTableOf(thread).set(copy);
  return copy;
}

function socketType(family: number): FdType {
  if (family === AF_INET) return 'ipv4';
  if (family === AF_INET6) return 'ipv6';
  if (family === AF_UNIX) return 'unix';
  if (family === AF_NETLINK) return 'netlink';
  return 'unknown';
}

function l4protoOf(type: number, proto: number): string | undefined {
  const base = type & 0xf;
  if (base === SOCK_STREAM) return 'tcp';
  if (base === SOCK_DGRAM) return proto === IPPROTO_ICMP ? 'icmp' : 'udp';
  return proto === IPPROTO_ICMP ? 'icmp' : 'raw';
}

function applySocket(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  if (evt.ret < 0) return undefined;
  const family = num(evt.args.domain);
  const info: SocketFdInfo = { num: evt.ret, type: socketType(family), name: '', nameRaw: '', openFlags: num(evt.args.type) & O_CLOEXEC, family };
  if (family === AF_INET || family === AF_INET6) {
    const l4 = l4protoOf(num(evt.args.type), num(evt.args.proto));
    if (l4) info.l4proto = l4;
  }
  fdTableOf(thread).set(info);
  return info;
}

/** The socket an event names, created on the fly when it predates what we saw. */
function socketFor(thread: ThreadInfo, fd: number, addr: SockAddr | undefined): SocketFdInfo | undefined {
  const known = thread.fds.get(fd) as SocketFdInfo | undefined;
  if (known || !addr || fd < 0) return known;
  const info: SocketFdInfo = { num: fd, type: socketType(addr.family), name: '', nameRaw: '', openFlags: 0, family: addr.family };
  fdTableOf(thread).set(info);
  return info;
}

function setTuple(info: SocketFdInfo, client: SockAddr | undefined, server: SockAddr | undefined): void {
  const before = info.name;
  if (info.type === 'unix') {
    const path = server?.path || client?.path;
    if (path) info.name = path;
  } else if (info.type === 'ipv4' || info.type === 'ipv6') {
    if (client?.addr !== undefined) info.cip = client.addr;
    if (client?.port !== undefined) info.cport = client.port;
    if (server?.addr !== undefined) info.sip = server.addr;
    if (server?.port !== undefined) info.sport = server.port;
    const any = info.type === 'ipv6' ? '::' : '0.0.0.0';
    info.name = `${info.cip ?? any}:${info.cport ?? 0}->${info.sip ?? any}:${info.sport ?? 0}`;
  }
  info.nameChanged = info.name !== before;
}

function applyConnect(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  const addr = sockaddr(evt.args.addr);
  const info = socketFor(thread, num(evt.args.fd, -1), addr);
  if (!info) return undefined;
  if (evt.ret < 0 && evt.ret !== -EINPROGRESS) {
    info.nameChanged = false;
    return info;
  }
  info.role = 'client';
  setTuple(info, sockaddr(evt.args.local), addr);
  info.connected = true;
  return info;
}

function applyAccept(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  const listener = thread.fds.get(num(evt.args.listenfd, -1));
  if (evt.ret < 0) return listener;
  const peer = sockaddr(evt.args.addr);
  const local = sockaddr(evt.args.local);
  const family = peer?.family || local?.family || listener?.family || 0;
  const info: SocketFdInfo = {
    num: evt.ret,
    type: listener?.type ?? socketType(family),
    name: '',
    nameRaw: '',
    openFlags: num(evt.args.flags) & O_CLOEXEC,
    family,
    role: 'server',
    connected: true,
  };
  const l4 = listener?.l4proto ?? (info.type === 'ipv4' || info.type === 'ipv6' ? 'tcp' : undefined);
  if (l4) info.l4proto = l4;
  setTuple(info, peer, local ?? (listener?.sip !== undefined ? { family, addr: listener.sip, port: listener.sport ?? 0 } : undefined));
  fdTableOf(thread).set(info);
  return info;
}

function applyBind(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  const addr = sockaddr(evt.args.addr);
  const info = socketFor(thread, num(evt.args.fd, -1), addr);
  if (!info || evt.ret < 0 || !addr) return info;
  info.role = 'server';
  if (info.type === 'unix') setTuple(info, undefined, addr);
  else {
    if (addr.addr !== undefined) info.sip = addr.addr;
    if (addr.port !== undefined) info.sport = addr.port;
    info.nameChanged = false;
  }
  return info;
}

/** sendto/recvfrom with an address re-aim unconnected (UDP) sockets; fd.name_changed tells rules. */
function applyDatagram(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  const addr = sockaddr(evt.args.addr);
  const info = socketFor(thread, num(evt.args.fd, -1), addr);
  if (!info) return undefined;
  if (!addr || evt.ret < 0 || info.connected) {
    info.nameChanged = false;
    return info;
  }
  if (evt.name.startsWith('send')) {
    info.role = 'client';
    setTuple(info, undefined, addr);
  } else {
    info.role = 'server';
    setTuple(info, addr, undefined);
  }
  return info;
}

function applyMemfd(evt: VigilEvent, thread: ThreadInfo): FdInfo | undefined {
  if (evt.ret < 0) return undefined;
  const name = typeof evt.args.name === 'string' ? evt.args.name : '';
  const info: FdInfo = { num: evt.ret, type: 'memfd', name: `memfd:${name}`, nameRaw: name, openFlags: num(evt.args.flags) & 1 ? O_CLOEXEC : 0 };
  fdTableOf(thread).set(info);
  return info;
}

function num(v: ArgValue | undefined, fallback = 0): number {
  return typeof v === 'number' ? v : fallback;
}

function sockaddr(v: ArgValue | undefined): SockAddr | undefined {
  return v !== null && typeof v === 'object' && 'family' in v ? v : undefined;
}
