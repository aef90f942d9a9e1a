/** Go's fmt verbs as OPA's sprintf uses them: numbers print as Go prints big numbers, other values as Rego text. */
import { RegoObject, RegoSet, objectEntries, compare, type Value } from '../runtime/value.js';

const VERB = /%([-+# 0]*)(\d+|\*)?(?:\.(\d+))?([a-zA-Z%])/g;

export function format(f: string, args: Value[]): string {
  let next = 0;
  return f.replace(VERB, (_whole, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[next++]!;
    const text = formatOne(arg, verb, prec === undefined ? undefined : Number(prec), flags);
    if (text === undefined) return `%!${verb}(${regoText(arg)})`;
    return pad(text, width === undefined || width === '*' ? 0 : Number(width), flags);
  }) + (next < args.length ? `%!(EXTRA ${args.slice(next).map(regoText).join(', ')})` : '');
}

function formatOne(v: Value, verb: string, prec: number | undefined, flags: string): string | undefined {
  switch (verb) {
    case 'v':
      return typeof v === 'string' ? v : regoText(v);
    case 's':
      return typeof v === 'string' ? (prec === undefined ? v : v.slice(0, prec)) : regoText(v);
    case 'q':
      return typeof v === 'string' ? JSON.stringify(v) : undefined;
    case 'd':
      return typeof v === 'number' && Number.isInteger(v) ? (flags.includes('+') && v >= 0 ? '+' : '') + v.toFixed(0) : undefined;
    case 'f':
    case 'F':
      return typeof v === 'number' ? v.toFixed(prec ?? 6) : undefined;
    case 'e':
      return typeof v === 'number' ? v.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2') : undefined;
    case 'g':
      return typeof v === 'number' ? String(v) : undefined;
    case 'x':
    case 'X': {
      const s = typeof v === 'number' && Number.isInteger(v) ? v.toString(16) : typeof v === 'string' ? Buffer.from(v).toString('hex') : undefined;
      return s !== undefined && verb === 'X' ? s.toUpperCase() : s;
    }
    case 'o':
      return typeof v === 'number' && Number.isInteger(v) ? v.toString(8) : undefined;
    case 'b':
      return typeof v === 'number' && Number.isInteger(v) ? v.toString(2) : undefined;
    case 't':
      return typeof v === 'boolean' ? String(v) : undefined;
    default:
      return undefined;
  }
}

function pad(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  return s.padStart(width, flags.includes('0') ? '0' : ' ');
}

/** A value as Rego prints it: `["a", 1]`, `{"k": true}`, `{1, 2}`, `set()`. */
export function regoText(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(regoText).join(', ')}]`;
  if (v instanceof RegoSet) return v.size === 0 ? 'set()' : `{${v.members().map(regoText).join(', ')}}`;
  const entries = objectEntries(v as RegoObject).sort((a, b) => compare(a[0], b[0]));
  return `{${entries.map(([k, x]) => `${regoText(k)}: ${regoText(x)}`).join(', ')}}`;
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}
