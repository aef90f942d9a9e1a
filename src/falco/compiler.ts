/**
 * The condition compiler: a macro-resolved condition AST → one JavaScript function
 * `(ctx: EvalContext) => boolean`. All parsing of values, operator checks, regex/glob compilation
 * and set building happen here, once. The and/or/not skeleton and the common string checks are
 * generated as one function per rule and per macro (condition/codegen.ts); other checks are leaf
 * closures it calls. Per event only that code runs: no AST walk, no try/catch, no allocation in
 * the common checks.
 *
 * API (used by the loader through src/falco/backend.ts and by output formats):
 *
 *   const compiler = createCompiler(fieldResolver, { knownEventNames? });
 *   compiler.compileCondition(expr, location) → { matches?: (ctx) => boolean, diagnostics }
 *       `expr` has its macro references resolved (passes/resolve-macros.ts). Errors are
 *       LOAD_ERR_COMPILE_CONDITION (only the first is reported, as Falco); warnings are
 *       LOAD_COMPILE_CONDITION hints, LOAD_DEPRECATED_ITEM and LOAD_UNSAFE_NA_CHECK.
 *   compiler.compileOperand(operand) → { name, type, isList, extract } | error message
 *       a field or transformer expression as an extractor (for `%field` outputs).
 *
 * Semantics (spec 4.4–4.6): a check on a missing value is false for every operator but `exists`
 * (the null rule), `not` flips it; the left-hand field's type decides which operators are allowed
 * and how right-hand literals parse; list fields match `in` when every value is in the set and
 * `intersects` when any is; filter-only fields return several values and match when any value
 * does (`proc.aname` without index: some ancestor), except that for the endpoint fields (fd.ip,
 * fd.net, fd.port, fd.proto) `!=` means that neither endpoint equals the value.
 *
 * Per-event sharing: every compiled macro body with more than one check is memoised in a slot keyed
 * by `ctx.epoch` (the caller bumps it once per event). Slots belong to the Compiler, so all rules
 * compiled by one compiler share one evaluation of, say, `open_write` per event. Compile each rule
 * set with its own compiler.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { KNOWN_EVENT_NAMES } from '../events/event-table.js';
import type { Check, Expr, FieldOperand, MacroRef, Operator, StringValue } from './condition/ast.js';
import { FIELD_NAME } from './condition/lexer.js';
import { and, CodeBuilder, not, or, type Code, type MemoSlot, type Predicate } from './condition/codegen.js';
import { conditionDiagnostic, type ConditionLocation } from './condition/location.js';
import { deprecatedFieldWarning } from './deprecations.js';
import type { Extractor, FieldDef, FieldType, FieldValue } from './fields/field.js';
import {
  categoryOf,
  fieldComparator,
  literalMatcher,
  modifierMatcher,
  operatorError,
  simplerOperatorFor,
  type Matcher,
} from './operators/index.js';
import { compileTransformer, type OperandInfo, type TransformerArg } from './transformers.js';

export type { Predicate };

/** What the compiler needs from the field registry (src/falco/fields/registry.ts implements it). */
export interface FieldResolver {
  /**
   * The field `name` (arg is the bracket text, if any), or the error message — for unknown fields
   * Falco's "filter_check called with nonexistent field X".
   */
  resolve(name: string, arg: string | undefined): FieldDef | string;
}

export interface CompilerOptions {
  /** Names `evt.type` may be compared with; default: every known event and syscall name. */
  knownEventNames?: ReadonlySet<string>;
}

export interface CompiledCondition {
  matches?: Predicate;
  diagnostics: Diagnostic[];
}

export interface CompiledOperand extends OperandInfo {
  /** Same as `text`; the name outputs print in JSON output_fields. */
  name: string;
  /** The field is filter-only (not printable in outputs). */
  filterOnly: boolean;
}

export interface Compiler {
  compileCondition(expr: Expr, location: ConditionLocation): CompiledCondition;
  compileOperand(operand: FieldOperand): CompiledOperand | string;
}

export function createCompiler(resolver: FieldResolver, options: CompilerOptions = {}): Compiler {
  const memo = new MemoSlots();
  const macroCache = new Map<Expr, CompiledMacro>();
  const knownEvents = options.knownEventNames ?? KNOWN_EVENT_NAMES;
  return {
    compileCondition(expr, location) {
      const run = new CompileRun(resolver, knownEvents, memo, macroCache);
      try {
        const code = new CodeBuilder();
        const matches = code.build(run.compileExpr(expr, location, code));
        return { matches, diagnostics: run.warnings };
      } catch (err) {
        if (err instanceof CompileFailure) return { diagnostics: [...run.warnings, err.diagnostic] };
        // A throwing field binding (or a compiler bug) must still not take the loader down.
        const message = `internal error compiling the condition: ${err instanceof Error ? err.message : String(err)}`;
        return { diagnostics: [...run.warnings, conditionDiagnostic('LOAD_ERR_COMPILE_CONDITION', 'error', message, location, expr.start, expr.end)] };
      }
    },
    compileOperand(operand) {
      const run = new CompileRun(resolver, knownEvents, memo, macroCache);
      const compiled = run.operand(operand);
      if (typeof compiled === 'string') return compiled;
      return { ...compiled.info, name: compiled.info.text, filterOnly: compiled.filterOnly };
    },
  };
}

interface CompiledMacro {
  predicate: Predicate;
  memo: MemoSlot;
  warnings: Diagnostic[];
}

class CompileFailure {
  constructor(readonly diagnostic: Diagnostic) {}
}

/**
 * Epoch-keyed result slots, allocated in fixed chunks so generated code can hold its chunk's
 * arrays directly (no indirection, no reallocation). An epoch of -1 never matches a real event.
 */
class MemoSlots {
  private static readonly CHUNK = 256;
  private epochs = new Float64Array(MemoSlots.CHUNK).fill(-1);
  private values = new Uint8Array(MemoSlots.CHUNK);
  private used = 0;

  allocate(): MemoSlot {
    if (this.used === MemoSlots.CHUNK) {
      this.epochs = new Float64Array(MemoSlots.CHUNK).fill(-1);
      this.values = new Uint8Array(MemoSlots.CHUNK);
      this.used = 0;
    }
    return { epochs: this.epochs, values: this.values, slot: this.used++ };
  }
}

interface Operand {
  info: OperandInfo;
  /** Endpoint pair fields: the extractor returns every endpoint's value. */
  filterOnly: boolean;
  def?: FieldDef;
}

const TRANSFORMER_CALL = /^(?:val|tolower|toupper|b64|basename|len|join|concat|getopt)\(/;
const NA_SENSITIVE_OPS: readonly Operator[] = ['=', '==', '!=', 'in', 'intersects', 'pmatch'];

/** One compileCondition call: carries the warnings and fails fast on the first error. */
class CompileRun {
  readonly warnings: Diagnostic[] = [];

  constructor(
    private readonly resolver: FieldResolver,
    private readonly knownEvents: ReadonlySet<string>,
    private readonly memo: MemoSlots,
    private readonly macroCache: Map<Expr, CompiledMacro>,
  ) {}

  private fail(message: string, location: ConditionLocation, start: number, end = start): never {
    throw new CompileFailure(conditionDiagnostic('LOAD_ERR_COMPILE_CONDITION', 'error', message, location, start, end));
  }

  private warn(code: Diagnostic['code'], message: string, location: ConditionLocation, start: number, end = start): void {
    this.warnings.push(conditionDiagnostic(code, 'warning', message, location, start, end));
  }

  compileExpr(expr: Expr, location: ConditionLocation, code: CodeBuilder): Code {
    switch (expr.kind) {
      case 'check':
        return this.compileCheck(expr, location, code);
      case 'not':
        return not(this.compileExpr(expr.expr, location, code));
      case 'and':
        return and(expr.items.map((e) => this.compileExpr(e, location, code)));
      case 'or':
        return or(expr.items.map((e) => this.compileExpr(e, location, code)));
      case 'macro': {
        if (!expr.body) return this.fail(`Undefined macro '${expr.name}' used in filter.`, location, expr.start, expr.end);
        // A one-check macro is cheaper inline than behind a call or a memo lookup.
        if (expr.body.kind === 'check') return this.compileCheck(expr.body, expr.location ?? location, code);
        const macro = this.compileMacro(expr, expr.body, location);
        return code.memoised(macro.predicate, macro.memo);
      }
    }
  }

  /** A macro body becomes its own memoised function, compiled once per Compiler and shared by all rules. */
  private compileMacro(ref: MacroRef, body: Expr, location: ConditionLocation): CompiledMacro {
    const cached = this.macroCache.get(body);
    if (cached) {
      // Every rule using the macro reports the macro's warnings, as Falco does.
      this.warnings.push(...cached.warnings);
      return cached;
    }
    const before = this.warnings.length;
    const code = new CodeBuilder();
    const source = this.compileExpr(body, ref.location ?? location, code);
    const memo = this.memo.allocate();
    const compiled: CompiledMacro = { predicate: code.build(source, memo), memo, warnings: this.warnings.slice(before) };
    this.macroCache.set(body, compiled);
    return compiled;
  }

  /** Compile a field or transformer expression (no location: callers turn the message into a diagnostic). */
  operand(node: FieldOperand): Operand | string {
    if (node.kind === 'field') {
      const def = this.resolver.resolve(node.name, node.arg);
      if (typeof def === 'string') return def;
      const extract = def.bind(node.arg);
      if (typeof extract === 'string') return extract;
      const text = node.arg === undefined ? node.name : `${node.name}[${node.arg}]`;
      return { info: { extract, type: def.type, isList: def.isList === true, text }, filterOnly: def.filterOnly === true, def };
    }
    const args: TransformerArg[] = [];
    for (const arg of node.args) {
      if (arg.kind === 'string') {
        args.push({ literal: arg.value });
        continue;
      }
      const compiled = this.operand(arg);
      if (typeof compiled === 'string') return compiled;
      if (compiled.def?.noTransformer || compiled.filterOnly) return `field '${compiled.info.text}' does not support transformers`;
      args.push(compiled.info);
    }
    const info = compileTransformer(node.name, args);
    return typeof info === 'string' ? info : { info, filterOnly: false };
  }

  private located(node: FieldOperand, location: ConditionLocation): Operand {
    const compiled = this.operand(node);
    if (typeof compiled === 'string') return this.fail(compiled, location, node.start, node.end);
    const deprecation = compiled.def && deprecatedFieldWarning(compiled.def.name, 'condition', compiled.def.deprecated);
    if (deprecation) this.warn('LOAD_DEPRECATED_ITEM', deprecation, location, node.start, node.end);
    return compiled;
  }

  private compileCheck(check: Check, location: ConditionLocation, code: CodeBuilder): Code {
    const left = this.located(check.left, location);
    const { extract, type, isList } = left.info;
    const category = categoryOf(type);
    const opError = operatorError(check.op, category, isList);
    if (opError) this.fail(opError, location, check.opStart);
    if (check.op === 'exists') return `(${code.ref(extract)}(ctx) !== undefined)`;

    const value = check.value!;
    if (value.kind === 'fieldvalue') return code.call(this.compileFieldComparison(check, left, location));

    const items: readonly StringValue[] = value.kind === 'list' ? value.items : [value];
    this.lintValues(check, left, items, location);
    if (check.left.kind === 'field' && check.left.name === 'evt.type') {
      for (const item of items) if (!this.knownEvents.has(item.value)) this.fail(`unknown event type ${item.value}`, location, item.start, item.end);
    }

    const matcher = check.modifier
      ? modifierMatcher(check.modifier, items.map((item) => this.literal(type, check.op, [item], location, item)))
      : this.literal(type, check.op, items, location, value);
    if (isList) return code.call(listCheck(extract, check.op, matcher));
    if (left.filterOnly) return code.call(anyValueCheck(extract, check.op === '!=' && ENDPOINT_FIELDS.has(left.info.text), matcher));
    if (!check.modifier && category === 'string') {
      const direct = directStringCheck(code, extract, check.op, items);
      if (direct) return direct;
    }
    return `((v = ${code.ref(extract)}(ctx)) !== undefined && ${code.ref(matcher)}(v))`;
  }

  private literal(type: FieldType, op: Operator, items: readonly StringValue[], location: ConditionLocation, whole: { start: number; end: number }): Matcher {
    const m = literalMatcher(type, op, items.map((i) => i.value));
    if (typeof m !== 'string') return m;
    // Point at the item that does not parse when there is one, else at the whole value.
    const bad = items.length > 1 ? items.find((i) => typeof literalMatcher(type, op, [i.value]) === 'string') : items[0];
    const at = bad ?? whole;
    return this.fail(m, location, at.start, at.end);
  }

  private compileFieldComparison(check: Check, left: Operand, location: ConditionLocation): Predicate {
    const value = check.value;
    if (value?.kind !== 'fieldvalue') throw new Error('unreachable: not a field comparison');
    const right = this.located(value.operand, location);
    if (right.def?.noRhsField || right.filterOnly) this.fail(`field '${right.info.text}' cannot be used on the right-hand side of a comparison`, location, value.start, value.end);
    if (left.info.isList || left.filterOnly || right.info.isList) this.fail(`'${check.op}' cannot compare list or endpoint fields with a field`, location, check.opStart);
    if (left.info.type !== right.info.type) {
      this.fail(`field types do not match: ${left.info.text} is ${left.info.type}, ${right.info.text} is ${right.info.type}`, location, value.start, value.end);
    }
    const cmp = fieldComparator(left.info.type, check.op);
    if (typeof cmp === 'string') return this.fail(cmp, location, check.opStart);
    const l = left.info.extract;
    const r = right.info.extract;
    return (ctx) => {
      const lv = l(ctx);
      if (lv === undefined) return false;
      const rv = r(ctx);
      return rv !== undefined && cmp(lv, rv);
    };
  }

  /** The non-fatal hints of spec 4.1 step 7. */
  private lintValues(check: Check, left: Operand, items: readonly StringValue[], location: ConditionLocation): void {
    for (const item of items) {
      const v = item.value;
      if (check.op === 'regex') {
        const better = simplerOperatorFor(v);
        if (better) this.warn('LOAD_COMPILE_CONDITION', `regex check with '${v}' may be optimized by using the '${better}' operator`, location, item.start, item.end);
      }
      if (TRANSFORMER_CALL.test(v)) {
        this.warn('LOAD_COMPILE_CONDITION', `'${v}' may be a valid field transformer misused as a const string value`, location, item.start, item.end);
      } else if (isFieldName(v) && typeof this.resolver.resolve(fieldNameOf(v), fieldArgOf(v)) !== 'string') {
        this.warn('LOAD_COMPILE_CONDITION', `'${v}' may be a valid field misused as a const string value`, location, item.start, item.end);
      }
      if (v === '<NA>' && left.def && /^(?:ka|jevt)\./.test(left.def.name) && NA_SENSITIVE_OPS.includes(check.op)) {
        this.warn('LOAD_UNSAFE_NA_CHECK', `comparing '${left.def.name}' with '<NA>' is unsafe: a missing value never compares equal`, location, item.start, item.end);
      }
    }
  }
}

function isFieldName(text: string): boolean {
  FIELD_NAME.lastIndex = 0;
  const m = FIELD_NAME.exec(text);
  if (!m) return false;
  const rest = text.slice(m[0].length);
  return rest === '' || /^\[[^\]]+\]$/.test(rest);
}

function fieldNameOf(text: string): string {
  const bracket = text.indexOf('[');
  return bracket === -1 ? text : text.slice(0, bracket);
}

function fieldArgOf(text: string): string | undefined {
  const bracket = text.indexOf('[');
  return bracket === -1 ? undefined : text.slice(bracket + 1, -1);
}

/**
 * The most common string checks written inline (they dominate rule sets). A missing value is never
 * === a string nor in a set of strings, so those two need no null test.
 */
function directStringCheck(code: CodeBuilder, extract: Extractor, op: Operator, items: readonly StringValue[]): Code | undefined {
  const value = `${code.ref(extract)}(ctx)`;
  if ((op === 'in' || op === 'intersects') && items.length !== 1) {
    return `${code.ref(new Set(items.map((i) => i.value)))}.has(${value})`;
  }
  if (items.length !== 1) return undefined;
  // A JSON string is a valid JavaScript string literal; the constant is then folded into the code.
  const rhs = JSON.stringify(items[0]!.value);
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return `(${value} === ${rhs})`;
    case '!=':
      return `((v = ${value}) !== undefined && v !== ${rhs})`;
    case 'startswith':
      return `((v = ${value}) !== undefined && v.startsWith(${rhs}))`;
    case 'endswith':
      return `((v = ${value}) !== undefined && v.endsWith(${rhs}))`;
    case 'contains':
      return `((v = ${value}) !== undefined && v.includes(${rhs}))`;
    default:
      return undefined;
  }
}

/** `in`: every value of the list field is in the set (true for an empty list); `intersects`: any is. */
function listCheck(extract: Extractor, op: Operator, matcher: Matcher): Predicate {
  if (op === 'in') {
    return (ctx) => {
      const v = extract(ctx) as readonly FieldValue[] | undefined;
      if (v === undefined) return false;
      for (let i = 0; i < v.length; i++) if (!matcher(v[i]!)) return false;
      return true;
    };
  }
  return (ctx) => {
    const v = extract(ctx) as readonly FieldValue[] | undefined;
    if (v === undefined) return false;
    for (let i = 0; i < v.length; i++) if (matcher(v[i]!)) return true;
    return false;
  };
}

/** Fields matched against both socket endpoints, where libs gives `!=` "neither" semantics. */
const ENDPOINT_FIELDS: ReadonlySet<string> = new Set(['fd.ip', 'fd.net', 'fd.port', 'fd.proto']);

/**
 * Filter-only multi-value fields: the extractor returns several values (both endpoints, every
 * ancestor) and the check holds when it holds for some value — or, with `noneEqual` (endpoint
 * `!=`), when it holds for every value, i.e. no endpoint equals the operand.
 */
function anyValueCheck(extract: Extractor, noneEqual: boolean, matcher: Matcher): Predicate {
  return (ctx) => {
    const v = extract(ctx);
    if (v === undefined) return false;
    if (!Array.isArray(v)) return matcher(v as FieldValue);
    const values = v as readonly FieldValue[];
    if (values.length === 0) return false;
    if (noneEqual) {
      for (let i = 0; i < values.length; i++) if (!matcher(values[i]!)) return false;
      return true;
    }
    for (let i = 0; i < values.length; i++) if (matcher(values[i]!)) return true;
    return false;
  };
}
