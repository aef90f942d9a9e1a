/**
 * Functions available to output templates: Go text/template's built-ins and the Sprig v3 functions
 * tracee-rules templates use (now, date, dateInZone, toJson, toPrettyJson, …) plus the common string,
 * list and dict helpers. Semantics follow Go/Sprig; errors thrown here become template execution errors.
 */
import { formatGoTime, formatGoValue, goJson, GoTime } from './go-format.js';
import { isTrue, type TemplateFunction } from './go-template.js';

function str(value: unknown): string {
  return value === null || value === undefined ? '' : formatGoValue(value);
}

function length(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.length;
  if (value instanceof Set) return value.size;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  throw new Error(`len of type ${typeof value}`);
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' || typeof b === 'object') throw new Error('incompatible types for comparison');
  return a === b;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new Error('incompatible types for comparison');
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** Go's fmt.Sprintf for the verbs templates use (%v %s %d %q %x %f %t %%). */
function sprintf(format: string, ...args: unknown[]): string {
  let n = 0;
  return format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([vsdqxXftT%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[n++];
    let out: string;
    switch (verb) {
      case 'd': out = typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${str(arg)})`; break;
      case 'q': out = JSON.stringify(str(arg)); break;
      case 'x': case 'X': out = typeof arg === 'number' ? arg.toString(16) : Buffer.from(str(arg)).toString('hex'); if (verb === 'X') out = out.toUpperCase(); break;
      case 'f': out = typeof arg === 'number' ? arg.toFixed(prec === undefined ? 6 : Number(prec)) : `%!f(${str(arg)})`; break;
      case 'T': out = typeof arg; break;
      default: out = formatGoValue(arg);
    }
    if (width !== undefined) out = flags.includes('-') ? out.padEnd(Number(width)) : out.padStart(Number(width), flags.includes('0') ? '0' : ' ');
    return out;
  });
}

function asTime(value: unknown): GoTime {
  if (value instanceof GoTime) return value;
  if (value instanceof Date) return new GoTime(value);
  if (typeof value === 'number') return new GoTime(new Date(value * 1000));
  throw new Error(`not a time: ${str(value)}`);
}

function inZone(time: GoTime, zone: unknown): GoTime {
  if (zone === 'UTC' || zone === 'Local' || zone === '') return new GoTime(time.date, zone === 'UTC' ? 'UTC' : 'Local');
  throw new Error(`unknown time zone ${str(zone)} (UTC and Local are supported)`);
}

const escapeHtml = (s: string): string => s.replace(/[&'<>"]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;' })[c]!);

export const TEMPLATE_FUNCTIONS: Record<string, TemplateFunction> = {
  // Go text/template built-ins
  and: (...args) => { for (const a of args) if (!isTrue(a)) return a; return args[args.length - 1]; },
  or: (...args) => { for (const a of args) if (isTrue(a)) return a; return args[args.length - 1]; },
  not: (a) => !isTrue(a),
  eq: (a, ...rest) => rest.some((b) => equal(a, b)),
  ne: (a, b) => !equal(a, b),
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  len: length,
  index: (collection, ...keys) => keys.reduce((c: unknown, k) => (c === null || c === undefined ? undefined : (c as Record<string, unknown>)[k as string]), collection),
  print: (...args) => args.map(str).join(''),
  println: (...args) => `${args.map(str).join(' ')}\n`,
  printf: (format, ...args) => sprintf(str(format), ...args),
  html: (...args) => escapeHtml(args.map(str).join('')),
  js: (...args) => JSON.stringify(args.map(str).join('')).slice(1, -1).replace(/[<>&'=]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`),
  urlquery: (...args) => encodeURIComponent(args.map(str).join('')),
  // Sprig: time
  now: () => new GoTime(new Date()),
  date: (layout, time) => formatGoTime(asTime(time), str(layout)),
  dateInZone: (layout, time, zone) => formatGoTime(inZone(asTime(time), zone), str(layout)),
  unixEpoch: (time) => String(Math.floor(asTime(time).date.getTime() / 1000)),
  // Sprig: encoding
  toJson: (v) => goJson(v),
  toRawJson: (v) => goJson(v).replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&'),
  toPrettyJson: (v) => goJson(v, '  '),
  b64enc: (s) => Buffer.from(str(s)).toString('base64'),
  b64dec: (s) => Buffer.from(str(s), 'base64').toString('latin1'),
  // Sprig: strings
  toString: (v: unknown) => str(v),
  upper: (s) => str(s).toUpperCase(),
  lower: (s) => str(s).toLowerCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trim: (s) => str(s).trim(),
  trimAll: (cut, s) => str(s).replace(new RegExp(`^[${escapeClass(str(cut))}]+|[${escapeClass(str(cut))}]+$`, 'g'), ''),
  trimPrefix: (prefix, s) => (str(s).startsWith(str(prefix)) ? str(s).slice(str(prefix).length) : str(s)),
  trimSuffix: (suffix, s) => (str(suffix) !== '' && str(s).endsWith(str(suffix)) ? str(s).slice(0, -str(suffix).length) : str(s)),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (prefix, s) => str(s).startsWith(str(prefix)),
  hasSuffix: (suffix, s) => str(s).endsWith(str(suffix)),
  replace: (old, repl, s) => str(s).split(str(old)).join(str(repl)),
  repeat: (count, s) => str(s).repeat(Number(count)),
  quote: (...args) => args.map((a) => JSON.stringify(str(a))).join(' '),
  squote: (...args) => args.map((a) => `'${str(a)}'`).join(' '),
  cat: (...args) => args.filter((a) => a !== null && a !== undefined).map(str).join(' '),
  indent: (n, s) => str(s).split('\n').map((l) => ' '.repeat(Number(n)) + l).join('\n'),
  nindent: (n, s) => `\n${str(s).split('\n').map((l) => ' '.repeat(Number(n)) + l).join('\n')}`,
  join: (sep, list) => (Array.isArray(list) ? list.map(str).join(str(sep)) : str(list)),
  split: (sep, s) => Object.fromEntries(str(s).split(str(sep)).map((p, i) => [`_${i}`, p])),
  splitList: (sep, s) => str(s).split(str(sep)),
  // Sprig: defaults, lists, dicts
  default: (dflt, value) => (isTrue(value) ? value : dflt),
  empty: (value) => !isTrue(value),
  coalesce: (...args) => args.find(isTrue) ?? null,
  ternary: (a, b, cond) => (isTrue(cond) ? a : b),
  list: (...args) => args,
  first: (list) => (Array.isArray(list) ? list[0] : undefined),
  last: (list) => (Array.isArray(list) ? list[list.length - 1] : undefined),
  dict: (...args) => { const d: Record<string, unknown> = {}; for (let i = 0; i < args.length; i += 2) d[str(args[i])] = args[i + 1] ?? ''; return d; },
  get: (map, key) => (map as Record<string, unknown> | null)?.[str(key)] ?? '',
  hasKey: (map, key) => typeof map === 'object' && map !== null && Object.prototype.hasOwnProperty.call(map, str(key)),
  keys: (...maps) => maps.flatMap((m) => Object.keys((m ?? {}) as object)),
};

function escapeClass(s: string): string {
  return s.replace(/[\\\]^-]/g, '\\$&');
}
