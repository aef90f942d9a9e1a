import type { SockAddr } from '../events/event.js';
import type { ParamType } from './libs-events.js';
import { PPM_AF_INET, PPM_AF_INET6, PPM_AF_UNIX } from './format.js';

/**
 * Decoding and encoding of single libs event parameters. 64-bit integers become JS numbers
 * (ids, fds, sizes and flags never reach 2^53; timestamps are read separately as bigint).
 */

export interface SockTuple {
  src: SockAddr;
  dst: SockAddr;
}

export type RawParam = number | string | Uint8Array | SockAddr | SockTuple | null;

const TWO_32 = 4294967296;

export function readI64(buf: Buffer, at: number): number {
  return buf.readInt32LE(at + 4) * TWO_32 + buf.readUInt32LE(at);
}

export function readU64(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at + 4) * TWO_32 + buf.readUInt32LE(at);
}

function readCString(buf: Buffer, start: number, end: number): string {
  const stop = buf.indexOf(0, start);
  return buf.toString('utf8', start, stop >= 0 && stop < end ? stop : end);
}

/** Dotted text of the 4 network-order bytes at `at`. */
export function ipv4(buf: Buffer, at = 0): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

/** inet_ntop-style text of the 16 bytes at `at`. */
export function ipv6(buf: Buffer, at = 0): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(at + i).toString(16));
  // Compress the longest run of zero groups, as inet_ntop does.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** One endpoint at `at`; returns the endpoint and how many bytes it took. */
function readEndpoint(buf: Buffer, at: number, end: number, family: number): [SockAddr, number] {
  if (family === PPM_AF_INET && at + 6 <= end) return [{ family: 2, addr: ipv4(buf, at), port: buf.readUInt16LE(at + 4) }, 6];
  if (family === PPM_AF_INET6 && at + 18 <= end) return [{ family: 10, addr: ipv6(buf, at), port: buf.readUInt16LE(at + 16) }, 18];
  return [{ family }, 0];
}

function readSockAddr(buf: Buffer, start: number, end: number): SockAddr | null {
  if (end <= start) return null;
  const family = buf[start]!;
  if (family === PPM_AF_UNIX) return { family: 1, path: readCString(buf, start + 1, end) };
  return readEndpoint(buf, start + 1, end, family)[0];
}

function readSockTuple(buf: Buffer, start: number, end: number): SockTuple | null {
  if (end <= start) return null;
  const family = buf[start]!;
  if (family === PPM_AF_UNIX) {
    // u64 source and destination kernel pointers, then the path.
    const path = readCString(buf, start + 17, end);
    return { src: { family: 1, path }, dst: { family: 1, path } };
  }
  const [src, used] = readEndpoint(buf, start + 1, end, family);
  const [dst] = readEndpoint(buf, start + 1 + used, end, family);
  return { src, dst };
}

function readIntOfLength(buf: Buffer, at: number, len: number): number {
  if (len >= 8) return readI64(buf, at);
  if (len >= 4) return buf.readInt32LE(at);
  if (len >= 2) return buf.readInt16LE(at);
  return len >= 1 ? buf[at]! : 0;
}

/** Decodes buf[start, end) as `type`; an empty param (len 0) is null, as libs marks absent values. */
export function decodeParam(buf: Buffer, start: number, end: number, type: ParamType): RawParam {
  const len = end - start;
  if (len === 0) return type === 'str' ? '' : null;
  switch (type) {
    case 'i64':
      return len >= 8 ? readI64(buf, start) : readIntOfLength(buf, start, len);
    case 'u64':
      return len >= 8 ? readU64(buf, start) : readIntOfLength(buf, start, len) >>> 0;
    case 'i32':
      return len >= 4 ? buf.readInt32LE(start) : readIntOfLength(buf, start, len);
    case 'u32':
      return len >= 4 ? buf.readUInt32LE(start) : readIntOfLength(buf, start, len) >>> 0;
    case 'u16':
      return len >= 2 ? buf.readUInt16LE(start) : buf[start]!;
    case 'u8':
      return buf[start]!;
    case 'str':
      return readCString(buf, start, end);
    case 'buf':
      return buf.subarray(start, end);
    case 'addr':
      return readSockAddr(buf, start, end);
    case 'tuple':
      return readSockTuple(buf, start, end);
    case 'dyn':
      // u8 index of the value's type, then the value (u64/errno/fd are 8 bytes, signals 1).
      return readIntOfLength(buf, start + 1, len - 1);
  }
}

/** NUL-separated strings (argv, env, cgroups) → array; a trailing NUL does not add an empty item. */
export function splitNul(bytes: Uint8Array | null | undefined): string[] {
  if (!bytes || bytes.length === 0) return [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Encoding (writer)

export function joinNul(items: readonly string[]): Buffer {
  return Buffer.from(items.map((s) => `${s}\0`).join(''), 'utf8');
}

function u64(value: number | bigint, signed: boolean): Buffer {
  const b = Buffer.alloc(8);
  const big = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
  if (signed) b.writeBigInt64LE(BigInt.asIntN(64, big));
  else b.writeBigUInt64LE(BigInt.asUintN(64, big));
  return b;
}

export function ipv4Bytes(addr: string | undefined): Buffer {
  const parts = (addr ?? '0.0.0.0').split('.').map((p) => Number(p) & 255);
  return Buffer.from([parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 0]);
}

function ipv6Bytes(addr: string | undefined): Buffer {
  const out = Buffer.alloc(16);
  const text = addr ?? '::';
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16) & 0xffff, i * 2));
  return out;
}

function endpointBytes(a: SockAddr): Buffer {
  const port = Buffer.alloc(2);
  port.writeUInt16LE((a.port ?? 0) & 0xffff);
  return Buffer.concat([a.family === 10 ? ipv6Bytes(a.addr) : ipv4Bytes(a.addr), port]);
}

function ppmFamily(family: number): number {
  return family === 10 ? PPM_AF_INET6 : family === 1 ? PPM_AF_UNIX : PPM_AF_INET;
}

export function encodeSockAddr(a: SockAddr): Buffer {
  if (a.family === 1) return Buffer.concat([Buffer.from([PPM_AF_UNIX]), Buffer.from(`${a.path ?? ''}\0`, 'utf8')]);
  return Buffer.concat([Buffer.from([ppmFamily(a.family)]), endpointBytes(a)]);
}

export function encodeSockTuple(t: SockTuple): Buffer {
  if (t.src.family === 1 || t.dst.family === 1) {
    const path = t.dst.path ?? t.src.path ?? '';
    return Buffer.concat([Buffer.from([PPM_AF_UNIX]), Buffer.alloc(16), Buffer.from(`${path}\0`, 'utf8')]);
  }
  return Buffer.concat([Buffer.from([ppmFamily(t.src.family)]), endpointBytes(t.src), endpointBytes(t.dst)]);
}

/** Encodes a value for `type`; null/undefined become an empty param. */
export function encodeParam(type: ParamType, value: RawParam | bigint | undefined): Buffer {
  if (value === null || value === undefined) return type === 'str' ? Buffer.from([0]) : Buffer.alloc(0);
  switch (type) {
    case 'i64':
    case 'u64':
      return u64(value as number | bigint, type === 'i64');
    case 'i32':
    case 'u32': {
      const b = Buffer.alloc(4);
      if (type === 'i32') b.writeInt32LE(Number(value) | 0);
      else b.writeUInt32LE(Number(value) >>> 0);
      return b;
    }
    case 'u16': {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(Number(value) & 0xffff);
      return b;
    }
    case 'u8':
      return Buffer.from([Number(value) & 0xff]);
    case 'str':
      return Buffer.from(`${String(value)}\0`, 'utf8');
    case 'buf':
      return Buffer.from(value as Uint8Array);
    case 'addr':
      return encodeSockAddr(value as SockAddr);
    case 'tuple':
      return encodeSockTuple(value as SockTuple);
    case 'dyn':
      // Index 0 = the 64-bit integer variant for ptrace addr/data and bpf's fd.
      return Buffer.concat([Buffer.from([0]), u64(value as number, true)]);
  }
}
