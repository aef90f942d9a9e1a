/**
 * IP address and network operators. Extractors give addresses as text (dotted IPv4 or IPv6);
 * IPv4 text is parsed per event by a char-code scanner into a uint32 (no allocation), IPv6 into a
 * bigint (rare). `ipaddr` fields compare addresses; `ipnet` fields (and `fd.net`-style filter
 * fields) test membership in `a.b.c.d/len` networks.
 */
import { isIPv6 } from 'node:net';
import type { Operator } from '../condition/ast.js';
import type { Matcher } from './types.js';

/** uint32 for IPv4 (and IPv4-mapped IPv6), bigint for other IPv6, undefined if not an address. */
export type IpKey = number | bigint;

export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let part = -1;
  let parts = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      part = part === -1 ? c - 48 : part * 10 + (c - 48);
      if (part > 255) return undefined;
    } else if (c === 46 && part !== -1 && parts < 3) {
      value = value * 256 + part;
      part = -1;
      parts++;
    } else {
      return undefined;
    }
  }
  if (part === -1 || parts !== 3) return undefined;
  return value * 256 + part;
}

function parseIpv6(text: string): bigint | undefined {
  if (!isIPv6(text)) return undefined;
  let head = text;
  let tailV4: number | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const groups = right === undefined ? leftGroups : [...leftGroups, ...new Array<string>(8 - leftGroups.length - rightGroups.length).fill('0'), ...rightGroups];
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(parseInt(g, 16));
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | BigInt(tailV4);
  return value;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

export function parseIp(text: string): IpKey | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return v4;
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  return v6 >> 32n === 0xffffn && (v6 & ~0xffffffffn) === V4_MAPPED_PREFIX ? Number(v6 & 0xffffffffn) : v6;
}

export interface Network {
  base: IpKey;
  prefix: number;
}

export function parseNetwork(text: string): Network | string {
  const slash = text.indexOf('/');
  if (slash === -1) return `${text} is not a valid network: expected address/length`;
  const base = parseIp(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  const max = typeof base === 'number' ? 32 : 128;
  const prefix = /^[0-9]{1,3}$/.test(lenText) ? Number(lenText) : NaN;
  if (base === undefined || !(prefix <= max)) return `${text} is not a valid network`;
  return { base: typeof base === 'number' ? maskV4(base, prefix) : maskV6(base, prefix), prefix };
}

function maskV4(ip: number, prefix: number): number {
  return prefix === 0 ? 0 : (ip & (0xffffffff << (32 - prefix))) >>> 0;
}

function maskV6(ip: bigint, prefix: number): bigint {
  const shift = BigInt(128 - prefix);
  return (ip >> shift) << shift;
}

export function inNetwork(ip: IpKey, net: Network): boolean {
  if (typeof ip === 'number') return typeof net.base === 'number' && maskV4(ip, net.prefix) === net.base;
  return typeof net.base === 'bigint' && maskV6(ip, net.prefix) === net.base;
}

/** Matcher for `ipaddr` values against addresses (=, !=, in). */
export function ipMatcher(op: Operator, addresses: readonly IpKey[]): Matcher | undefined {
  const has = (key: IpKey | undefined) => key !== undefined && addresses.includes(key);
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return (v) => has(parseIp(v as string));
    case '!=':
      return (v) => !has(parseIp(v as string));
    default:
      return undefined;
  }
}

/** Matcher for `ipnet` values (an address) against networks (=, !=, in). */
export function networkMatcher(op: Operator, networks: readonly Network[]): Matcher | undefined {
  const inAny = (v: string) => {
    const key = parseIp(v);
    if (key === undefined) return false;
    for (const n of networks) if (inNetwork(key, n)) return true;
    return false;
  };
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return (v) => inAny(v as string);
    case '!=':
      return (v) => !inAny(v as string);
    default:
      return undefined;
  }
}
