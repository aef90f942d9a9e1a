/**
 * Go's text forms of values, as tracee-rules prints them: `%v` (fmt's default format, used for Data in
 * the detection block and for every value a template prints), `encoding/json` (Sprig's toJson /
 * toPrettyJson: map keys sorted, `<`, `>`, `&` escaped), and time layouts (`2006-01-02T15:04:05Z`).
 */

/** A Go struct in template data: fields by Go name, printed as `{v1 v2}`, encoded by its JSON form. */
export class GoStruct {
  constructor(
    readonly fields: Record<string, unknown>,
    private readonly jsonForm: () => unknown,
  ) {}

  toJSON(): unknown {
    return this.jsonForm();
  }
}

/** A nil Go map (a boolean match's Data): prints as `map[]`, encodes as `null`, is false in `if`. */
export class GoNilMap {}
export const NIL_MAP = new GoNilMap();

/** A point in time with its zone, what Sprig's `now` gives and `date`/`dateInZone` take. */
export class GoTime {
  constructor(readonly date: Date, readonly zone: 'UTC' | 'Local' = 'Local') {}
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Set)
    && !(value instanceof GoStruct) && !(value instanceof GoTime) && !(value instanceof Uint8Array) && !(value instanceof GoNilMap);
}

function sortedKeys(map: Record<string, unknown>): string[] {
  return Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** fmt's %v; nil prints as `<nil>` (a null Data map prints as `map[]`, see formatData). */
export function formatGoValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (value instanceof GoNilMap) return 'map[]';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (value instanceof Set) return `[${[...value].map(formatGoValue).join(' ')}]`;
  if (value instanceof Uint8Array) return `[${[...value].join(' ')}]`;
  if (value instanceof GoStruct) return `{${Object.values(value.fields).map(formatGoValue).join(' ')}}`;
  if (value instanceof GoTime) return formatGoTime(value, '2006-01-02 15:04:05.999999999 -0700 MST');
  if (isPlainObject(value)) return `map[${sortedKeys(value).map((k) => `${k}:${formatGoValue(value[k])}`).join(' ')}]`;
  return String(value);
}

/** A finding's Data as the default detection block prints it: a null map is `map[]`. */
export function formatData(data: Record<string, unknown> | null): string {
  return data === null ? 'map[]' : formatGoValue(data);
}

const JSON_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function jsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => JSON_ESCAPES[c]!);
}

function toJsonable(value: unknown): unknown {
  if (value instanceof GoStruct) return value.toJSON();
  if (value instanceof GoNilMap) return null;
  if (value instanceof GoTime) return value.date.toISOString();
  if (value instanceof Set) return [...value];
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** encoding/json's Marshal (indent '' for compact, as toJson; '  ' for toPrettyJson). */
export function goJson(value: unknown, indent = '', depth = 0): string {
  const v = toJsonable(value);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  const nl = indent === '' ? '' : `\n${indent.repeat(depth + 1)}`;
  const end = indent === '' ? '' : `\n${indent.repeat(depth)}`;
  const sep = indent === '' ? ':' : ': ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((item) => nl + goJson(item, indent, depth + 1)).join(',')}${end}]`;
  }
  if (typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    // Plain objects are Go maps (sorted keys); objects from toJSON() are structs (declaration order).
    const keys = value instanceof GoStruct ? Object.keys(obj) : sortedKeys(obj);
    if (keys.length === 0) return '{}';
    return `{${keys.map((k) => `${nl}${jsonString(k)}${sep}${goJson(obj[k], indent, depth + 1)}`).join(',')}${end}}`;
  }
  return 'null';
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface TimeParts { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number; weekday: number; offsetMin: number; zone: string }

function partsOf(t: GoTime): TimeParts {
  const d = t.date;
  if (t.zone === 'UTC') {
    return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(), ms: d.getUTCMilliseconds(), weekday: d.getUTCDay(), offsetMin: 0, zone: 'UTC' };
  }
  const offsetMin = -d.getTimezoneOffset();
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
  return { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(),
    second: d.getSeconds(), ms: d.getMilliseconds(), weekday: d.getDay(), offsetMin, zone };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function offset(min: number, colon: boolean, zForUtc: boolean): string {
  if (zForUtc && min === 0) return 'Z';
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

/** Go layout tokens, longest first so `2006` wins over `2`, `January` over `Jan`. */
const LAYOUT_TOKENS: [string, (p: TimeParts) => string][] = [
  ['January', (p) => MONTHS[p.month]!], ['Monday', (p) => DAYS[p.weekday]!], ['Z07:00', (p) => offset(p.offsetMin, true, true)],
  ['-07:00', (p) => offset(p.offsetMin, true, false)], ['Z0700', (p) => offset(p.offsetMin, false, true)],
  ['-0700', (p) => offset(p.offsetMin, false, false)], ['.000000000', (p) => `.${pad(p.ms, 3)}000000`],
  ['.999999999', (p) => (p.ms ? `.${pad(p.ms, 3).replace(/0+$/, '')}` : '')], ['.000000', (p) => `.${pad(p.ms, 3)}000`],
  ['.000', (p) => `.${pad(p.ms, 3)}`], ['2006', (p) => String(p.year)], ['Jan', (p) => MONTHS[p.month]!.slice(0, 3)],
  ['Mon', (p) => DAYS[p.weekday]!.slice(0, 3)], ['MST', (p) => p.zone], ['_2', (p) => String(p.day).padStart(2, ' ')],
  ['01', (p) => pad(p.month + 1)], ['02', (p) => pad(p.day)], ['03', (p) => pad(p.hour % 12 || 12)], ['04', (p) => pad(p.minute)],
  ['05', (p) => pad(p.second)], ['06', (p) => pad(p.year % 100)], ['15', (p) => pad(p.hour)], ['PM', (p) => (p.hour >= 12 ? 'PM' : 'AM')],
  ['pm', (p) => (p.hour >= 12 ? 'pm' : 'am')], ['1', (p) => String(p.month + 1)], ['2', (p) => String(p.day)],
  ['3', (p) => String(p.hour % 12 || 12)], ['4', (p) => String(p.minute)], ['5', (p) => String(p.second)],
];

/** Go's Time.Format with a reference-time layout. */
export function formatGoTime(t: GoTime, layout: string): string {
  const p = partsOf(t);
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    for (const [token, render] of LAYOUT_TOKENS) {
      if (layout.startsWith(token, i)) {
        out += render(p);
        i += token.length;
        continue outer;
      }
    }
    out += layout[i];
    i++;
  }
  return out;
}
