/**
 * Turns a condition's boolean skeleton into one generated JavaScript function, so evaluating a
 * rule is a single call whose `&&`/`||`/`!` and simple string checks V8 compiles together, instead
 * of a tree of closures calling closures. The generated source never contains rule text: every
 * value, set, extractor and leaf closure is passed in a constants array and bound to a `k<i>` const.
 */
import type { EvalContext } from '../fields/field.js';

export type Predicate = (ctx: EvalContext) => boolean;

/** A JavaScript boolean expression over `ctx`, the scratch variable `v` and the constants `k<i>`. */
export type Code = string;

/** Epoch-keyed memo slot of one macro: result valid while `epochs[slot] === ctx.epoch`. */
export interface MemoSlot {
  epochs: Float64Array;
  values: Uint8Array;
  slot: number;
}

export class CodeBuilder {
  private readonly constants: unknown[] = [];

  /** Refer to a compile-time value from the generated code. */
  ref(value: unknown): string {
    let i = this.constants.indexOf(value);
    if (i === -1) i = this.constants.push(value) - 1;
    return `k${i}`;
  }

  /** A call of a leaf closure. */
  call(predicate: Predicate): Code {
    return `${this.ref(predicate)}(ctx)`;
  }

  /** Use a memoised macro: read its slot when it is fresh for this event, else run it (it stores). */
  memoised(predicate: Predicate, memo: MemoSlot): Code {
    const epochs = this.ref(memo.epochs);
    const values = this.ref(memo.values);
    return `(${epochs}[${memo.slot}] === ctx.epoch ? ${values}[${memo.slot}] === 1 : ${this.call(predicate)})`;
  }

  /** The function evaluating `body`; with `memo`, it also records its result in the slot. */
  build(body: Code, memo?: MemoSlot): Predicate {
    let source = `let v; return ${body};`;
    if (memo) {
      const epochs = this.ref(memo.epochs);
      const values = this.ref(memo.values);
      source = `let v; const r = ${body}; ${epochs}[${memo.slot}] = ctx.epoch; ${values}[${memo.slot}] = r ? 1 : 0; return r;`;
    }
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is built from k<i> references only
    // Constants as the generated closure's own const bindings: a context-slot load each, no array element load.
    const bindings = this.constants.map((_, i) => `const k${i} = K[${i}];`).join(' ');
    const make = new Function('K', `${bindings} return function condition(ctx) { ${source} };`) as (k: unknown[]) => Predicate;
    return make(this.constants);
  }
}

export function and(items: readonly Code[]): Code {
  return items.length === 1 ? items[0]! : `(${items.join(' && ')})`;
}

export function or(items: readonly Code[]): Code {
  return items.length === 1 ? items[0]! : `(${items.join(' || ')})`;
}

export function not(item: Code): Code {
  return `!${item}`;
}
