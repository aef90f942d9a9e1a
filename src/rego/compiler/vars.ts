/**
 * Variable analysis shared by the safety stage and codegen: which local variables an expression needs
 * bound before it runs, and which it binds (ref iteration, unification, `some … in`).
 */
import { literalTerms, walkLiteral, walkTerms, type Literal, type Term } from '../ast.js';
import { DATA, INPUT } from './resolve.js';

export const isLocal = (name: string): boolean => name !== INPUT && name !== DATA;
export const isWildcard = (name: string): boolean => name.startsWith('_$');

type Mode = 'value' | 'pattern' | 'index';

export interface TermVars {
  /** Must be bound before evaluation. */
  needs: Set<string>;
  /** Bound by iterating a ref whose index is an unbound variable. */
  outs: Set<string>;
  /** In unification positions (var, inside array/object literals). */
  pats: Set<string>;
}

const emptyVars = (): TermVars => ({ needs: new Set(), outs: new Set(), pats: new Set() });

/** `outer`: names of the enclosing body; a comprehension needs those of its variables. */
export function termVars(t: Term, mode: Mode, outer: ReadonlySet<string>, acc: TermVars = emptyVars()): TermVars {
  switch (t.kind) {
    case 'scalar':
      break;
    case 'var':
      if (isLocal(t.name)) (mode === 'value' ? acc.needs : mode === 'pattern' ? acc.pats : acc.outs).add(t.name);
      break;
    case 'ref':
      termVars(t.head, 'value', outer, acc);
      for (const p of t.path) termVars(p, 'index', outer, acc);
      break;
    case 'call':
      for (const a of t.args) termVars(a, 'value', outer, acc);
      break;
    case 'array':
      for (const i of t.items) termVars(i, mode, outer, acc);
      break;
    case 'object':
      for (const [k, v] of t.entries) {
        termVars(k, 'value', outer, acc);
        termVars(v, mode, outer, acc);
      }
      break;
    case 'set':
      for (const i of t.items) termVars(i, 'value', outer, acc);
      break;
    case 'binary':
      termVars(t.left, 'value', outer, acc);
      termVars(t.right, 'value', outer, acc);
      break;
    case 'membership':
      if (t.key) termVars(t.key, 'value', outer, acc);
      termVars(t.value, 'value', outer, acc);
      termVars(t.collection, 'value', outer, acc);
      break;
    case 'arrayCompr':
    case 'setCompr':
    case 'objectCompr':
      for (const v of allVars(t)) if (outer.has(v)) acc.needs.add(v);
      break;
  }
  return acc;
}

/** Every local variable name in a term, comprehensions included. */
export function allVars(t: Term, out: Set<string> = new Set()): Set<string> {
  walkTerms(t, (x) => x.kind === 'var' && isLocal(x.name) && out.add(x.name), true);
  return out;
}

/** Local variable names of a body outside nested comprehensions (the scope a comprehension closes over). */
export function bodyNames(lits: readonly Literal[], extra: readonly (Term | null)[] = []): Set<string> {
  const out = new Set<string>();
  const add = (x: Term): void => {
    if (x.kind === 'var' && isLocal(x.name)) out.add(x.name);
  };
  for (const l of lits) walkLiteral(l, add, false);
  for (const t of extra) if (t) walkTerms(t, add, false);
  return out;
}

export function forEachTerm(l: Literal, f: (t: Term) => void): void {
  literalTerms(l).forEach(f);
}

export interface LiteralPlan {
  ready: boolean;
  /** Variables still missing when not ready. */
  missing: string[];
  binds: Set<string>;
}

export function planLiteral(lit: Literal, bound: ReadonlySet<string>, outer: ReadonlySet<string>): LiteralPlan {
  const binds = new Set<string>();
  const needs = new Set<string>();
  for (const w of lit.withs) for (const v of termVars(w.value, 'value', outer).needs) needs.add(v);
  const e = lit.expr;
  if (lit.negated) {
    const tv = emptyVars();
    forEachTerm(lit, (t) => termVars(t, 'value', outer, tv));
    for (const set of [tv.needs, tv.outs, tv.pats]) for (const v of set) if (!isWildcard(v)) needs.add(v);
    return finish(needs, bound, binds, []);
  }
  switch (e.kind) {
    case 'term': {
      const tv = termVars(e.term, 'value', outer);
      tv.needs.forEach((v) => needs.add(v));
      tv.outs.forEach((v) => binds.add(v));
      return finish(needs, bound, binds, []);
    }
    case 'some':
      return finish(needs, bound, binds, []);
    case 'someIn': {
      const tv = termVars(e.collection, 'value', outer);
      tv.needs.forEach((v) => needs.add(v));
      tv.outs.forEach((v) => binds.add(v));
      for (const p of [e.key, e.value]) if (p) termVars(p, 'pattern', outer, tv);
      tv.needs.forEach((v) => needs.add(v));
      tv.pats.forEach((v) => binds.add(v));
      tv.outs.forEach((v) => binds.add(v));
      return finish(needs, bound, binds, []);
    }
    case 'every': {
      const tv = termVars(e.collection, 'value', outer);
      tv.needs.forEach((v) => needs.add(v));
      const local = new Set<string>();
      for (const p of [e.key, e.value]) if (p) for (const v of allVars(p)) local.add(v);
      for (const l of e.body) forEachTerm(l, (t) => allVars(t).forEach((v) => !local.has(v) && outer.has(v) && needs.add(v)));
      return finish(needs, bound, new Set(tv.outs), []);
    }
    case 'assign': {
      const left = termVars(e.left, 'pattern', outer);
      const right = termVars(e.right, e.op === ':=' ? 'value' : 'pattern', outer);
      for (const tv of [left, right]) {
        tv.needs.forEach((v) => needs.add(v));
        tv.outs.forEach((v) => binds.add(v));
      }
      const after = new Set([...bound, ...binds]);
      const unified = unifyBinds(e.left, e.right, after);
      if (!unified) {
        const stuck = [...left.pats, ...right.pats].filter((v) => !after.has(v));
        return finish(needs, bound, binds, stuck);
      }
      unified.forEach((v) => binds.add(v));
      return finish(needs, bound, binds, []);
    }
  }
}

function finish(needs: Set<string>, bound: ReadonlySet<string>, binds: Set<string>, stuck: string[]): LiteralPlan {
  const missing = [...needs].filter((v) => !bound.has(v));
  for (const v of stuck) if (!missing.includes(v)) missing.push(v);
  return { ready: missing.length === 0, missing, binds };
}

function unboundPats(t: Term, bound: ReadonlySet<string>): string[] {
  return [...termVars(t, 'pattern', new Set()).pats].filter((v) => !bound.has(v));
}

/** Variables that unifying `a` with `b` binds, or null if neither side can be evaluated first. */
export function unifyBinds(a: Term, b: Term, bound: ReadonlySet<string>): Set<string> | null {
  const ua = unboundPats(a, bound);
  const ub = unboundPats(b, bound);
  if (ua.length === 0) return new Set(ub);
  if (ub.length === 0) return new Set(ua);
  const pairs: [Term, Term][] = [];
  if (a.kind === 'array' && b.kind === 'array' && a.items.length === b.items.length) {
    a.items.forEach((x, i) => pairs.push([x, b.items[i]!]));
  } else if (a.kind === 'object' && b.kind === 'object' && a.entries.length === b.entries.length) {
    for (const [k, v] of a.entries) {
      const other = b.entries.find(([k2]) => k2.kind === 'scalar' && k.kind === 'scalar' && k2.value === k.value);
      if (!other) return null;
      pairs.push([v, other[1]]);
    }
  } else return null;
  const now = new Set(bound);
  const out = new Set<string>();
  let pending = pairs;
  while (pending.length > 0) {
    const next: [Term, Term][] = [];
    for (const [x, y] of pending) {
      const r = unifyBinds(x, y, now);
      if (r) r.forEach((v) => (now.add(v), out.add(v)));
      else next.push([x, y]);
    }
    if (next.length === pending.length) return null;
    pending = next;
  }
  return out;
}
