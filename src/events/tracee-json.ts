/**
 * Decodes one line of tracee-ebpf's JSON output (`-o format:json`) into a TraceeEvent, by the rules
 * tracee-rules v0.7 applies (spec 1.2) with the decisions of spec 9:
 * - object keys match the struct fields without regard to case; unknown keys are ignored and a
 *   missing key leaves the zero value, so the result always carries all 20 fields (spec 2.4);
 * - `eventId` must be a quoted integer; integer fields must hold integers; strings must be strings;
 * - an argument's JSON number is range-checked by its `type` string. A numeric value whose type is
 *   not one tracee-rules knows (`umode_t`, pointer types, …) is kept and reported as a warning
 *   (decision 1) instead of rejecting the line;
 * - string-list types become string arrays (Go default formatting of each element);
 * - sockaddr objects become string → string maps (decision 2), as gob input gives them.
 * A rejected line gives an error message and never throws.
 */
import { emptyTraceeEvent, type TraceeArgument, type TraceeEvent } from './tracee-event.js';

export type TraceeDecodeResult =
  | { ok: true; event: TraceeEvent; warnings: string[] }
  | { ok: false; error: string };

type IntField = 'timestamp' | 'processorId' | 'processId' | 'threadId' | 'parentProcessId' | 'hostProcessId'
  | 'hostThreadId' | 'hostParentProcessId' | 'userId' | 'mountNamespace' | 'pidNamespace' | 'argsNum' | 'returnValue';
type StringField = 'processName' | 'hostName' | 'containerId' | 'eventName';

const INT_FIELDS: readonly IntField[] = ['timestamp', 'processorId', 'processId', 'threadId', 'parentProcessId',
  'hostProcessId', 'hostThreadId', 'hostParentProcessId', 'userId', 'mountNamespace', 'pidNamespace', 'argsNum', 'returnValue'];
const STRING_FIELDS: readonly StringField[] = ['processName', 'hostName', 'containerId', 'eventName'];

type FieldKind = { kind: 'int'; field: IntField } | { kind: 'string'; field: StringField }
  | { kind: 'eventId' } | { kind: 'stack' } | { kind: 'args' };

/** Lower-cased JSON key → field. Go's decoder folds case the same way for these ASCII names. */
const FIELD_BY_KEY = new Map<string, FieldKind>([
  ...INT_FIELDS.map((field) => [field.toLowerCase(), { kind: 'int', field }] as const),
  ...STRING_FIELDS.map((field) => [field.toLowerCase(), { kind: 'string', field }] as const),
  ['eventid', { kind: 'eventId' }],
  ['stackaddresses', { kind: 'stack' }],
  ['args', { kind: 'args' }],
]);

interface IntRange { min: number; max: number; float?: boolean }
const I32: IntRange = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const I64: IntRange = { min: -(2 ** 63), max: 2 ** 63 - 1 };
const U16: IntRange = { min: 0, max: 0xffff };
const U32: IntRange = { min: 0, max: 0xffffffff };
const U64: IntRange = { min: 0, max: 2 ** 64 - 1 };
const FLOAT: IntRange = { min: -Infinity, max: Infinity, float: true };

/** Spec 1.2: how tracee-rules converts a numeric argument value, by the argument's type string. */
const NUMERIC_ARG_TYPES = new Map<string, IntRange>([
  ...['int', 'pid_t', 'uid_t', 'gid_t', 'mqd_t', 'clockid_t', 'const clockid_t', 'key_t', 'key_serial_t', 'timer_t',
    'landlock_rule_type'].map((t) => [t, I32] as const),
  ['long', I64],
  ...['unsigned int', 'u32', 'mode_t', 'dev_t'].map((t) => [t, U32] as const),
  ...['unsigned long', 'u64', 'off_t', 'size_t', 'void*', 'const void*'].map((t) => [t, U64] as const),
  ['float', FLOAT], ['float64', FLOAT],
  ...['unsigned short', 'old_uid_t', 'old_gid_t'].map((t) => [t, U16] as const),
]);

const STRING_LIST_TYPES = new Set(['const char*const*', 'const char**']);

/** Go's default (%v) text of a JSON scalar inside a string list. */
function goText(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isSockaddrType(type: string): boolean {
  return type.includes('sockaddr');
}

function decodeArgValue(arg: TraceeArgument, warnings: string[]): string | undefined {
  const { type, value } = arg;
  if (value === null) return undefined;
  if (typeof value === 'number') {
    const range = NUMERIC_ARG_TYPES.get(type);
    if (range === undefined) {
      warnings.push(`argument ${arg.name}: numeric value of unrecognized type '${type}' kept as a number`);
      return undefined;
    }
    if (!range.float && !Number.isInteger(value)) return `argument ${arg.name}: ${value} is not an integer (type ${type})`;
    if (value < range.min || value > range.max) return `argument ${arg.name}: ${value} out of range for type ${type}`;
    return undefined;
  }
  if (STRING_LIST_TYPES.has(type)) {
    if (!Array.isArray(value)) return `argument ${arg.name}: type ${type} needs an array value`;
    arg.value = value.map(goText);
    return undefined;
  }
  if (isSockaddrType(type) && typeof value === 'object' && !Array.isArray(value)) {
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) map[k] = goText(v);
    arg.value = map;
  }
  return undefined;
}

function decodeArgs(raw: unknown, warnings: string[]): TraceeArgument[] | null | string {
  if (raw === null) return null;
  if (!Array.isArray(raw)) return 'args: not an array';
  const args: TraceeArgument[] = [];
  for (let i = 0; i < raw.length; i++) {
    const item: unknown = raw[i];
    if (item === null) { args.push({ name: '', type: '', value: null }); continue; }
    if (typeof item !== 'object' || Array.isArray(item)) return `args[${i}]: not an object`;
    const arg: TraceeArgument = { name: '', type: '', value: null };
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const k = key.toLowerCase();
      if (k === 'name' || k === 'type') {
        if (value === null) continue;
        if (typeof value !== 'string') return `args[${i}].${k}: not a string`;
        arg[k] = value;
      } else if (k === 'value') {
        arg.value = value;
      }
    }
    const error = decodeArgValue(arg, warnings);
    if (error !== undefined) return error;
    args.push(arg);
  }
  return args;
}

function decodeStack(raw: unknown): number[] | null | string {
  if (raw === null) return null;
  if (!Array.isArray(raw)) return 'stackAddresses: not an array';
  for (const v of raw) if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return `stackAddresses: ${JSON.stringify(v)} is not an unsigned integer`;
  return raw as number[];
}

const EVENT_ID = /^-?(0|[1-9][0-9]*)$/;

/** Decode one JSON line. `line` must be the line text without its newline. */
export function decodeTraceeJson(line: string): TraceeDecodeResult {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: 'not a JSON object' };
  const event = emptyTraceeEvent();
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const field = FIELD_BY_KEY.get(key.toLowerCase());
    if (field === undefined || value === null && field.kind !== 'stack' && field.kind !== 'args') continue;
    switch (field.kind) {
      case 'int':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < I64.min || value >= I64.max) {
          return { ok: false, error: `${field.field}: ${JSON.stringify(value)} is not a 64-bit integer` };
        }
        event[field.field] = value;
        break;
      case 'string':
        if (typeof value !== 'string') return { ok: false, error: `${field.field}: ${JSON.stringify(value)} is not a string` };
        event[field.field] = value;
        break;
      case 'eventId':
        if (typeof value !== 'string' || !EVENT_ID.test(value)) return { ok: false, error: `eventId: ${JSON.stringify(value)} is not a quoted integer` };
        event.eventId = value;
        break;
      case 'stack': {
        const stack = decodeStack(value);
        if (typeof stack === 'string') return { ok: false, error: stack };
        event.stackAddresses = stack;
        break;
      }
      case 'args': {
        const args = decodeArgs(value, warnings);
        if (typeof args === 'string') return { ok: false, error: args };
        event.args = args;
        break;
      }
    }
  }
  return { ok: true, event, warnings };
}

/** Tracee's JSON form of an event (the same 20 keys, in Go's field order), for JSON outputs and templates. */
export function encodeTraceeJson(event: TraceeEvent): string {
  return JSON.stringify(event);
}
