/**
 * struct sockaddr bytes ↔ SockAddr, for the VIGIL_ARG_SOCKADDR wire kind. Family in host (little-endian)
 * order, port in network order, as the kernel and libc lay them out.
 */
import type { SockAddr } from './event.js';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

export function decodeSockaddr(b: Uint8Array): SockAddr {
  if (b.length < 2) return { family: 0 };
  const family = b[0]! | (b[1]! << 8);
  if (family === AF_INET && b.length >= 8) {
    return { family, addr: `${b[4]}.${b[5]}.${b[6]}.${b[7]}`, port: (b[2]! << 8) | b[3]! };
  }
  if (family === AF_INET6 && b.length >= 24) {
    return { family, addr: formatIpv6(b.subarray(8, 24)), port: (b[2]! << 8) | b[3]! };
  }
  if (family === AF_UNIX) {
    const rest = b.subarray(2);
    if (rest.length > 0 && rest[0] === 0) return { family, path: '@' + latin1(rest.subarray(1), false) };
    return { family, path: latin1(rest, true) };
  }
  return { family };
}

export function encodeSockaddr(a: SockAddr): Uint8Array {
  if (a.family === AF_INET) {
    const out = new Uint8Array(16);
    writeHead(out, a);
    const parts = (a.addr ?? '0.0.0.0').split('.').map((x) => Number(x) & 0xff);
    out.set(parts.slice(0, 4), 4);
    return out;
  }
  if (a.family === AF_INET6) {
    const out = new Uint8Array(28);
    writeHead(out, a);
    out.set(parseIpv6(a.addr ?? '::'), 8);
    return out;
  }
  if (a.family === AF_UNIX) {
    const path = a.path ?? '';
    const bytes = path.startsWith('@') ? [0, ...Buffer.from(path.slice(1), 'latin1')] : [...Buffer.from(path, 'latin1'), 0];
    const out = new Uint8Array(2 + bytes.length);
    out[0] = AF_UNIX;
    out.set(bytes, 2);
    return out;
  }
  return new Uint8Array([a.family & 0xff, (a.family >> 8) & 0xff]);
}

function writeHead(out: Uint8Array, a: SockAddr): void {
  out[0] = a.family & 0xff;
  out[1] = (a.family >> 8) & 0xff;
  out[2] = ((a.port ?? 0) >> 8) & 0xff;
  out[3] = (a.port ?? 0) & 0xff;
}

function latin1(b: Uint8Array, stopAtNul: boolean): string {
  const end = stopAtNul ? (b.indexOf(0) < 0 ? b.length : b.indexOf(0)) : b.length;
  return Buffer.from(b.buffer, b.byteOffset, end).toString('latin1');
}

/** RFC 5952 text: lower-case hex, the longest run (≥ 2) of zero groups written `::`. */
export function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export function parseIpv6(text: string): Uint8Array {
  const out = new Uint8Array(16);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16) & 0xffff) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = [...left, ...new Array(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
  groups.slice(0, 8).forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}
