import { posix } from 'node:path';
import { eventById } from '../../events/event-table.js';
import type { SocketFdInfo } from '../../state/fd-events.js';
import type { FdInfo } from '../../state/types.js';
import { SERVICE_PORTS } from '../operators/services.js';
import { parseIndex, plain, withArg, type FieldClass } from './define.js';
import type { EvalContext, Extractor, FieldValue } from './field.js';
import { typeChar } from './fd-kinds.js';

/**
 * fd.*: the file descriptor the event created, used or closed (EvalContext.fd). Fields exist only
 * for fd events; on an fd event whose fd is unknown, fd.num is the event's fd parameter (or -1),
 * fd.name is '' and fd.typechar comes from the event kind.
 *
 * fd.ip / fd.net / fd.port / fd.proto are filter-only and yield both endpoints (client, server),
 * which the compiler matches as "either side" (`!=`: neither side).
 */

const isFdEvent = (ctx: EvalContext): boolean => eventById(ctx.evt.id)?.fd !== undefined;

function fdField(read: (fd: SocketFdInfo, ctx: EvalContext) => FieldValue | undefined, fallback?: (ctx: EvalContext) => FieldValue | undefined): Extractor {
  return (ctx) => {
    if (ctx.fd) return read(ctx.fd, ctx);
    return fallback && isFdEvent(ctx) ? fallback(ctx) : undefined;
  };
}

const isFileLike = (fd: FdInfo): boolean => fd.type === 'file' || fd.type === 'directory';
const isInet = (fd: FdInfo): boolean => fd.type === 'ipv4' || fd.type === 'ipv6';

function directoryOf(fd: FdInfo): string | undefined {
  if (fd.type === 'directory') return fd.name;
  if (fd.type !== 'file') return undefined;
  return posix.dirname(fd.name);
}

function filenameOf(fd: FdInfo): string | undefined {
  if (fd.type !== 'file') return undefined;
  return posix.basename(fd.name);
}

/** Local/remote from the socket's role: the connecting side is local on a client socket. */
const localIsClient = (fd: SocketFdInfo): boolean => fd.role !== 'server';
const lip = (fd: SocketFdInfo) => (localIsClient(fd) ? fd.cip : fd.sip);
const rip = (fd: SocketFdInfo) => (localIsClient(fd) ? fd.sip : fd.cip);
const lport = (fd: SocketFdInfo) => (localIsClient(fd) ? fd.cport : fd.sport);
const rport = (fd: SocketFdInfo) => (localIsClient(fd) ? fd.sport : fd.cport);

const inet = <T extends FieldValue>(read: (fd: SocketFdInfo) => T | undefined): Extractor => fdField((fd) => (isInet(fd) ? read(fd) : undefined));

function bothEnds<T extends string | number>(a: T | undefined, b: T | undefined): T[] | undefined {
  if (a === undefined && b === undefined) return undefined;
  const out: T[] = [];
  if (a !== undefined) out.push(a);
  if (b !== undefined) out.push(b);
  return out;
}

const SERVICE_NAMES = new Map<number, string>();
for (const [name, port] of SERVICE_PORTS) if (!SERVICE_NAMES.has(port)) SERVICE_NAMES.set(port, name);
const serviceOf = (port: number | undefined): string | undefined => (port === undefined ? undefined : SERVICE_NAMES.get(port) ?? String(port));

const sockFamily = (fd: FdInfo): string | undefined => (isInet(fd) ? 'ip' : fd.type === 'unix' ? 'unix' : undefined);

const fallbackNum = (ctx: EvalContext): number => {
  const fd = ctx.evt.args.fd;
  return typeof fd === 'number' ? fd : -1;
};

const fallbackTypeChar = (ctx: EvalContext): string => (eventById(ctx.evt.id)?.category === 'file' ? 'f' : 'o');

const FILTER_ONLY = { filterOnly: true, noTransformer: true, noRhsField: true };
const NO_RHS = { noTransformer: true, noRhsField: true };
/** DNS names of endpoint addresses: vigil runs no resolver, so these have no value. */
const noDns: Extractor = () => undefined;

export const FD_FIELDS: FieldClass = {
  name: 'fd',
  desc: 'File descriptor fields: the file, socket or other object the event created, used or closed.',
  fields: [
    plain('fd.num', 'int64', 'FD', 'fd number (-1 for a failed open)', fdField((fd) => fd.num, fallbackNum)),
    plain('fd.type', 'charbuf', 'FD', 'fd type: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, bpf, memfd …', fdField((fd) => fd.type)),
    plain('fd.typechar', 'charbuf', 'FD', 'fd type as one letter: f file, d directory, 4/6 inet sockets, u unix, p pipe, e eventfd, s signalfd, l eventpoll, i inotify, t timerfd, n netlink, b bpf, r io_uring, m memfd, P pidfd, o other', fdField((fd) => typeChar(fd.type), fallbackTypeChar)),
    plain('fd.name', 'charbuf', 'FD', 'full path for files (resolved against dirfd or cwd), client:port->server:port for inet sockets, path for unix sockets', fdField((fd) => fd.name, () => '')),
    plain('fd.nameraw', 'charbuf', 'FD', 'the path exactly as the process passed it', fdField((fd) => fd.nameRaw, () => '')),
    plain('fd.directory', 'charbuf', 'FD', 'directory of a file fd (the path itself for a directory fd)', fdField(directoryOf)),
    plain('fd.filename', 'charbuf', 'FD', 'last path component of a file fd', fdField(filenameOf)),
    plain('fd.containername', 'charbuf', 'FD+C', 'container id and fd name joined by a colon', fdField((fd, ctx) => `${ctx.thread?.containerId ?? ''}:${fd.name}`)),
    plain('fd.containerdirectory', 'charbuf', 'FD+C', 'container id and fd directory joined by a colon', fdField((fd, ctx) => {
      const dir = directoryOf(fd);
      return dir === undefined ? undefined : `${ctx.thread?.containerId ?? ''}:${dir}`;
    })),
    plain('fd.dev', 'uint32', 'FD', 'device number of the file', fdField((fd) => (isFileLike(fd) ? fd.dev : undefined))),
    plain('fd.dev.major', 'uint32', 'FD', 'major device number of the file', fdField((fd) => (isFileLike(fd) && fd.dev !== undefined ? Math.floor(fd.dev / 0x100000) : undefined))),
    plain('fd.dev.minor', 'uint32', 'FD', 'minor device number of the file', fdField((fd) => (isFileLike(fd) && fd.dev !== undefined ? fd.dev % 0x100000 : undefined))),
    plain('fd.ino', 'int64', 'FD', 'inode number of the file', fdField((fd) => (isFileLike(fd) ? fd.ino : undefined))),
    plain('fd.cip', 'ipaddr', 'FD', 'client IP address', inet((fd) => fd.cip)),
    plain('fd.sip', 'ipaddr', 'FD', 'server IP address', inet((fd) => fd.sip)),
    plain('fd.lip', 'ipaddr', 'FD', 'local IP address', inet(lip)),
    plain('fd.rip', 'ipaddr', 'FD', 'remote IP address', inet(rip)),
    plain('fd.cport', 'port', 'FD', 'client port', inet((fd) => fd.cport)),
    plain('fd.sport', 'port', 'FD', 'server port', inet((fd) => fd.sport)),
    plain('fd.lport', 'port', 'FD', 'local port', inet(lport)),
    plain('fd.rport', 'port', 'FD', 'remote port', inet(rport)),
    plain('fd.cproto', 'charbuf', 'FD', 'service name of the client port', inet((fd) => serviceOf(fd.cport))),
    plain('fd.sproto', 'charbuf', 'FD', 'service name of the server port', inet((fd) => serviceOf(fd.sport))),
    plain('fd.lproto', 'charbuf', 'FD', 'service name of the local port', inet((fd) => serviceOf(lport(fd)))),
    plain('fd.rproto', 'charbuf', 'FD', 'service name of the remote port', inet((fd) => serviceOf(rport(fd)))),
    plain('fd.l4proto', 'charbuf', 'FD', 'transport protocol of a socket: tcp, udp, icmp or raw', inet((fd) => fd.l4proto)),
    plain('fd.sockfamily', 'charbuf', 'FD', "socket family: 'ip' for inet sockets, 'unix' for unix sockets", fdField(sockFamily)),
    plain('fd.is_server', 'bool', 'FD', 'true when the process is the server end of the socket', fdField((fd) => (isInet(fd) || fd.type === 'unix' ? fd.role === 'server' : undefined))),
    plain('fd.connected', 'bool', 'FD', 'true once the socket is connected', fdField((fd) => (isInet(fd) || fd.type === 'unix' ? fd.connected === true : undefined))),
    plain('fd.name_changed', 'bool', 'FD', 'true when this event changed the fd name (a datagram socket re-aimed)', fdField((fd) => fd.nameChanged === true)),
    plain('fd.ip', 'ipaddr', 'FD', 'matches the client or the server IP (filter only)', inet((fd) => bothEnds(fd.cip, fd.sip)), FILTER_ONLY),
    plain('fd.port', 'port', 'FD', 'matches the client or the server port (filter only)', inet((fd) => bothEnds(fd.cport, fd.sport)), FILTER_ONLY),
    plain('fd.proto', 'charbuf', 'FD', 'matches the service name of the client or the server port (filter only)', inet((fd) => bothEnds(serviceOf(fd.cport), serviceOf(fd.sport))), FILTER_ONLY),
    plain('fd.net', 'ipnet', 'FD', 'matches when the client or the server IP is in the network (filter only)', inet((fd) => bothEnds(fd.cip, fd.sip)), FILTER_ONLY),
    plain('fd.cnet', 'ipnet', 'FD', 'matches when the client IP is in the network', inet((fd) => fd.cip), NO_RHS),
    plain('fd.snet', 'ipnet', 'FD', 'matches when the server IP is in the network', inet((fd) => fd.sip), NO_RHS),
    plain('fd.lnet', 'ipnet', 'FD', 'matches when the local IP is in the network', inet(lip), NO_RHS),
    plain('fd.rnet', 'ipnet', 'FD', 'matches when the remote IP is in the network', inet(rip), NO_RHS),
    plain('fd.cip.name', 'charbuf', 'FD+DNS', 'domain name of the client IP (no value: vigil resolves no names)', noDns, NO_RHS),
    plain('fd.sip.name', 'charbuf', 'FD+DNS', 'domain name of the server IP (no value: vigil resolves no names)', noDns, NO_RHS),
    plain('fd.lip.name', 'charbuf', 'FD+DNS', 'domain name of the local IP (no value: vigil resolves no names)', noDns, NO_RHS),
    plain('fd.rip.name', 'charbuf', 'FD+DNS', 'domain name of the remote IP (no value: vigil resolves no names)', noDns, NO_RHS),
    withArg('fd.types', 'charbuf', 'FD', "the types of the process's open fds; fd.types[N] gives the type of fd N", 'index', (arg) => {
      if (arg === undefined) {
        return (ctx) => {
          if (!ctx.thread) return undefined;
          const types = new Set<string>();
          for (const fd of ctx.thread.fds.entries()) types.add(fd.type);
          return [...types];
        };
      }
      const n = parseIndex('fd.types', arg);
      if (typeof n === 'string') return n;
      return (ctx) => {
        const fd = ctx.thread?.fds.get(n);
        return fd ? [fd.type] : undefined;
      };
    }, { isList: true }),
  ],
};
