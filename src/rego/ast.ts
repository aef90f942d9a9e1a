/**
 * The Rego AST. Every node carries `start`/`end` offsets into its module's SourceText; line and column
 * are computed only when a diagnostic is rendered.
 */
import type { SourceText } from '../diagnostics/index.js';

export interface Loc {
  start: number;
  end: number;
}

export type Scalar = null | boolean | number | string;

export type Term =
  | { kind: 'scalar'; value: Scalar; loc: Loc }
  | { kind: 'var'; name: string; loc: Loc }
  | { kind: 'ref'; head: Term; path: Term[]; loc: Loc }
  | { kind: 'call'; name: string[]; args: Term[]; loc: Loc }
  | { kind: 'array'; items: Term[]; loc: Loc }
  | { kind: 'set'; items: Term[]; loc: Loc }
  | { kind: 'object'; entries: [Term, Term][]; loc: Loc }
  | { kind: 'arrayCompr'; head: Term; body: Literal[]; loc: Loc }
  | { kind: 'setCompr'; head: Term; body: Literal[]; loc: Loc }
  | { kind: 'objectCompr'; key: Term; value: Term; body: Literal[]; loc: Loc }
  /** Infix operators, kept apart from calls so codegen can inline them. */
  | { kind: 'binary'; op: BinaryOp; left: Term; right: Term; loc: Loc }
  | { kind: 'membership'; key: Term | null; value: Term; collection: Term; loc: Loc };

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '|' | '&';

export interface WithModifier {
  target: Term;
  value: Term;
  loc: Loc;
}

export type Expr =
  | { kind: 'term'; term: Term }
  | { kind: 'assign'; op: ':=' | '='; left: Term; right: Term; loc: Loc }
  | { kind: 'some'; vars: Term[]; loc: Loc }
  | { kind: 'someIn'; key: Term | null; value: Term; collection: Term; loc: Loc }
  | { kind: 'every'; key: Term | null; value: Term; collection: Term; body: Literal[]; loc: Loc };

export interface Literal {
  negated: boolean;
  expr: Expr;
  withs: WithModifier[];
  loc: Loc;
}

export type RuleKind = 'complete' | 'partialSet' | 'partialObject' | 'function';

export interface ElseClause {
  value: Term | null;
  body: Literal[];
  loc: Loc;
}

export interface Rule {
  name: string;
  kind: RuleKind;
  isDefault: boolean;
  /** Function parameters. */
  args: Term[];
  /** Partial rules: the set member or object key. */
  key: Term | null;
  /** Head value; null means `true`. */
  value: Term | null;
  /** `:=` in the head (reassigning the same name elsewhere is a conflict). */
  assigned: boolean;
  body: Literal[];
  elses: ElseClause[];
  loc: Loc;
}

export interface Import {
  path: string[];
  alias: string | null;
  loc: Loc;
}

export interface Module {
  source: SourceText;
  pkg: string[];
  pkgLoc: Loc;
  imports: Import[];
  rules: Rule[];
}


/** Direct child terms; comprehension heads are included, their bodies are reached through `literalTerms`. */
export function subterms(t: Term): Term[] {
  switch (t.kind) {
    case 'scalar':
    case 'var':
      return [];
    case 'ref':
      return [t.head, ...t.path];
    case 'call':
      return t.args;
    case 'array':
    case 'set':
      return t.items;
    case 'object':
      return t.entries.flat();
    case 'binary':
      return [t.left, t.right];
    case 'membership':
      return t.key ? [t.key, t.value, t.collection] : [t.value, t.collection];
    case 'arrayCompr':
    case 'setCompr':
      return [t.head];
    case 'objectCompr':
      return [t.key, t.value];
  }
}

/** The terms a literal is made of (every body terms are reached through the body). */
export function literalTerms(l: Literal): Term[] {
  const e = l.expr;
  const own: Term[] =
    e.kind === 'term' ? [e.term]
    : e.kind === 'assign' ? [e.left, e.right]
    : e.kind === 'some' ? e.vars
    : e.key ? [e.key, e.value, e.collection] : [e.value, e.collection];
  return [...own, ...l.withs.map((w) => w.value)];
}

/**
 * Calls `f` on every term below `t` (itself included). With `deep`, it goes into comprehensions (head
 * and body) and every bodies; without, a comprehension is visited but not entered.
 */
export function walkTerms(t: Term, f: (x: Term) => void, deep: boolean): void {
  f(t);
  const isComprehension = t.kind === 'arrayCompr' || t.kind === 'setCompr' || t.kind === 'objectCompr';
  if (isComprehension && !deep) return;
  for (const c of subterms(t)) walkTerms(c, f, deep);
  if (isComprehension) for (const l of t.body) walkLiteral(l, f, deep);
}

export function walkLiteral(l: Literal, f: (x: Term) => void, deep: boolean): void {
  for (const t of literalTerms(l)) walkTerms(t, f, deep);
  if (deep && l.expr.kind === 'every') for (const b of l.expr.body) walkLiteral(b, f, deep);
}

/** Calls `f` on every literal of a body and of the bodies nested in it (not, every, comprehensions). */
export function forEachLiteral(lits: readonly Literal[], f: (l: Literal) => void): void {
  for (const l of lits) {
    f(l);
    if (l.expr.kind === 'every') forEachLiteral(l.expr.body, f);
    walkLiteral(l, (t) => {
      if (t.kind === 'arrayCompr' || t.kind === 'setCompr' || t.kind === 'objectCompr') forEachLiteral(t.body, f);
    }, false);
  }
}
