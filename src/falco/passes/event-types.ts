/**
 * The event types a condition can match (spec 5), for the rule index and the LOAD_NO_EVTTYPE
 * warning. Each node gets two sets over the universe of event names: where it can be true and
 * where it can be false. An `evt.type` check splits the universe; any other check can be either
 * anywhere. `not` swaps the sets, `and`/`or` combine them (true-sets by ∩/∪, false-sets by ∪/∩),
 * so `not (evt.type = open and proc.name = x)` rightly stays "all types" while
 * `not evt.type in (open, close)` is everything but those two.
 */
import { KNOWN_EVENT_NAMES } from '../../events/event-table.js';
import type { Check, Expr } from '../condition/ast.js';

export type EventTypeSet = 'all' | ReadonlySet<string>;

/** Above this many event types a syscall rule gets LOAD_NO_EVTTYPE (spec 4.1 step 7). */
export const MANY_EVENT_TYPES = 100;

interface Sides {
  canBeTrue: TypeSet;
  canBeFalse: TypeSet;
}

/** A set or the universe; the universe is kept symbolic so the common case allocates nothing. */
type TypeSet = 'all' | Set<string>;

export function eventTypes(expr: Expr, universe: ReadonlySet<string> = KNOWN_EVENT_NAMES): EventTypeSet {
  const result = sides(expr, universe).canBeTrue;
  if (result === 'all') return 'all';
  return result.size >= universe.size && [...universe].every((n) => result.has(n)) ? 'all' : result;
}

/** True when the rule would get LOAD_NO_EVTTYPE: more than MANY_EVENT_TYPES types (an empty set does not count). */
export function matchesTooManyEventTypes(types: EventTypeSet): boolean {
  return types === 'all' || types.size > MANY_EVENT_TYPES;
}

const ANY: Sides = { canBeTrue: 'all', canBeFalse: 'all' };

function sides(expr: Expr, universe: ReadonlySet<string>): Sides {
  switch (expr.kind) {
    case 'check':
      return checkSides(expr, universe);
    case 'macro':
      return expr.body ? sides(expr.body, universe) : ANY;
    case 'not': {
      const inner = sides(expr.expr, universe);
      return { canBeTrue: inner.canBeFalse, canBeFalse: inner.canBeTrue };
    }
    case 'and': {
      const all = expr.items.map((e) => sides(e, universe));
      return { canBeTrue: intersect(all.map((s) => s.canBeTrue)), canBeFalse: union(all.map((s) => s.canBeFalse)) };
    }
    case 'or': {
      const all = expr.items.map((e) => sides(e, universe));
      return { canBeTrue: union(all.map((s) => s.canBeTrue)), canBeFalse: intersect(all.map((s) => s.canBeFalse)) };
    }
  }
}

function checkSides(check: Check, universe: ReadonlySet<string>): Sides {
  if (check.left.kind !== 'field' || check.left.name !== 'evt.type' || check.modifier) return ANY;
  const value = check.value;
  let names: string[];
  if (value?.kind === 'string') names = [value.value];
  else if (value?.kind === 'list') names = value.items.map((i) => i.value);
  else return ANY;
  const named = new Set(names);
  const rest = new Set([...universe].filter((n) => !named.has(n)));
  switch (check.op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return { canBeTrue: named, canBeFalse: rest };
    case '!=':
      return { canBeTrue: rest, canBeFalse: named };
    default:
      return ANY;
  }
}

function intersect(sets: TypeSet[]): TypeSet {
  let out: Set<string> | undefined;
  for (const s of sets) {
    if (s === 'all') continue;
    out = out === undefined ? new Set(s) : new Set([...out].filter((n) => s.has(n)));
  }
  return out ?? 'all';
}

function union(sets: TypeSet[]): TypeSet {
  const out = new Set<string>();
  for (const s of sets) {
    if (s === 'all') return 'all';
    for (const n of s) out.add(n);
  }
  return out;
}
