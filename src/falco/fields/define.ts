import type { EvalContext, Extractor, FieldArgKind, FieldDef, FieldType } from './field.js';

/** Helpers that keep the per-class field tables to one line per field. */

export type FieldFlags = Partial<Pick<FieldDef, 'isList' | 'filterOnly' | 'noTransformer' | 'noRhsField' | 'deprecated'>>;

/**
 * A field whose bracket-less form means something else: `proc.aname` alone matches when *any*
 * ancestor matches. The registry hands out `withoutArg` for that form; it is filter-only, so the
 * compiler applies its "some value matches" semantics to the array of ancestor values.
 */
export interface FieldDefWithForms extends FieldDef {
  withoutArg?: FieldDef;
}

/** A field class as `vigil list-fields` groups them (Falco's field classes). */
export interface FieldClass {
  name: string;
  desc: string;
  fields: readonly FieldDef[];
}

/** A field without an argument. */
export function plain(name: string, type: FieldType, state: string, desc: string, extract: Extractor, flags: FieldFlags = {}): FieldDef {
  return {
    name,
    type,
    desc,
    state,
    arg: 'none',
    ...flags,
    bind: (arg) => (arg === undefined ? extract : `field ${name} does not take an argument`),
  };
}

/** A field with a bracket argument; `bind` checks and binds it. */
export function withArg(
  name: string,
  type: FieldType,
  state: string,
  desc: string,
  arg: FieldArgKind,
  bind: (arg: string | undefined) => Extractor | string,
  flags: FieldFlags = {},
): FieldDef {
  return {
    name,
    type,
    desc,
    state,
    arg,
    ...flags,
    bind: (value) => {
      if (value === undefined && (arg === 'index-required' || arg === 'key-required')) return `field ${name} requires an argument`;
      return bind(value);
    },
  };
}

/** A non-negative integer bracket argument, or the error message. */
export function parseIndex(name: string, arg: string): number | string {
  if (!/^\d+$/.test(arg)) return `${name} index must be a non-negative number, not '${arg}'`;
  return Number(arg);
}

/** An extractor that reads the event's thread (no value without one). */
export function fromThread<T extends NonNullable<ReturnType<Extractor>>>(read: (t: NonNullable<EvalContext['thread']>, ctx: EvalContext) => T | undefined): Extractor {
  return (ctx) => (ctx.thread ? read(ctx.thread, ctx) : undefined);
}
