import type { ArgValue, SockAddr } from '../../events/event.js';
import type { ParamDef } from '../../events/event-table.js';
import { renderFlags, renderResult } from '../../events/flags.js';
import { resolvePath } from '../../state/paths.js';
import type { EvalContext, FieldType, FieldValue } from './field.js';
import { typeChar } from './fd-kinds.js';

/**
 * Event parameters as `evt.arg.*` shows them: the *resolved* text where libs has one (flag
 * names, errno names, user names for uids, `<f>/path` for fds, absolute paths for relative ones),
 * else the plain value. `evt.rawarg.*` gives the typed raw value instead.
 */

export function renderArg(param: ParamDef, value: ArgValue, ctx: EvalContext): string {
  if (value === null) return '';
  switch (param.kind) {
    case 'fd':
      return renderFd(value as number, ctx);
    case 'errno':
      return (value as number) < 0 ? renderResult(value as number) : String(value);
    case 'uid': {
      const user = ctx.state.user(value as number, ctx.thread?.containerId ?? 'host');
      return user ? user.name : String(value);
    }
    case 'gid': {
      const group = ctx.state.group(value as number, ctx.thread?.containerId ?? 'host');
      return group ? group.name : String(value);
    }
    case 'mode':
    case 'flags':
    case 'enum': {
      if (typeof value !== 'number') return String(value);
      const text = param.table ? renderFlags(param.table, value) : '';
      if (text !== '') return text;
      return param.kind === 'mode' ? `0${value.toString(8)}` : String(value);
    }
    case 'path':
    case 'relpath': {
      if (typeof value !== 'string' || !ctx.thread) return String(value);
      const dirfd = param.dirfd ? ctx.evt.args[param.dirfd] : undefined;
      return resolvePath(value, ctx.thread, typeof dirfd === 'number' ? dirfd : undefined);
    }
    case 'strlist':
      return (value as readonly string[]).join(' ');
    case 'bytes':
      return printable(value as Uint8Array);
    case 'sockaddr':
      return renderSockAddr(value as SockAddr);
    default:
      return String(value);
  }
}

/** `value(resolved)` as evt.args prints a parameter: the plain value, then the resolved text when it differs. */
export function renderArgPair(param: ParamDef, value: ArgValue, ctx: EvalContext): string {
  const resolved = renderArg(param, value, ctx);
  if (typeof value !== 'number') return resolved;
  const plain = param.kind === 'mode' ? `0${value.toString(8)}` : String(value);
  return resolved === plain || resolved === '' ? plain : `${plain}(${resolved})`;
}

/** The raw (typed) value for `evt.rawarg.*`. */
export function rawArg(param: ParamDef, value: ArgValue): FieldValue | undefined {
  if (value === null) return undefined;
  switch (param.kind) {
    case 'strlist':
      return (value as readonly string[]).join(' ');
    case 'sockaddr':
      return renderSockAddr(value as SockAddr);
    default:
      return value as FieldValue;
  }
}

/** The Falco type of `evt.rawarg.<param>`. */
export function rawArgType(param: ParamDef): FieldType {
  switch (param.kind) {
    case 'fd':
    case 'errno':
    case 'int':
      return 'int64';
    case 'pid':
      return 'int64';
    case 'uid':
    case 'gid':
      return 'uint32';
    case 'mode':
      return 'mode';
    case 'flags':
      return 'uint32';
    case 'enum':
      return 'int64';
    case 'uint':
      return 'uint64';
    case 'path':
    case 'relpath':
      return 'fspath';
    case 'bytes':
      return 'bytebuf';
    default:
      return 'charbuf';
  }
}

function renderFd(fd: number, ctx: EvalContext): string {
  const info = fd >= 0 ? ctx.thread?.fds.get(fd) ?? (ctx.fd?.num === fd ? ctx.fd : undefined) : undefined;
  return info ? `<${typeChar(info.type)}>${info.name}` : String(fd);
}

export function renderSockAddr(addr: SockAddr): string {
  if (addr.path !== undefined) return addr.path;
  if (addr.addr === undefined) return '';
  return `${addr.addr}:${addr.port ?? 0}`;
}

/** Bytes as text, non-printable bytes as '.', the way libs prints buffers in normal mode. */
export function printable(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0x0a || b === 0x09 ? String.fromCharCode(b) : '.';
  return out;
}
