/**
 * Alerts as Falco prints them (spec 6.2): the text line `HH:MM:SS.nnnnnnnnn: Priority output`
 * (local time) passed through Falco's JSON-escaping pass, and the JSON alert falcosidekick reads:
 * {hostname, output, output_fields, priority, rule, source, tags, time}, keys sorted as Falco's
 * JSON library writes them, `evt.time` in output_fields as integer nanoseconds.
 */
import type { Alert } from '../../alerts/alert.js';

const NS_PER_SEC = 1_000_000_000n;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `%evt.time`: local wall-clock time with nanoseconds, no date. */
export function formatLocalTime(ts: bigint): string {
  const date = new Date(Number(ts / 1_000_000n));
  const ns = Number(((ts % NS_PER_SEC) + NS_PER_SEC) % NS_PER_SEC);
  return `${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.${pad(ns, 9)}`;
}

function isoDateTime(ts: bigint): { date: Date; ns: string } {
  const date = new Date(Number(ts / 1_000_000n));
  const ns = pad(Number(((ts % NS_PER_SEC) + NS_PER_SEC) % NS_PER_SEC), 9);
  return { date, ns };
}

/** `%evt.time.iso8601`: UTC, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000`. */
export function formatIsoTime(ts: bigint): string {
  const { date, ns } = isoDateTime(ts);
  return `${date.toISOString().slice(0, 19)}.${ns}+0000`;
}

/** The JSON alert's `time`: UTC with `Z`. */
export function formatJsonTime(ts: bigint): string {
  const { date, ns } = isoDateTime(ts);
  return `${date.toISOString().slice(0, 19)}.${ns}Z`;
}

/** Lone surrogates become U+FFFD, as invalid UTF-8 does in Falco's JSON encoder. */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Falco runs the text line through a JSON string encoder and drops the quotes. */
export function jsonEscape(text: string): string {
  return JSON.stringify(wellFormed(text)).slice(1, -1);
}

export interface AlertLineOptions {
  /** time_format_iso_8601 */
  isoTime?: boolean;
}

/** The line before escaping: `<time>: <Priority> <output>`. */
export function alertLine(alert: Alert, options: AlertLineOptions = {}): string {
  const time = options.isoTime ? formatIsoTime(alert.ts) : formatLocalTime(alert.ts);
  return `${time}: ${alert.priority} ${alert.output}`;
}

/** The text alert exactly as Falco prints it (without the trailing newline). */
export function renderTextAlert(alert: Alert, options: AlertLineOptions = {}): string {
  return jsonEscape(alertLine(alert, options));
}

/** Falco's JSON alert, as one line of JSON. */
export function renderJsonAlert(alert: Alert, options: AlertLineOptions = {}): string {
  const outputFields: Record<string, unknown> = { ...alert.fields, 'evt.time': alert.ts };
  return writeJson({
    hostname: alert.hostname,
    output: alertLine(alert, options),
    output_fields: outputFields,
    priority: alert.priority,
    rule: alert.rule,
    source: alert.source,
    tags: alert.tags,
    time: formatJsonTime(alert.ts),
  });
}

/** JSON with sorted object keys and bigints written as integers. */
export function writeJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(wellFormed(value));
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('latin1'));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${writeJson(obj[k])}`).join(',')}}`;
}
