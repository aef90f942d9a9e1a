import { isNumber, isString, type BuiltinImpl } from './impl.js';

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function bits(op: (a: bigint, b: bigint) => bigint): BuiltinImpl {
  return (a, b) => (isInt(a) && isInt(b) ? Number(op(BigInt(a), BigInt(b))) : undefined);
}

/** Go's math.Round: halves away from zero. */
const roundHalfAway = (n: number): number => Math.sign(n) * Math.round(Math.abs(n));

function parseIP(s: string): { v: bigint; bits: number } | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n), bits: 32 };
  }
  if (!s.includes(':')) return undefined;
  const [head, tail] = s.split('::') as [string, string | undefined];
  if (s.split('::').length > 2) return undefined;
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

function parseCIDR(s: string): { v: bigint; bits: number; prefix: number } | undefined {
  const [addr, len] = s.split('/');
  const ip = parseIP(addr!);
  if (!ip) return undefined;
  const prefix = len === undefined ? ip.bits : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > ip.bits) return undefined;
  return { ...ip, prefix };
}

const maskOf = (bitsTotal: number, prefix: number): bigint => ((1n << BigInt(bitsTotal)) - 1n) ^ ((1n << BigInt(bitsTotal - prefix)) - 1n);

export const NUMBERS: Record<string, BuiltinImpl> = {
  to_number: (v) => {
    if (isNumber(v)) return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v === null) return 0;
    if (isString(v) && JSON_NUMBER.test(v)) return Number(v);
    return undefined;
  },
  abs: (n) => (isNumber(n) ? Math.abs(n) : undefined),
  round: (n) => (isNumber(n) ? roundHalfAway(n) : undefined),
  ceil: (n) => (isNumber(n) ? Math.ceil(n) : undefined),
  floor: (n) => (isNumber(n) ? Math.floor(n) : undefined),
  'numbers.range': (a, b) => {
    if (!isInt(a) || !isInt(b)) return undefined;
    const step = a <= b ? 1 : -1;
    const out: number[] = [];
    for (let i = a; step > 0 ? i <= b : i >= b; i += step) out.push(i);
    return out;
  },
  'bits.and': bits((a, b) => a & b),
  'bits.or': bits((a, b) => a | b),
  'bits.xor': bits((a, b) => a ^ b),
  'bits.lsh': bits((a, b) => a << b),
  'bits.rsh': bits((a, b) => a >> b),
  'bits.negate': (a) => (isInt(a) ? Number(~BigInt(a)) : undefined),
  'net.cidr_contains': (cidr, other) => {
    if (!isString(cidr) || !isString(other)) return undefined;
    const net = parseCIDR(cidr);
    const inner = parseCIDR(other);
    if (!net || !inner) return undefined;
    if (net.bits !== inner.bits) return false;
    const mask = maskOf(net.bits, net.prefix);
    return inner.prefix >= net.prefix && (inner.v & mask) === (net.v & mask);
  },
};
