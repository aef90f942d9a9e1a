import type { VigilEvent } from '../../events/event.js';
import type { FdInfo, StateView, ThreadInfo } from '../../state/types.js';

/**
 * A Falco field: its name, type, description and how to extract it from an event and the state
 * tables. One table per field class (evt.ts, proc.ts, fd.ts, container.ts, user.ts …) lists these;
 * registry.ts indexes them for the compiler, outputs and `vigil list-fields`.
 */

/** Falco's field types (libs PT_* names in lower case), which decide operators and value parsing. */
export type FieldType =
  | 'charbuf' // string
  | 'fspath' // string holding a path
  | 'bytebuf'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'port'
  | 'l4proto'
  | 'mode'
  | 'bool'
  | 'ipaddr'
  | 'ipnet'
  | 'abstime' // ns since epoch (bigint)
  | 'reltime' // ns duration
  | 'double';

/**
 * A value as extractors return it: strings for char/path types, numbers for numeric types (bigint
 * for abstime), booleans, Uint8Array for byte buffers, arrays for list fields. `undefined` means
 * "no value": every check on it is false except `exists` (the null rule).
 */
export type FieldValue = string | number | bigint | boolean | Uint8Array | readonly (string | number)[];

/** Everything a compiled condition or output sees of one event. */
export interface EvalContext {
  evt: VigilEvent;
  /** evt.num: 1 for the first event seen. */
  num: number;
  /** The thread that produced the event, after the event was applied to the state. */
  thread: ThreadInfo | undefined;
  /** The fd the event created, used or closed, when it has one (before a close removes it). */
  fd: FdInfo | undefined;
  state: StateView;
  /** Incremented by the caller for every event; compiled code keys its per-event caches on it. */
  epoch: number;
}

export type Extractor = (ctx: EvalContext) => FieldValue | undefined;

/** How a field takes an argument in brackets: `proc.aname[2]`, `proc.env[HOME]`. */
export type FieldArgKind =
  | 'none'
  | 'index' // optional non-negative integer
  | 'index-required'
  | 'key' // optional free text
  | 'key-required';

export interface FieldDef {
  name: string;
  type: FieldType;
  desc: string;
  arg: FieldArgKind;
  /** The field yields several values (`fd.types`); only in / intersects / exists apply. */
  isList?: boolean;
  /** Filter-only fields (`fd.ip`, `fd.net`, `fd.port`) match either endpoint; not printable. */
  filterOnly?: boolean;
  noTransformer?: boolean;
  /** May not appear as val(field) on the right-hand side. */
  noRhsField?: boolean;
  deprecated?: boolean;
  /** Letters of the state it reads: E event, P process, PP parent, A ancestors, FD, C container, U user, N counter. */
  state: string;
  /**
   * Bind the bracket argument (undefined when there is none). Returns the extractor, or a message
   * when the argument is invalid for this field ("proc.aname index must be a number").
   */
  bind(arg: string | undefined): Extractor | string;
}

/** Variant used for `evt.arg.X` / `evt.rawarg.X`: the field name itself carries the parameter name. */
export interface DynamicFieldFamily {
  prefix: string; // 'evt.arg.' …
  resolve(suffix: string): FieldDef | string;
}
