import { hostname } from 'node:os';
import type { ArgValue } from '../../events/event.js';
import { EVENTS, KNOWN_EVENT_NAMES, type ParamDef } from '../../events/event-table.js';
import { O_ACCMODE, O_CREAT, renderResult } from '../../events/flags.js';
import { parseIndex, plain, withArg, type FieldClass } from './define.js';
import type { DynamicFieldFamily, EvalContext, Extractor, FieldDef } from './field.js';
import { printable, rawArg, rawArgType, renderArg, renderArgPair } from './render-arg.js';

/** evt.*: facts of the event itself (type, time, return value, parameters). */

const E = 'E';

/** Per parameter name, its definition in each event (indexed by event id). */
const PARAMS_BY_NAME = new Map<string, (ParamDef | undefined)[]>();
for (const def of EVENTS) {
  for (const param of def.params) {
    let byId = PARAMS_BY_NAME.get(param.name);
    if (!byId) PARAMS_BY_NAME.set(param.name, (byId = []));
    byId[def.id] = param;
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const NS_PER_S = 1_000_000_000n;

function splitTs(ts: bigint): { date: Date; ns: string } {
  const seconds = ts / NS_PER_S;
  return { date: new Date(Number(seconds) * 1000), ns: String(ts % NS_PER_S).padStart(9, '0') };
}

/** `HH:MM:SS.nnnnnnnnn` in local time, as Falco prints %evt.time. */
export function formatEvtTime(ts: bigint): string {
  const { date, ns } = splitTs(ts);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${ns}`;
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` in UTC (%evt.time.iso8601). */
export function formatEvtTimeIso(ts: bigint): string {
  const { date, ns } = splitTs(ts);
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return `${day}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${ns}+0000`;
}

function formatDateTime(ts: bigint, withNs: boolean): string {
  const { date, ns } = splitTs(ts);
  const text = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return withNs ? `${text}.${ns}` : text;
}

/** Meta events (procexit) are not syscalls and have no return value: evt.res and friends have no value. */
const hasResult = (ctx: EvalContext): boolean => EVENTS[ctx.evt.id - 1]?.syscall !== undefined;

const OPEN_EVENTS = new Set(['open', 'openat', 'openat2', 'creat']);
const WRITE_ACCESS = 1;
const READ_WRITE_ACCESS = 2;

function openFlags(ctx: EvalContext): number | undefined {
  if (!OPEN_EVENTS.has(ctx.evt.name)) return undefined;
  if (ctx.evt.name === 'creat') return O_CREAT | WRITE_ACCESS;
  const flags = ctx.evt.args.flags;
  return typeof flags === 'number' ? flags : 0;
}

function isOpenRead(ctx: EvalContext): boolean {
  const flags = openFlags(ctx);
  if (flags === undefined) return false;
  const access = flags & O_ACCMODE;
  return access === 0 || access === READ_WRITE_ACCESS;
}

function isOpenWrite(ctx: EvalContext): boolean {
  const flags = openFlags(ctx);
  if (flags === undefined) return false;
  const access = flags & O_ACCMODE;
  return access === WRITE_ACCESS || access === READ_WRITE_ACCESS;
}

/** Creates a file with an execute bit in its mode. */
function isOpenExec(ctx: EvalContext): boolean {
  const flags = openFlags(ctx);
  if (flags === undefined || !(flags & O_CREAT)) return false;
  const mode = ctx.evt.args.mode;
  return typeof mode === 'number' && (mode & 0o111) !== 0;
}

/** All parameters as `name=value(resolved)` joined by spaces (evt.args / evt.info). */
function renderAllArgs(ctx: EvalContext): string | undefined {
  const def = EVENTS[ctx.evt.id - 1];
  if (!def) return undefined;
  const parts: string[] = [];
  for (const param of def.params) {
    const value = ctx.evt.args[param.name];
    if (value !== undefined) parts.push(`${param.name}=${param.kind === 'path' || param.kind === 'relpath' ? pathPair(param, value, ctx) : renderArgPair(param, value, ctx)}`);
  }
  return parts.join(' ');
}

/**
 * Parameters by position as evt.arg[N] counts them: the syscall's arguments in call order. An
 * fd-creating event's leading `fd` is its return value, not an argument, so it is skipped; rules
 * written against enter events (`evt.type=socket and evt.arg[0] contains AF_PACKET`) keep working.
 */
const CALL_PARAMS: (readonly ParamDef[])[] = [];
for (const def of EVENTS) CALL_PARAMS[def.id] = def.fd === 'creates' && def.params[0]?.name === 'fd' ? def.params.slice(1) : def.params;

/** A relative path prints as given, then resolved: `name=foo(/work/foo)`. */
function pathPair(param: ParamDef, value: ArgValue, ctx: EvalContext): string {
  const resolved = renderArg(param, value, ctx);
  return typeof value === 'string' && value !== resolved ? `${value}(${resolved})` : resolved;
}

function argByIndex(arg: string | undefined): Extractor | string {
  const index = parseIndex('evt.arg', arg ?? '');
  if (typeof index === 'string') return index;
  return (ctx) => {
    const param = CALL_PARAMS[ctx.evt.id]?.[index];
    if (!param) return undefined;
    const value = ctx.evt.args[param.name];
    return value === undefined ? undefined : renderArg(param, value, ctx);
  };
}

const cachedHostname = hostname();

/** A field per parameter name: `evt.arg.<name>` (rendered) or `evt.rawarg.<name>` (raw value). */
function argFamily(prefix: 'evt.arg.' | 'evt.rawarg.', raw: boolean): DynamicFieldFamily {
  return {
    prefix,
    resolve(suffix: string): FieldDef | string {
      const byId = PARAMS_BY_NAME.get(suffix);
      const first = byId?.find((p) => p !== undefined);
      if (!byId || !first) return `unknown event argument ${suffix}`;
      const name = prefix + suffix;
      const extract: Extractor = raw
        ? (ctx) => {
            const param = byId[ctx.evt.id];
            const value = ctx.evt.args[suffix];
            return param && value !== undefined ? rawArg(param, value) : undefined;
          }
        : (ctx) => {
            const param = byId[ctx.evt.id];
            const value = ctx.evt.args[suffix];
            return param && value !== undefined ? renderArg(param, value, ctx) : undefined;
          };
      const desc = raw ? `the raw value of the event parameter '${suffix}'` : `the event parameter '${suffix}', rendered as text (flag names, errno names, paths)`;
      const flags = raw ? { noTransformer: true, noRhsField: true } : {};
      return plain(name, raw ? rawArgType(first) : 'charbuf', E, desc, extract, flags);
    },
  };
}

/** `evt.type.is.<name>`: 1 when the event is of that type, else 0. */
export const EVT_TYPE_IS_FAMILY: DynamicFieldFamily = {
  prefix: 'evt.type.is.',
  resolve(suffix: string): FieldDef | string {
    if (!KNOWN_EVENT_NAMES.has(suffix)) return `unknown event type ${suffix}`;
    return plain(`evt.type.is.${suffix}`, 'uint32', E, `1 for ${suffix} events, else 0`, (ctx) => (ctx.evt.name === suffix ? 1 : 0));
  },
};

export const EVT_ARG_FAMILY = argFamily('evt.arg.', false);
export const EVT_RAWARG_FAMILY = argFamily('evt.rawarg.', true);

const bufferOf = (ctx: EvalContext): Uint8Array | undefined => {
  const data = ctx.evt.args.data;
  return data instanceof Uint8Array ? data : undefined;
};

export const EVT_FIELDS: FieldClass = {
  name: 'evt',
  desc: 'Event fields: what happened, when, with which parameters and result.',
  fields: [
    plain('evt.num', 'uint64', 'N', 'event number, counting from 1 for the first event seen', (ctx) => ctx.num),
    plain('evt.time', 'charbuf', E, 'event time in local time as HH:MM:SS.nanoseconds', (ctx) => formatEvtTime(ctx.evt.ts)),
    plain('evt.time.s', 'charbuf', E, 'event time in local time as HH:MM:SS', (ctx) => formatEvtTime(ctx.evt.ts).slice(0, 8)),
    plain('evt.time.iso8601', 'charbuf', E, 'event time in UTC, ISO 8601 with nanoseconds', (ctx) => formatEvtTimeIso(ctx.evt.ts)),
    plain('evt.datetime', 'charbuf', E, 'event date and local time with nanoseconds', (ctx) => formatDateTime(ctx.evt.ts, true)),
    plain('evt.datetime.s', 'charbuf', E, 'event date and local time to the second', (ctx) => formatDateTime(ctx.evt.ts, false)),
    plain('evt.rawtime', 'abstime', E, 'event time in nanoseconds since the epoch', (ctx) => ctx.evt.ts),
    plain('evt.rawtime.s', 'uint64', E, 'whole seconds of the event time since the epoch', (ctx) => Number(ctx.evt.ts / NS_PER_S)),
    plain('evt.rawtime.ns', 'uint64', E, 'nanosecond part of the event time', (ctx) => Number(ctx.evt.ts % NS_PER_S)),
    plain('evt.type', 'charbuf', E, 'event type: the syscall or meta event name (execve, openat, procexit …)', (ctx) => ctx.evt.name),
    plain('evt.cpu', 'int16', E, 'CPU the event happened on', (ctx) => ctx.evt.cpu),
    plain('evt.dir', 'charbuf', E, "event direction; vigil sees only completed syscalls, so always '<'", () => '<', { deprecated: true }),
    plain('evt.category', 'charbuf', E, 'event category (file, net, process, ipc, memory, security, system)', (ctx) => EVENTS[ctx.evt.id - 1]?.category),
    plain('evt.source', 'charbuf', E, "event source name ('syscall')", () => 'syscall'),
    plain('evt.hostname', 'charbuf', E, 'name of the host the event happened on', () => cachedHostname),
    plain('evt.args', 'charbuf', E, 'every event parameter as name=value(resolved), space separated', renderAllArgs),
    plain('evt.info', 'charbuf', E, 'event details; the same text as evt.args', renderAllArgs),
    withArg('evt.arg', 'charbuf', E, "the N-th syscall argument rendered as text (evt.arg[0] is the first; an fd-creating call's returned fd is not counted); evt.arg.NAME picks one by name", 'index-required', argByIndex),
    plain('evt.res', 'charbuf', E, "'SUCCESS' when the call returned >= 0, else the errno name (ENOENT, EINPROGRESS …)", (ctx) => (hasResult(ctx) ? renderResult(ctx.evt.ret) : undefined)),
    plain('evt.rawres', 'int64', E, 'the return value as a number (negative errno on failure)', (ctx) => (hasResult(ctx) ? ctx.evt.ret : undefined)),
    plain('evt.failed', 'bool', E, 'true when the call failed (returned a negative errno)', (ctx) => (hasResult(ctx) ? ctx.evt.ret < 0 : undefined)),
    plain('evt.is_open_read', 'bool', E, 'true for open-family events that open for reading', isOpenRead),
    plain('evt.is_open_write', 'bool', E, 'true for open-family events that open for writing', isOpenWrite),
    plain('evt.is_open_exec', 'bool', E, 'true for open-family events that create a file with an execute permission bit', isOpenExec),
    plain('evt.buffer', 'bytebuf', E, 'the data buffer of read/write-like events', bufferOf),
    plain('evt.buflen', 'uint64', E, 'the size of the data buffer of read/write-like events', (ctx) => {
      const size = ctx.evt.args.size;
      return typeof size === 'number' ? size : bufferOf(ctx)?.length;
    }),
    plain('evt.count', 'uint32', E, 'always 1; counts events when aggregated', () => 1),
    plain('evt.latency', 'reltime', E, 'time spent in the syscall; not measured by vigil (0)', () => 0, { deprecated: true }),
    plain('evt.latency.s', 'uint64', E, 'whole seconds of evt.latency (0)', () => 0, { deprecated: true }),
    plain('evt.latency.ns', 'uint64', E, 'nanosecond part of evt.latency (0)', () => 0, { deprecated: true }),
    plain('evt.wait_latency', 'reltime', E, 'time spent waiting for the syscall to return; not measured by vigil (0)', () => 0, { deprecated: true }),
    plain('evt.plugininfo', 'charbuf', E, 'summary of a plugin event; vigil has none', () => undefined),
    plain('evt.is_syscall_error', 'bool', E, 'true when a syscall returned an error', (ctx) => (hasResult(ctx) ? ctx.evt.ret < 0 : undefined)),
    plain('evt.printable_buffer', 'charbuf', E, 'the data buffer with non-printable bytes shown as dots', (ctx) => {
      const data = bufferOf(ctx);
      return data ? printable(data) : undefined;
    }),
  ],
};
