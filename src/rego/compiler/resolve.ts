/**
 * Stage "resolve": every name in a rule is made explicit. Local variables keep their names; rules of
 * the same package, import aliases and the roots become refs whose head is `$data` or `$input`; call
 * names become `['$data', …]` for user functions or the builtin's dotted name. Checks `:=`
 * redeclarations, unknown functions and builtin arity (rego_compile_error / rego_type_error).
 */
import type { DiagnosticCode } from '../../diagnostics/index.js';
import type { Expr, Literal, Loc, Module, Rule, Term } from '../ast.js';
import { BUILTIN_DECLS, constantFits } from '../builtins/decls.js';
import { findPackage, spanOf, type CompileState, type PackageNode, type RuleDef } from './model.js';

export const INPUT = '$input';
export const DATA = '$data';

export function resolveNames(state: CompileState): void {
  const resolvers = new Map<Module, RuleResolver>();
  for (const module of state.modules) resolvers.set(module, new RuleResolver(state, findPackage(state.root, module.pkg)!, module));
  for (const group of state.groups) {
    const resolveDef = (def: RuleDef): RuleDef => ({ module: def.module, rule: resolvers.get(def.module)!.rule(def.rule) });
    group.defs = group.defs.map(resolveDef);
    if (group.defaultDef) group.defaultDef = resolveDef(group.defaultDef);
  }
  if (state.options.strict) for (const r of resolvers.values()) r.reportStrict();
}

/** Resolves a query term (e.g. the ref given to `evaluate`) outside any package. */
export function resolveQueryTerm(state: CompileState, module: Module, term: Term): Term {
  const r = new RuleResolver(state, state.root, module);
  return r.term(term, new Scope(null));
}

class Scope {
  readonly declared = new Set<string>();
  readonly seen = new Set<string>();
  constructor(readonly parent: Scope | null) {}
  isDeclared(name: string): boolean {
    return this.declared.has(name) || (this.parent?.isDeclared(name) ?? false);
  }
  wasSeen(name: string): boolean {
    return this.seen.has(name) || (this.parent?.wasSeen(name) ?? false);
  }
}

/** Builtins OPA deprecates; strict mode rejects them. */
const DEPRECATED_BUILTINS = new Set(['all', 'any']);

class RuleResolver {
  private readonly aliases = new Map<string, string[]>();
  private readonly usedAliases = new Set<string>();
  private readonly deprecatedCalls: { name: string; loc: Loc }[] = [];

  constructor(
    private readonly state: CompileState,
    private readonly pkg: PackageNode,
    private readonly module: Module,
  ) {
    for (const imp of module.imports) {
      const root = imp.path[0];
      if (root === 'future' || (root === 'rego' && imp.path[1] === 'v1')) continue;
      if (root !== 'data' && root !== 'input') {
        this.error('rego_compile_error', imp.loc, `invalid import ${imp.path.join('.')}: must begin with input or data`);
        continue;
      }
      const alias = imp.alias ?? imp.path[imp.path.length - 1]!;
      if (this.aliases.has(alias)) this.error('rego_compile_error', imp.loc, `import must not shadow import ${alias}`);
      this.aliases.set(alias, imp.path);
    }
  }

  rule(rule: Rule): Rule {
    const scope = new Scope(null);
    const args = rule.args.map((a) => this.pattern(a, scope, true));
    const body = this.body(rule.body, scope);
    const head = (t: Term | null): Term | null => (t ? this.term(t, scope) : null);
    const elses = rule.elses.map((e) => {
      const s = new Scope(null);
      for (const a of args) for (const v of patternVarNames(a)) s.declared.add(v);
      const b = this.body(e.body, s);
      return { ...e, body: b, value: e.value ? this.term(e.value, s) : null };
    });
    return { ...rule, args, key: head(rule.key), value: head(rule.value), body, elses };
  }

  private body(lits: Literal[], scope: Scope): Literal[] {
    return lits.map((l) => this.literal(l, scope));
  }

  private literal(lit: Literal, scope: Scope): Literal {
    const withs = lit.withs.map((w) => ({ ...w, target: this.withTarget(w.target), value: this.term(w.value, scope) }));
    return { ...lit, expr: this.expr(lit.expr, scope), withs };
  }

  private expr(e: Expr, scope: Scope): Expr {
    switch (e.kind) {
      case 'term':
        return { kind: 'term', term: this.term(e.term, scope) };
      case 'assign':
        if (e.op === ':=') {
          const right = this.term(e.right, scope);
          return { ...e, right, left: this.declare(e.left, scope) };
        }
        return { ...e, left: this.term(e.left, scope), right: this.term(e.right, scope) };
      case 'some':
        for (const v of e.vars) this.declareVar(v, scope);
        return e;
      case 'someIn': {
        const collection = this.term(e.collection, scope);
        const key = e.key ? this.declare(e.key, scope) : null;
        return { ...e, collection, key, value: this.declare(e.value, scope) };
      }
      case 'every': {
        const collection = this.term(e.collection, scope);
        const inner = new Scope(scope);
        const key = e.key ? this.declare(e.key, inner) : null;
        const value = this.declare(e.value, inner);
        return { ...e, collection, key, value, body: this.body(e.body, inner) };
      }
    }
  }

  /** A pattern on the left of `:=` or in `some … in`: its variables are new locals. */
  private declare(t: Term, scope: Scope): Term {
    return this.pattern(t, scope, true);
  }

  private pattern(t: Term, scope: Scope, declare: boolean): Term {
    switch (t.kind) {
      case 'var':
        if (declare) this.declareVar(t, scope);
        return t;
      case 'array':
        return { ...t, items: t.items.map((i) => this.pattern(i, scope, declare)) };
      case 'object':
        return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, scope), this.pattern(v, scope, declare)] as [Term, Term]) };
      default:
        return this.term(t, scope);
    }
  }

  private declareVar(t: Term, scope: Scope): void {
    if (t.kind !== 'var' || t.name.startsWith('_$')) return;
    if (scope.declared.has(t.name)) this.error('rego_compile_error', t.loc, `var ${t.name} assigned above`);
    else if (scope.seen.has(t.name)) this.error('rego_compile_error', t.loc, `var ${t.name} referenced above`);
    scope.declared.add(t.name);
  }

  term(t: Term, scope: Scope): Term {
    switch (t.kind) {
      case 'scalar':
        return t;
      case 'var':
        return this.varRef(t, scope);
      case 'ref': {
        const head = this.term(t.head, scope);
        const path = t.path.map((p) => this.term(p, scope));
        if (head.kind === 'ref') return { ...t, head: head.head, path: [...head.path, ...path] };
        return { ...t, head, path };
      }
      case 'call':
        return { ...t, name: this.callName(t), args: t.args.map((a) => this.term(a, scope)) };
      case 'array':
        return { ...t, items: t.items.map((i) => this.term(i, scope)) };
      case 'set':
        return { ...t, items: t.items.map((i) => this.term(i, scope)) };
      case 'object':
        return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, scope), this.term(v, scope)] as [Term, Term]) };
      case 'binary':
        return { ...t, left: this.term(t.left, scope), right: this.term(t.right, scope) };
      case 'membership':
        return { ...t, key: t.key ? this.term(t.key, scope) : null, value: this.term(t.value, scope), collection: this.term(t.collection, scope) };
      case 'arrayCompr':
      case 'setCompr': {
        const inner = new Scope(scope);
        const body = this.body(t.body, inner);
        return { ...t, body, head: this.term(t.head, inner) };
      }
      case 'objectCompr': {
        const inner = new Scope(scope);
        const body = this.body(t.body, inner);
        return { ...t, body, key: this.term(t.key, inner), value: this.term(t.value, inner) };
      }
    }
  }

  private varRef(t: Extract<Term, { kind: 'var' }>, scope: Scope): Term {
    const name = t.name;
    if (name.startsWith('_$') || scope.isDeclared(name) || scope.wasSeen(name)) return t;
    const rule = this.pkg.rules.get(name);
    if (rule?.kind === 'function') this.error('rego_type_error', t.loc, `function data.${rule.path.join('.')} must be called`);
    if (rule) return this.dataRef([...this.pkg.path, name], t.loc);
    const alias = this.aliases.get(name);
    if (alias) {
      this.usedAliases.add(name);
      return this.rootRef(alias, t.loc);
    }
    if (name === 'input') return { kind: 'var', name: INPUT, loc: t.loc };
    if (name === 'data') return { kind: 'var', name: DATA, loc: t.loc };
    scope.seen.add(name);
    return t;
  }

  private rootRef(path: string[], loc: Loc): Term {
    const head: Term = { kind: 'var', name: path[0] === 'input' ? INPUT : DATA, loc };
    if (path.length === 1) return head;
    return { kind: 'ref', head, path: path.slice(1).map((s) => ({ kind: 'scalar', value: s, loc })), loc };
  }

  private dataRef(path: string[], loc: Loc): Term {
    return this.rootRef(['data', ...path], loc);
  }

  private withTarget(t: Term): Term {
    const head = t.kind === 'ref' ? t.head : t;
    const ok = head.kind === 'var' && (head.name === 'input' || head.name === 'data' || this.aliases.has(head.name));
    if (head.kind === 'var' && this.aliases.has(head.name)) this.usedAliases.add(head.name);
    if (!ok) {
      this.error('rego_type_error', t.loc, 'with keyword target must reference existing input or data');
      return t;
    }
    return this.term(t, new Scope(null));
  }

  private callName(t: Extract<Term, { kind: 'call' }>): string[] {
    const [first, ...rest] = t.name;
    let path: string[] | null = null;
    if (first === 'data') path = rest;
    else if (this.aliases.has(first!)) {
      this.usedAliases.add(first!);
      const alias = this.aliases.get(first!)!;
      path = alias[0] === 'data' ? [...alias.slice(1), ...rest] : null;
    } else if (rest.length === 0 && this.pkg.rules.has(first!)) path = [...this.pkg.path, first!];
    if (path) {
      const node = findPackage(this.state.root, path.slice(0, -1));
      const group = node?.rules.get(path[path.length - 1]!);
      if (!group || group.kind !== 'function') {
        this.error('rego_type_error', t.loc, `undefined function data.${path.join('.')}`);
      } else if (group.arity !== t.args.length) {
        this.error('rego_type_error', t.loc, `data.${path.join('.')}: arity mismatch: ${t.args.length} arguments given, ${group.arity} expected`);
      }
      return [DATA, ...path];
    }
    const name = t.name.join('.');
    const decl = BUILTIN_DECLS[name];
    if (DEPRECATED_BUILTINS.has(name)) this.deprecatedCalls.push({ name, loc: t.loc });
    if (!decl) {
      this.error('rego_type_error', t.loc, `undefined function ${name}`);
      return t.name;
    }
    if (decl.args.length !== t.args.length) {
      this.error('rego_type_error', t.loc, `${name}: arity mismatch: ${t.args.length} arguments given, ${decl.args.length} expected`);
    } else {
      t.args.forEach((a, i) => {
        if (a.kind === 'scalar' && !constantFits(decl.args[i]!, a.value)) {
          this.error('rego_type_error', a.loc, `${name}: invalid argument ${i + 1}: got ${a.value === null ? 'null' : typeof a.value}, want ${decl.args[i]}`);
        }
      });
    }
    return t.name;
  }

  /** OPA's strict mode: unused imports and deprecated builtins are errors. */
  reportStrict(): void {
    for (const imp of this.module.imports) {
      const root = imp.path[0];
      if (root === 'future' || root === 'rego') continue;
      const alias = imp.alias ?? imp.path[imp.path.length - 1]!;
      if (!this.usedAliases.has(alias)) this.error('rego_compile_error', imp.loc, `import ${imp.path.join('.')} unused`);
    }
    for (const c of this.deprecatedCalls) this.error('rego_type_error', c.loc, `deprecated built-in function calls in expression: ${c.name}`);
  }

  private error(code: DiagnosticCode, loc: Loc, message: string): void {
    this.state.diagnostics.push({ code, severity: 'error', message, span: spanOf(this.module, loc) });
  }
}

export function patternVarNames(t: Term): string[] {
  switch (t.kind) {
    case 'var':
      return [t.name];
    case 'array':
      return t.items.flatMap(patternVarNames);
    case 'object':
      return t.entries.flatMap(([, v]) => patternVarNames(v));
    default:
      return [];
  }
}
