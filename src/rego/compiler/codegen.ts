/**
 * Stage "codegen": each rule group becomes one JavaScript function, generated as source and built
 * once with `new Function`. A body becomes nested blocks: every literal opens an `if` (a test) or a
 * `for` (a choice point), so backtracking is plain loop iteration and failure is not entering a
 * block. `not`, `every` and `else` use labelled blocks. Complete and partial rules are cached per
 * evaluation by a generation number (no allocation per event); `with` starts a new generation.
 *
 * Work done once at compile time instead of per evaluation: constant rules (`s := {"a", "b"}`) are
 * read as hoisted constants; loops over constants skip the shape checks, and a constant set of scalars
 * is probed with a JS Set; a value known to be a scalar is compared with `===`; a call of a user
 * function with constant arguments (`helpers.get_tracee_argument("flags")`) goes to a copy of the
 * function specialised for them, cached per evaluation like a rule (same conflicts); and definitions
 * that start with the same `input.x == "…"` test read `input.x` once and skip the others' bodies.
 */
import { forEachLiteral, type Literal, type Module, type Term } from '../ast.js';
import type { EvalLocation } from '../runtime/eval-error.js';
import { INHERITED_NAMES, objectOf } from '../runtime/ops.js';
import { RegoSet, type Value } from '../runtime/value.js';
import { allDefs, lookupData, type CompileState, type PackageNode, type RuleDef, type RuleGroup } from './model.js';
import { DATA, INPUT } from './resolve.js';
import { isLocal, isWildcard, termVars } from './vars.js';

/** Helper names the generated code takes from runtime/ops.ts. */
export const RUNTIME_NAMES = [
  'dot', 'index', 'keysOf', 'valueAt', 'isObject', 'objectSize', 'setOf', 'objectOf', 'equal', 'lt', 'lte', 'gt', 'gte',
  'plus', 'minus', 'times', 'divide', 'remainder', 'union', 'intersect', 'member', 'memberKV', 'patchInput',
  'overrideAt', 'NO_OVERRIDE', 'dataAt', 'conflict', 'putUnique', 'RegoSet', 'ObjectBuilder',
] as const;

/** Names the program module exports to query functions. */
const PROGRAM_NAMES = ['newCtx', 'resetCtx', 'withCtx', 'addOverride', 'baseData'];

export interface GeneratedModule {
  source: string;
  constants: unknown[];
}

const COMPARE: Record<string, string> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const ARITH: Record<string, string> = { '+': 'plus', '-': 'minus', '*': 'times', '/': 'divide', '%': 'remainder', '|': 'union', '&': 'intersect' };

class Emitter {
  readonly lines: string[] = [];
  readonly constants: unknown[] = [];
  readonly builtins = new Set<string>();
  private readonly constIndex = new Map<string, string>();
  private n = 0;
  closers = 0;
  vars = new Map<string, string>();
  ctx = 'ctx';
  /** Atoms (variables, temporaries) known to hold a scalar, so `===` is Rego equality for them. */
  readonly scalarAtoms = new Set<string>();
  /** Whether calls with constant arguments go to specialised copies (program code only, not queries). */
  specialize = false;

  /** The module whose rule is being generated (locations of runtime errors). */
  module: Module | null = null;

  constructor(
    readonly state: CompileState,
    readonly names: ProgramNames,
  ) {}

  fresh(prefix: string): string {
    return `${prefix}${++this.n}`;
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  open(header: string): void {
    this.emit(`${header} {`);
    this.closers++;
  }

  closeTo(level: number): void {
    while (this.closers > level) {
      this.emit('}');
      this.closers--;
    }
  }

  tmp(expr: string, mayBeUndefined: boolean): string {
    const name = this.fresh('t');
    this.emit(`const ${name} = ${expr};`);
    if (mayBeUndefined) this.open(`if (${name} !== undefined)`);
    return name;
  }

  constant(v: unknown, key = typeof v === 'object' && v !== null && 'file' in v ? `loc:${JSON.stringify(v)}` : `v:${describeConst(v)}`): string {
    let name = this.constIndex.get(key);
    if (!name) {
      name = `K${this.constants.length}`;
      this.constants.push(v);
      this.constIndex.set(key, name);
    }
    return name;
  }

  /** The compile-time value behind a constant atom, or NOT_CONST. */
  constValue(atom: string): unknown {
    if (!/^K\d+$/.test(atom)) return NOT_CONST;
    return this.constants[Number(atom.slice(1))];
  }

  isConstantAtom(atom: string): boolean {
    return isLiteralAtom(atom) || this.constValue(atom) !== NOT_CONST;
  }

  location(module: Module, offset: number): string {
    const p = module.source.position(offset);
    const loc: EvalLocation = { file: module.source.name, line: p.line, col: p.col };
    return this.constant(loc);
  }

  // ---- bodies and literals -------------------------------------------------------------------

  body(lits: readonly Literal[], onSuccess: () => void): void {
    const level = this.closers;
    const saved = new Map(this.vars);
    for (const lit of lits) this.literal(lit);
    onSuccess();
    this.closeTo(level);
    this.vars = saved;
  }

  private literal(lit: Literal): void {
    const savedCtx = this.ctx;
    if (lit.withs.length > 0) this.ctx = this.withContext(lit);
    if (lit.negated) {
      const flag = this.fresh('n');
      const label = this.fresh('L');
      this.emit(`let ${flag} = false;`);
      this.emit(`${label}: {`);
      const level = this.closers;
      const saved = new Map(this.vars);
      this.expr(lit);
      this.emit(`${flag} = true; break ${label};`);
      this.closeTo(level);
      this.vars = saved;
      this.emit('}');
      this.open(`if (!${flag})`);
    } else this.expr(lit);
    this.ctx = savedCtx;
  }

  private withContext(lit: Literal): string {
    let input = `${this.ctx}.input`;
    let ov = `${this.ctx}.ov`;
    for (const w of lit.withs) {
      const value = this.term(w.value);
      const target = w.target;
      const path = target.kind === 'ref' ? target.path.map((p) => (p.kind === 'scalar' ? String(p.value) : '')) : [];
      if (isInputTarget(target)) input = path.length ? `patchInput(${input}, ${this.constant(path)}, ${value})` : value;
      else ov = `addOverride(${ov}, ${this.constant(path)}, ${value})`;
    }
    return this.tmp(`withCtx(${this.ctx}, ${input}, ${ov})`, false);
  }

  private expr(lit: Literal): void {
    const e = lit.expr;
    switch (e.kind) {
      case 'term': {
        const t = e.term;
        if (t.kind === 'binary' && (t.op === '==' || t.op === '!=')) {
          const eq = this.eqExpr(this.term(t.left), this.term(t.right));
          this.open(`if (${t.op === '==' ? eq : `!(${eq})`})`);
        } else if (t.kind === 'binary' && COMPARE[t.op]) {
          this.open(`if (${COMPARE[t.op]}(${this.term(t.left)}, ${this.term(t.right)}))`);
        } else this.open(`if (${this.term(t)} !== false)`);
        return;
      }
      case 'assign':
        this.unify(e.left, e.right);
        return;
      case 'some':
        return;
      case 'someIn': {
        const c = this.term(e.collection);
        const it = this.iterate(c, e.key !== null);
        if (e.key) this.unifyValue(e.key, it.key());
        this.unifyValue(e.value, it.value);
        return;
      }
      case 'every': {
        const c = this.term(e.collection);
        const ok = this.fresh('ok');
        const outer = this.fresh('L');
        this.emit(`let ${ok} = true;`);
        this.emit(`${outer}: {`);
        const level = this.closers;
        const saved = new Map(this.vars);
        const it = this.iterate(c, e.key !== null);
        const found = this.fresh('found');
        const inner = this.fresh('L');
        this.emit(`let ${found} = false;`);
        this.emit(`${inner}: {`);
        const innerLevel = this.closers;
        if (e.key) this.unifyValue(e.key, it.key());
        this.unifyValue(e.value, it.value);
        this.body(e.body, () => this.emit(`${found} = true; break ${inner};`));
        this.closeTo(innerLevel);
        this.emit('}');
        this.emit(`if (!${found}) { ${ok} = false; break ${outer}; }`);
        this.closeTo(level);
        this.vars = saved;
        this.emit('}');
        this.open(`if (${ok})`);
        return;
      }
    }
  }

  /** Opens a loop over a collection's entries; `value` is defined inside it. */
  private iterate(c: string, needKey: boolean): { key: () => string; value: string } {
    const known = this.constValue(c);
    if (Array.isArray(known) || known instanceof RegoSet) return this.iterateConstant(c, known);
    const isArr = this.fresh('a');
    const keys = this.fresh('ks');
    const i = this.fresh('i');
    const v = this.fresh('v');
    this.open(`if (typeof ${c} === 'object' && ${c} !== null)`);
    this.emit(`const ${isArr} = Array.isArray(${c}); const ${keys} = ${isArr} ? ${c} : keysOf(${c});`);
    this.open(`for (let ${i} = 0; ${i} < ${keys}.length; ${i}++)`);
    this.emit(`const ${v} = ${isArr} ? ${c}[${i}] : valueAt(${c}, ${keys}[${i}]);`);
    this.open(`if (${v} !== undefined)`);
    let key: string | null = null;
    return {
      value: v,
      key: () => (key ??= needKey ? this.tmp(`${isArr} ? ${i} : ${keys}[${i}]`, false) : 'undefined'),
    };
  }

  /** A loop over a constant array or set: no shape checks, and scalar members are marked as such. */
  private iterateConstant(c: string, known: Value[] | RegoSet): { key: () => string; value: string } {
    const items = Array.isArray(known) ? c : this.constant(known.members());
    const list = Array.isArray(known) ? known : known.members();
    const i = this.fresh('i');
    const v = this.fresh('v');
    this.open(`for (let ${i} = 0; ${i} < ${items}.length; ${i}++)`);
    this.emit(`const ${v} = ${items}[${i}];`);
    if (list.every(isScalar)) this.scalarAtoms.add(v);
    return { value: v, key: () => (Array.isArray(known) ? i : v) };
  }

  // ---- unification ---------------------------------------------------------------------------

  private unboundPats(t: Term): string[] {
    return [...termVars(t, 'pattern', new Set()).pats].filter((v) => !this.vars.has(v));
  }

  private unify(a: Term, b: Term): void {
    const ua = this.unboundPats(a);
    const ub = this.unboundPats(b);
    if (ua.length === 0 && ub.length === 0) {
      this.open(`if (${this.eqExpr(this.term(a), this.term(b))})`);
    } else if (ua.length === 0) {
      this.unifyValue(b, this.term(a));
    } else if (ub.length === 0) {
      this.unifyValue(a, this.term(b));
    } else {
      const pairs: [Term, Term][] =
        a.kind === 'array' && b.kind === 'array' ? a.items.map((x, i) => [x, b.items[i]!])
        : a.kind === 'object' && b.kind === 'object' ? a.entries.map(([k, v]) => [v, b.entries.find(([k2]) => k2.kind === 'scalar' && k.kind === 'scalar' && k2.value === k.value)![1]])
        : [];
      if (a.kind === 'object' && b.kind === 'object' && a.entries.length !== b.entries.length) this.open('if (false)');
      let pending = pairs;
      while (pending.length > 0) {
        const next = pending.filter(([x, y]) => this.unboundPats(x).length > 0 && this.unboundPats(y).length > 0);
        const ready = pending.filter((p) => !next.includes(p));
        ready.forEach(([x, y]) => this.unify(x, y));
        if (next.length === pending.length) throw new Error('codegen: unification order not found (safety stage missed it)');
        pending = next;
      }
    }
  }

  /** Unifies a pattern with a value already held in `atom`. */
  unifyValue(p: Term, atom: string): void {
    if (p.kind === 'var' && isLocal(p.name)) {
      const bound = this.vars.get(p.name);
      if (bound) this.open(`if (${this.eqExpr(bound, atom)})`);
      else this.vars.set(p.name, atom);
      return;
    }
    if (this.unboundPats(p).length > 0 && p.kind === 'array') {
      this.open(`if (Array.isArray(${atom}) && ${atom}.length === ${p.items.length})`);
      p.items.forEach((item, i) => this.unifyValue(item, this.tmp(`${atom}[${i}]`, false)));
      return;
    }
    if (this.unboundPats(p).length > 0 && p.kind === 'object') {
      this.open(`if (isObject(${atom}) && objectSize(${atom}) === ${p.entries.length})`);
      for (const [k, v] of p.entries) this.unifyValue(v, this.tmp(`index(${atom}, ${this.term(k)})`, true));
      return;
    }
    this.open(`if (${this.eqExpr(this.term(p), atom)})`);
  }

  eqExpr(a: string, b: string): string {
    const scalar = (x: string): boolean => isLiteralAtom(x) || this.scalarAtoms.has(x);
    return scalar(a) || scalar(b) ? `${a} === ${b}` : `equal(${a}, ${b})`;
  }

  // ---- terms ---------------------------------------------------------------------------------

  /** Compiles a term to an atom (literal, constant, variable or temporary) that is never undefined. */
  term(t: Term): string {
    const c = constantOf(t);
    if (c !== NOT_CONST) return typeof c === 'object' && c !== null ? this.constant(c) : literalAtom(c as null | boolean | number | string);
    switch (t.kind) {
      case 'var':
        if (t.name === INPUT) return this.tmp(`${this.ctx}.input`, true);
        if (t.name === DATA) return this.tmp(`${this.names.pkg(this.state.root)}(${this.ctx})`, false);
        return this.vars.get(t.name) ?? this.unboundVar(t.name);
      case 'ref':
        return this.ref(t);
      case 'call': {
        const args = t.args.map((a) => this.term(a));
        if (t.name[0] === DATA) {
          const group = this.names.functionGroup(t.name.slice(1));
          if (this.specialize && args.every((a) => this.isConstantAtom(a))) {
            return this.tmp(`${this.names.specialized(group, args)}(${this.ctx})`, true);
          }
          return this.tmp(`${this.names.rule(group)}(${[this.ctx, ...args].join(', ')})`, true);
        }
        const name = t.name.join('.');
        this.builtins.add(name);
        return this.tmp(`${builtinIdent(name)}(${args.join(', ')})`, true);
      }
      case 'array':
        return this.tmp(`[${t.items.map((i) => this.term(i)).join(', ')}]`, false);
      case 'set':
        return this.tmp(`setOf([${t.items.map((i) => this.term(i)).join(', ')}])`, false);
      case 'object': {
        const keys = t.entries.map(([k]) => (k.kind === 'scalar' && typeof k.value === 'string' ? k.value : null));
        const plain = keys.every((k) => k !== null && k !== '__proto__') && new Set(keys).size === keys.length;
        if (plain) return this.tmp(`{ ${t.entries.map(([, v], i) => `${JSON.stringify(keys[i])}: ${this.term(v)}`).join(', ')} }`, false);
        const entries = t.entries.map(([k, v]) => `[${this.term(k)}, ${this.term(v)}]`);
        return this.tmp(`objectOf([${entries.join(', ')}])`, false);
      }
      case 'binary': {
        const l = this.term(t.left);
        const r = this.term(t.right);
        if (t.op === '==') return this.tmp(this.eqExpr(l, r), false);
        if (t.op === '!=') return this.tmp(`!(${this.eqExpr(l, r)})`, false);
        if (COMPARE[t.op]) return this.tmp(`${COMPARE[t.op]}(${l}, ${r})`, false);
        return this.tmp(`${ARITH[t.op]}(${l}, ${r})`, true);
      }
      case 'membership': {
        const v = this.term(t.value);
        const c2 = this.term(t.collection);
        return t.key ? this.tmp(`memberKV(${this.term(t.key)}, ${v}, ${c2})`, false) : this.tmp(`member(${v}, ${c2})`, false);
      }
      case 'arrayCompr':
      case 'setCompr':
      case 'objectCompr':
        return this.comprehension(t);
      case 'scalar':
        throw new Error('unreachable: scalars are constants');
    }
  }

  private unboundVar(name: string): never {
    throw new Error(`codegen: variable ${name} is unbound (safety stage missed it)`);
  }

  private comprehension(t: Extract<Term, { kind: 'arrayCompr' | 'setCompr' | 'objectCompr' }>): string {
    const acc = this.fresh('c');
    const init = t.kind === 'arrayCompr' ? '[]' : t.kind === 'setCompr' ? 'new RegoSet()' : 'new ObjectBuilder()';
    this.emit(`const ${acc} = ${init};`);
    this.emit('{');
    const level = this.closers;
    this.body(t.body, () => {
      if (t.kind === 'arrayCompr') this.emit(`${acc}.push(${this.term(t.head)});`);
      else if (t.kind === 'setCompr') this.emit(`${acc}.add(${this.term(t.head)});`);
      else {
        const where = this.module ? this.location(this.module, t.loc.start) : this.constant({ file: '', line: 0, col: 0 });
        this.emit(`putUnique(${acc}, ${this.term(t.key)}, ${this.term(t.value)}, "object keys must be unique", ${where});`);
      }
    });
    this.closeTo(level);
    this.emit('}');
    return t.kind === 'objectCompr' ? this.tmp(`${acc}.done()`, false) : acc;
  }

  private ref(t: Extract<Term, { kind: 'ref' }>): string {
    let atom: string;
    let rest = t.path;
    const head = t.head;
    if (head.kind === 'var' && head.name === DATA) {
      const target = lookupData(this.state.root, t.path);
      rest = t.path.slice(target.consumed);
      const value = target.kind === 'rule' && !this.names.overridable ? constantRuleValue(target.group) : NOT_CONST;
      if (value !== NOT_CONST) {
        atom = typeof value === 'object' && value !== null ? this.constant(value) : literalAtom(value as null | boolean | number | string);
      } else if (target.kind === 'rule') {
        atom = this.tmp(`${this.names.rule(target.group)}(${this.ctx})`, true);
      } else if (target.kind === 'package') {
        atom = this.tmp(`${this.names.pkg(target.node)}(${this.ctx})`, false);
      } else {
        const prefix: string[] = [...target.node.path];
        while (rest.length > 0 && rest[0]!.kind === 'scalar' && typeof (rest[0] as { value: unknown }).value === 'string') {
          prefix.push((rest[0] as { value: string }).value);
          rest = rest.slice(1);
        }
        atom = this.tmp(`baseData(${this.ctx}, ${this.constant(prefix)})`, true);
      }
    } else atom = this.term(head);
    for (const seg of rest) atom = this.step(atom, seg);
    return atom;
  }

  private step(atom: string, seg: Term): string {
    if (seg.kind === 'scalar') {
      if (typeof seg.value === 'string' && !INHERITED_NAMES.has(seg.value)) {
        // plain JSON objects (the usual `input`) are read with a constant-key load the engine can cache
        const key = JSON.stringify(seg.value);
        return this.tmp(`typeof ${atom} === 'object' && ${atom} !== null && ${atom}.constructor === Object ? ${atom}[${key}] : dot(${atom}, ${key})`, true);
      }
      return this.tmp(`index(${atom}, ${literalAtom(seg.value)})`, true);
    }
    if (this.unboundPats(seg).length > 0) {
      // a wildcard occurs once, so its key is never read
      const wildcard = seg.kind === 'var' && isWildcard(seg.name);
      const it = this.iterate(atom, !wildcard);
      if (!wildcard) this.unifyValue(seg, it.key());
      return it.value;
    }
    const key = this.term(seg);
    const known = this.constValue(atom);
    if (known instanceof RegoSet && known.members().every(isScalar)) {
      const probe = this.constant(new Set(known.members()), `jsset:${describeConst(known)}`);
      return this.tmp(`${probe}.has(${key}) ? ${key} : undefined`, true);
    }
    return this.tmp(`index(${atom}, ${key})`, true);
  }
}

// ---- constants -----------------------------------------------------------------------------------

const NOT_CONST = Symbol('not constant');

/** The value of a ground literal term, or NOT_CONST. */
function constantOf(t: Term): Value | typeof NOT_CONST {
  switch (t.kind) {
    case 'scalar':
      return t.value;
    case 'array': {
      const items = t.items.map(constantOf);
      return items.includes(NOT_CONST) ? NOT_CONST : (items as Value[]);
    }
    case 'set': {
      const items = t.items.map(constantOf);
      return items.includes(NOT_CONST) ? NOT_CONST : RegoSet.of(items as Value[]);
    }
    case 'object': {
      const entries = t.entries.map(([k, v]) => [constantOf(k), constantOf(v)]);
      return entries.some(([k, v]) => k === NOT_CONST || v === NOT_CONST) ? NOT_CONST : objectOf(entries as [Value, Value][]);
    }
    default:
      return NOT_CONST;
  }
}

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';

/** The value of a rule that is one constant (`s := {"a", "b"}`, `default`-free, body-less), or NOT_CONST. */
function constantRuleValue(g: RuleGroup): Value | typeof NOT_CONST {
  if (g.kind !== 'complete' || g.defs.length !== 1 || g.defaultDef !== null) return NOT_CONST;
  const { rule } = g.defs[0]!;
  if (rule.body.length > 0 || rule.elses.length > 0) return NOT_CONST;
  return rule.value === null ? true : constantOf(rule.value);
}

function describeConst(v: unknown): string {
  if (v instanceof RegoSet) return `set:${JSON.stringify(v.members().map(describeConst))}`;
  if (Array.isArray(v)) return `[${v.map(describeConst).join(',')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${describeConst(x)}`).join(',')}}#${v.constructor?.name}`;
  return JSON.stringify(v) ?? String(v);
}

function literalAtom(v: null | boolean | number | string): string {
  if (typeof v === 'number') return v < 0 || Object.is(v, -0) ? `(${v})` : String(v);
  return JSON.stringify(v);
}

function isLiteralAtom(a: string): boolean {
  return a.startsWith('"') || a.startsWith('(') || a === 'true' || a === 'false' || a === 'null' || /^[0-9]/.test(a);
}

const builtinIdent = (name: string): string => `B_${name.replace(/\./g, '$')}`;

// ---- rules -------------------------------------------------------------------------------------

/** A copy of a function for constant arguments, cached per evaluation in its own slot. */
interface Specialization {
  group: RuleGroup;
  name: string;
  args: string[];
  slot: number;
}

class ProgramNames {
  private readonly pkgNames = new Map<PackageNode, string>();
  readonly pendingPkgs: PackageNode[] = [];
  private readonly specIndex = new Map<string, Specialization>();
  readonly specializations: Specialization[] = [];

  /** `overridable`: some `with data.…` may replace rules, so rule values are never inlined. */
  constructor(
    private readonly state: CompileState,
    readonly overridable: boolean,
  ) {}

  /** The function to call for `group` with these constant argument atoms (generated later, once). */
  specialized(group: RuleGroup, args: string[]): string {
    const key = `${group.id}(${args.join(',')})`;
    let spec = this.specIndex.get(key);
    if (!spec) {
      const n = this.specializations.length;
      spec = { group, name: `${this.rule(group)}_${n}`, args, slot: this.state.groups.length + n };
      this.specIndex.set(key, spec);
      this.specializations.push(spec);
    }
    return spec.name;
  }

  /** Cache slots: one per rule group, then one per specialisation. */
  slots(): number {
    return this.state.groups.length + this.specializations.length;
  }

  rule(g: RuleGroup): string {
    return `${g.kind === 'function' ? 'f' : 'r'}${g.id}`;
  }

  pkg(node: PackageNode): string {
    let name = this.pkgNames.get(node);
    if (!name) {
      name = `pk${this.pkgNames.size}`;
      this.pkgNames.set(node, name);
      this.pendingPkgs.push(node);
    }
    return name;
  }

  functionGroup(path: string[]): RuleGroup {
    const g = this.state.groups.find((x) => x.kind === 'function' && x.path.join('.') === path.join('.'));
    if (!g) throw new Error(`codegen: unknown function ${path.join('.')}`);
    return g;
  }

  all(): string[] {
    return [...this.state.groups.map((g) => this.rule(g)), ...this.pkgNames.values()];
  }
}

function usesDataWith(state: CompileState): boolean {
  let found = false;
  for (const g of state.groups) {
    for (const d of allDefs(g)) {
      forEachLiteral([...d.rule.body, ...d.rule.elses.flatMap((e) => e.body)], (l) => {
        for (const w of l.withs) if ((w.target.kind === 'ref' ? w.target.head : w.target).kind === 'var' && !isInputTarget(w.target)) found = true;
      });
    }
  }
  return found;
}

function isInputTarget(t: Term): boolean {
  const head = t.kind === 'ref' ? t.head : t;
  return head.kind === 'var' && head.name === INPUT;
}

function emitRule(em: Emitter, group: RuleGroup, overridable: boolean, spec?: Specialization): void {
  const name = spec?.name ?? em.names.rule(group);
  const params = spec ? [] : Array.from({ length: group.arity }, (_, i) => `a${i}`);
  em.emit(`function ${name}(${['ctx', ...params].join(', ')}) {`);
  const cached = group.kind !== 'function' || spec !== undefined;
  const slot = spec?.slot ?? group.id;
  if (overridable) em.emit(`if (ctx.ov !== null) { const o = overrideAt(ctx.ov, ${em.constant(group.path)}); if (o !== NO_OVERRIDE) return o; }`);
  if (cached) em.emit(`if (CG[${slot}] === ctx.gen) return CV[${slot}];`);
  const init = group.kind === 'partialSet' ? 'new RegoSet()' : group.kind === 'partialObject' ? 'new ObjectBuilder()' : 'undefined';
  em.emit(`let res = ${init};`);
  // When every definition yields the same constant (e.g. many `tracee_match { … }` bodies), the first
  // success decides the value and no later one can conflict, so evaluation stops there.
  const decided = sameConstantHeads(group) ? 'R' : null;
  if (decided) em.emit(`${decided}: {`);
  const index = firstTestIndex(em, group);
  for (const def of group.defs) {
    const guard = index?.guards.get(def);
    if (guard) em.emit(`if (${index!.atom} === ${guard})`);
    emitDefinition(em, group, def, spec?.args ?? params, decided, guard ? 1 : 0);
  }
  if (decided) em.emit('}');
  if (group.kind === 'partialObject') em.emit('res = res.done();');
  if (group.defaultDef) em.emit(`if (res === undefined) res = ${em.term(group.defaultDef.rule.value!)};`);
  if (cached) em.emit(`CG[${slot}] = ctx.gen; CV[${slot}] = res;`);
  em.emit('return res;');
  em.emit('}');
}

/** `input.a.b == "x"` (either side): the input path as a key and the string's atom, or null. */
function inputTest(lit: Literal | undefined): { path: string; term: Term; value: string } | null {
  if (!lit || lit.negated || lit.withs.length > 0 || lit.expr.kind !== 'term') return null;
  const t = lit.expr.term;
  if (t.kind !== 'binary' || t.op !== '==') return null;
  for (const [ref, other] of [[t.left, t.right], [t.right, t.left]] as const) {
    if (other.kind !== 'scalar' || typeof other.value !== 'string') continue;
    if (ref.kind !== 'ref' || ref.head.kind !== 'var' || ref.head.name !== INPUT) continue;
    if (!ref.path.every((p) => p.kind === 'scalar' && typeof p.value === 'string')) continue;
    return { path: JSON.stringify(ref.path.map((p) => (p as { value: string }).value)), term: ref, value: literalAtom(other.value) };
  }
  return null;
}

/**
 * Rule indexing on the first literal: when two or more definitions open with a test of the same input
 * path against a string (`input.eventName == "ptrace"`), the path is read once and each such
 * definition runs only if its string matches; its body then starts after that test.
 */
function firstTestIndex(em: Emitter, group: RuleGroup): { atom: string; guards: Map<RuleDef, string> } | null {
  const tests = group.defs.map((d) => (d.rule.elses.length === 0 ? inputTest(d.rule.body[0]) : null));
  const counts = new Map<string, number>();
  for (const t of tests) if (t) counts.set(t.path, (counts.get(t.path) ?? 0) + 1);
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (!best || best[1] < 2) return null;
  const atom = em.fresh('ix');
  em.emit(`let ${atom};`);
  em.emit('{');
  const level = em.closers;
  em.ctx = 'ctx';
  const value = em.term(tests.find((t) => t?.path === best[0])!.term);
  em.emit(`${atom} = ${value};`);
  em.closeTo(level);
  em.emit('}');
  const guards = new Map<RuleDef, string>();
  group.defs.forEach((d, i) => {
    if (tests[i]?.path === best[0]) guards.set(d, tests[i]!.value);
  });
  return { atom, guards };
}

function sameConstantHeads(group: RuleGroup): boolean {
  if (group.kind !== 'complete' && group.kind !== 'function') return false;
  const heads = group.defs.flatMap((d) => [d.rule.value, ...d.rule.elses.map((e) => e.value)]);
  const keys = heads.map((h) => (h === null ? 'true' : constantOf(h) === NOT_CONST ? null : describeConst(constantOf(h))));
  return keys.every((k) => k !== null && k === keys[0]);
}

function emitDefinition(em: Emitter, group: RuleGroup, def: RuleDef, params: string[], decided: string | null, skipFirst: number): void {
  const { rule, module } = def;
  const where = em.location(module, rule.loc.start);
  const clauses = [{ body: rule.body.slice(skipFirst), value: rule.value }, ...rule.elses.map((e) => ({ body: e.body, value: e.value }))];
  const found = em.fresh('found');
  if (clauses.length > 1) em.emit(`let ${found} = false;`);
  clauses.forEach((clause, ci) => {
    const label = em.fresh('D');
    if (ci > 0) em.emit(`if (!${found})`);
    em.emit(`${label}: {`);
    em.ctx = 'ctx';
    em.module = module;
    em.vars = new Map();
    const level = em.closers;
    rule.args.forEach((a, i) => em.unifyValue(a, params[i]!));
    const constHead = clause.value === null || constantOf(clause.value) !== NOT_CONST;
    em.body(clause.body, () => {
      if (group.kind === 'partialSet') em.emit(`res.add(${em.term(rule.key!)});`);
      else if (group.kind === 'partialObject') {
        em.emit(`putUnique(res, ${em.term(rule.key!)}, ${em.term(clause.value!)}, "object keys must be unique", ${where});`);
      } else {
        const v = clause.value ? em.term(clause.value) : 'true';
        const msg = group.kind === 'function' ? 'functions must not produce multiple outputs for same inputs' : 'complete rules must not produce multiple outputs';
        em.emit(`if (res === undefined) res = ${v}; else if (!(${em.eqExpr('res', v)})) throw conflict(${JSON.stringify(msg)}, ${where});`);
        if (clauses.length > 1) em.emit(`${found} = true;`);
        if (decided) em.emit(`break ${decided};`);
        else if (constHead || clauses.length > 1) em.emit(`break ${label};`);
      }
    });
    em.closeTo(level);
    em.emit('}');
  });
}

export function generateProgram(state: CompileState): { module: GeneratedModule; names: ProgramNames } {
  const overridable = usesDataWith(state);
  const names = new ProgramNames(state, overridable);
  const em = new Emitter(state, names);
  em.specialize = true;
  for (const g of state.groups) emitRule(em, g, overridable);
  for (let i = 0; i < names.specializations.length; i++) {
    const spec = names.specializations[i]!;
    emitRule(em, spec.group, overridable, spec);
  }
  // every package gets its document function up front, so queries can name any of them
  const visit = (n: PackageNode): void => (names.pkg(n), n.children.forEach(visit));
  visit(state.root);
  for (let i = 0; i < names.pendingPkgs.length; i++) emitPackageDoc(em, names.pendingPkgs[i]!, overridable);
  const head = [
    '"use strict";',
    `const { ${RUNTIME_NAMES.join(', ')} } = rt;`,
    ...[...em.builtins].map((b) => `const ${builtinIdent(b)} = B[${JSON.stringify(b)}];`),
    ...em.constants.map((_, i) => `const K${i} = K[${i}];`),
    'let GEN = 0;',
    `const CG = new Array(${names.slots()}).fill(-1); const CV = new Array(${names.slots()});`,
    'function newCtx(input, data) { return { input, gen: ++GEN, ov: null, data }; }',
    'function resetCtx(ctx, input) { ctx.input = input; ctx.gen = ++GEN; return ctx; }',
    'function withCtx(ctx, input, ov) { return { input, gen: ++GEN, ov, data: ctx.data }; }',
    'function addOverride(ov, path, value) { return ov === null ? [{ path, value }] : [...ov, { path, value }]; }',
    'function baseData(ctx, p) { if (ctx.ov !== null) { const o = overrideAt(ctx.ov, p); if (o !== NO_OVERRIDE) return o; } return dataAt(ctx.data, p); }',
  ];
  const exported = [...PROGRAM_NAMES, ...names.all()];
  const source = [...head, ...em.lines, `return { ${exported.join(', ')} };`].join('\n');
  return { module: { source, constants: em.constants }, names };
}

function emitPackageDoc(em: Emitter, node: PackageNode, overridable: boolean): void {
  em.emit(`function ${em.names.pkg(node)}(ctx) {`);
  if (overridable) em.emit(`if (ctx.ov !== null) { const o = overrideAt(ctx.ov, ${em.constant(node.path)}); if (o !== NO_OVERRIDE) return o; }`);
  em.emit(`const b = new ObjectBuilder(); let v;`);
  em.emit(`const base = dataAt(ctx.data, ${em.constant(node.path)});`);
  em.emit(`if (isObject(base)) for (const k of keysOf(base)) b.set(k, valueAt(base, k));`);
  for (const [name, g] of node.rules) {
    if (g.kind === 'function') continue;
    em.emit(`v = ${em.names.rule(g)}(ctx); if (v !== undefined) b.set(${JSON.stringify(name)}, v);`);
  }
  for (const [name, child] of node.children) em.emit(`b.set(${JSON.stringify(name)}, ${em.names.pkg(child)}(ctx));`);
  em.emit('return b.done();');
  em.emit('}');
}

/** A query: a resolved term evaluated against the program; the first value it yields. */
export function generateQuery(state: CompileState, names: ProgramNames, term: Term): GeneratedModule {
  const em = new Emitter(state, names);
  em.emit('return function query(ctx) {');
  em.emit('let res;');
  em.emit('Q: {');
  em.body([], () => em.emit(`res = ${em.term(term)}; break Q;`));
  em.emit('}');
  em.emit('return res;');
  em.emit('};');
  const exported = [...PROGRAM_NAMES, ...names.all()];
  const head = [
    '"use strict";',
    `const { ${RUNTIME_NAMES.join(', ')} } = rt;`,
    `const { ${exported.join(', ')} } = T;`,
    ...[...em.builtins].map((b) => `const ${builtinIdent(b)} = B[${JSON.stringify(b)}];`),
    ...em.constants.map((_, i) => `const K${i} = K[${i}];`),
  ];
  return { source: [...head, ...em.lines].join('\n'), constants: em.constants };
}

export type { ProgramNames };
