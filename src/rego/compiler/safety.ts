/**
 * Stage "safety": every variable must be bound before it is used. Literals are reordered as OPA
 * does (a literal whose inputs are not bound yet waits until they are), and whatever can never be bound
 * is reported as rego_unsafe_var_error. Comprehension and `every` bodies are ordered the same way.
 */
import { literalTerms, subterms, walkTerms, type Literal, type Loc, type Module, type Term } from '../ast.js';
import type { CompileState, RuleDef } from './model.js';
import { spanOf } from './model.js';
import { allVars, bodyNames, forEachTerm, isWildcard, planLiteral, termVars } from './vars.js';

export function checkSafety(state: CompileState): void {
  for (const group of state.groups) {
    for (const def of [...group.defs, ...(group.defaultDef ? [group.defaultDef] : [])]) checkRule(state, def);
  }
}

function checkRule(state: CompileState, def: RuleDef): void {
  const { rule, module } = def;
  if (rule.isDefault) {
    // a default value is used when nothing else is known, so it cannot depend on anything
    let ground = true;
    walkTerms(rule.value!, (t) => (ground &&= ['scalar', 'array', 'object', 'set'].includes(t.kind)), true);
    if (!ground) state.diagnostics.push({ code: 'rego_compile_error', severity: 'error', message: `default rule value must be a constant`, span: spanOf(module, rule.value!.loc), item: rule.name });
    return;
  }
  const argVars = new Set<string>();
  for (const a of rule.args) for (const v of termVars(a, 'pattern', new Set()).pats) argVars.add(v);
  const clauses = [
    { body: rule.body, heads: [rule.key, rule.value], set: (b: Literal[]) => (rule.body = b) },
    ...rule.elses.map((e) => ({ body: e.body, heads: [e.value], set: (b: Literal[]) => (e.body = b) })),
  ];
  for (const clause of clauses) {
    const outer = bodyNames(clause.body, [...clause.heads, ...rule.args]);
    const { ordered, bound } = orderBody(state, module, clause.body, argVars, outer);
    clause.set(ordered);
    const heads = clause.heads.filter((h): h is Term => h !== null);
    orderComprehensions(state, module, heads, bound, outer);
    for (const h of heads) reportUnbound(state, module, h, bound, termVars(h, 'value', outer));
  }
}

/** Orders a body; returns the literals in evaluation order and the variables bound at its end. */
function orderBody(
  state: CompileState,
  module: Module,
  body: Literal[],
  initial: ReadonlySet<string>,
  outer: ReadonlySet<string>,
): { ordered: Literal[]; bound: Set<string> } {
  const bound = new Set(initial);
  const pending = [...body];
  const ordered: Literal[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex((l) => planLiteral(l, bound, outer).ready);
    if (i < 0) {
      for (const l of pending) reportMissing(state, module, l, planLiteral(l, bound, outer).missing);
      break;
    }
    const [lit] = pending.splice(i, 1);
    planLiteral(lit!, bound, outer).binds.forEach((v) => bound.add(v));
    orderNested(state, module, lit!, bound, outer);
    ordered.push(lit!);
  }
  return { ordered, bound };
}

/** Orders comprehension and `every` bodies inside a literal. */
function orderNested(state: CompileState, module: Module, lit: Literal, bound: ReadonlySet<string>, outer: ReadonlySet<string>): void {
  orderComprehensions(state, module, literalTerms(lit), bound, outer);
  const e = lit.expr;
  if (e.kind === 'every') {
    const local = new Set<string>();
    for (const p of [e.key, e.value]) if (p) allVars(p).forEach((v) => local.add(v));
    const inner = new Set([...outer, ...bodyNames(e.body)]);
    const r = orderBody(state, module, e.body, new Set([...bound, ...local]), inner);
    e.body = r.ordered;
  }
}

function orderComprehensions(state: CompileState, module: Module, terms: Term[], bound: ReadonlySet<string>, outer: ReadonlySet<string>): void {
  const visit = (t: Term): void => {
    if (t.kind === 'arrayCompr' || t.kind === 'setCompr' || t.kind === 'objectCompr') {
      const heads = t.kind === 'objectCompr' ? [t.key, t.value] : [t.head];
      const inner = new Set([...outer, ...bodyNames(t.body, heads)]);
      const captured = new Set([...allVars(t)].filter((v) => outer.has(v) && bound.has(v)));
      const r = orderBody(state, module, t.body, captured, inner);
      t.body = r.ordered;
      for (const h of heads) reportUnbound(state, module, h, r.bound, termVars(h, 'value', inner));
      return;
    }
    subterms(t).forEach(visit);
  };
  terms.forEach(visit);
}

function reportUnbound(state: CompileState, module: Module, head: Term, bound: ReadonlySet<string>, tv: { needs: Set<string>; outs: Set<string> }): void {
  const missing = [...tv.needs, ...tv.outs].filter((v) => !bound.has(v));
  for (const v of new Set(missing)) report(state, module, v, findVar(head, v) ?? head.loc);
}

function reportMissing(state: CompileState, module: Module, lit: Literal, missing: string[]): void {
  for (const v of missing) {
    let loc: Loc | undefined;
    forEachTerm(lit, (t) => (loc ??= findVar(t, v)));
    report(state, module, v, loc ?? lit.loc);
  }
}

function report(state: CompileState, module: Module, name: string, loc: Loc): void {
  const shown = isWildcard(name) ? '_' : name;
  const span = spanOf(module, loc);
  const dup = state.diagnostics.some((d) => d.code === 'rego_unsafe_var_error' && d.span?.source === span.source && d.span.start === span.start);
  if (!dup) state.diagnostics.push({ code: 'rego_unsafe_var_error', severity: 'error', message: `var ${shown} is unsafe`, span });
}

function findVar(t: Term, name: string): Loc | undefined {
  let found: Loc | undefined;
  walkTerms(t, (x) => x.kind === 'var' && x.name === name && (found ??= x.loc), true);
  return found;
}
