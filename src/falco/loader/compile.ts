/**
 * Compiler stage of the loader (spec 4.1): collected lists, macros and rules → compiled rules.
 *
 *  1. lists: nested list names expanded (a list sees lists defined before its latest definition);
 *  2. macros: list substitution, parse, macro resolution with Falco's visibility rule — even
 *     unused macros must parse and resolve;
 *  3. rules, in rule order: exceptions rewriting, list substitution, parse, macro resolution (a
 *     rule sees every macro), condition compile, event types, output compile, warnings;
 *  4. LOAD_UNUSED_MACRO / LOAD_UNUSED_LIST.
 *
 * Conditions are parsed from text assembled out of several scalars (appends, exceptions), so each
 * parse gets a private SourceText standing for that text; diagnostics that point into it are
 * mapped back to the rules files at the end (positions.ts).
 */
import { SourceText, type Diagnostic, type DiagnosticCode, type Span } from '../../diagnostics/index.js';
import type { Expr } from '../condition/ast.js';
import type { ConditionLocation } from '../condition/location.js';
import { parseCondition } from '../condition/parser.js';
import { eventTypes, matchesTooManyEventTypes } from '../passes/event-types.js';
import { createMacroResolver, type MacroDef as ResolvedMacro } from '../passes/resolve-macros.js';
import { substituteLists, type ListDef as FlatList } from '../passes/substitute-lists.js';
import { compileOutputFormat } from '../output/format.js';
import type { CompiledRule } from '../ruleset.js';
import type { ConditionBackend } from './backend.js';
import { DEFAULT_SOURCE, type Collector, type ListDef, type MacroDef, type RuleDef } from './collect.js';
import { buildConditionWithExceptions } from './exceptions.js';
import { isExactlyMapped, spanOf, type MappedText } from './positions.js';

export interface CompileResult {
  rules: CompiledRule[];
  diagnostics: Diagnostic[];
  ok: boolean;
}

const SKIPPABLE = /nonexistent field|unknown event type|unknown event argument|invalid formatting token|unknown filter|unknown field/i;

export function compileCollected(collector: Collector, backend: ConditionBackend): CompileResult {
  return new RuleCompiler(collector, backend).run();
}

class RuleCompiler {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly texts = new Map<SourceText, MappedText>();
  private readonly usedLists = new Set<string>();
  private readonly usedMacros = new Set<string>();
  private readonly flatLists: FlatList[] = [];
  private readonly parsedMacros = new Map<string, ResolvedMacro>();

  constructor(
    private readonly collector: Collector,
    private readonly backend: ConditionBackend,
  ) {}

  run(): CompileResult {
    this.flattenLists();
    const ok = this.compileMacros();
    const rules = ok ? this.compileRules() : [];
    const failed = this.diagnostics.some((d) => d.severity === 'error');
    if (!failed) this.unusedWarnings();
    return { rules: failed ? [] : rules, diagnostics: this.diagnostics.map((d) => this.remap(d)), ok: !failed };
  }

  private flattenLists(): void {
    const lists = this.collector.lists;
    const done = new Map<string, string[]>();
    const flatten = (list: ListDef, visiting: Set<string>): string[] => {
      const cached = done.get(list.name);
      if (cached) return cached;
      visiting.add(list.name);
      const out: string[] = [];
      for (const item of list.items) {
        const nested = lists.get(item.text);
        if (nested && nested !== list && nested.index < list.visibility && !visiting.has(nested.name)) {
          this.usedLists.add(nested.name);
          out.push(...flatten(nested, visiting));
        } else {
          out.push(item.text);
        }
      }
      visiting.delete(list.name);
      done.set(list.name, out);
      return out;
    };
    for (const list of lists.values()) this.flatLists.push({ name: list.name, items: flatten(list, new Set()) });
  }

  /** Parse every macro, then resolve every macro's references; stops at the first error. */
  private compileMacros(): boolean {
    for (const macro of this.collector.macros.values()) {
      const parsed = this.parse(macro.condition, macroLabel(macro), macro.span);
      if (!parsed) return false;
      this.parsedMacros.set(macro.name, { name: macro.name, ast: parsed.ast, location: parsed.location });
    }
    const macros = this.collector.macros;
    const resolver = this.macroResolver();
    for (const macro of macros.values()) {
      const def = this.parsedMacros.get(macro.name)!;
      const resolution = resolver.resolve(def.ast, macro.name, def.location);
      for (const used of resolution.used) this.usedMacros.add(used);
      if (resolution.diagnostics.length > 0) {
        this.report(resolution.diagnostics, macroLabel(macro), macro.span);
        if (resolution.diagnostics.some((d) => d.severity === 'error')) return false;
      }
    }
    return true;
  }

  private macroResolver() {
    const macros = this.collector.macros;
    return createMacroResolver({
      lookup: (name, caller) => {
        const def = macros.get(name);
        if (!def) return undefined;
        if (caller !== undefined) {
          const from = macros.get(caller);
          if (from && def.index >= from.visibility) return undefined;
        }
        return this.parsedMacros.get(name);
      },
    });
  }

  private compileRules(): CompiledRule[] {
    const resolver = this.macroResolver();
    const out: CompiledRule[] = [];
    for (const rule of this.collector.rules.values()) {
      const label = `rule '${rule.name}'`;
      const text = buildConditionWithExceptions(rule.condition, rule.exceptions);
      const parsed = this.parse(text, label, rule.span, rule);
      // Every rule is compiled even after an error, so one run reports all of them; a set with
      // any error is still refused as a whole.
      if (!parsed) continue;
      const resolution = resolver.resolve(parsed.ast, undefined, parsed.location);
      for (const used of resolution.used) this.usedMacros.add(used);
      if (!resolution.expr) {
        this.report(resolution.diagnostics, label, rule.span);
        continue;
      }
      const compiled = this.backend.compileCondition(resolution.expr, parsed.location);
      if (!compiled.matches) {
        this.skipOrReport(compiled.diagnostics, rule, label);
        continue;
      }
      this.report(compiled.diagnostics, label, rule.span);
      const output = this.compileOutput(rule, label);
      if (output === 'skip' || !output) continue;
      const types = eventTypes(resolution.expr);
      if (rule.source === DEFAULT_SOURCE && rule.warnEvttypes && matchesTooManyEventTypes(types)) {
        this.push('LOAD_NO_EVTTYPE', 'warning', 'Rule matches too many evt.type values. This has a significant performance penalty.', rule.condition.fallback, label, rule.span);
      }
      out.push({
        name: rule.name, desc: rule.desc, priority: rule.priority, source: rule.source, tags: rule.tags,
        enabled: rule.enabled, eventTypes: types, matches: compiled.matches, output,
      });
    }
    return out;
  }

  private compileOutput(rule: RuleDef, label: string): ReturnType<typeof compileOutputFormat>['format'] | 'skip' | undefined {
    const result = compileOutputFormat(rule.output.text, this.backend.compileOperand);
    for (const w of result.warnings) {
      this.push('LOAD_DEPRECATED_ITEM', 'warning', w.message, spanOf(rule.output, w.offset), label, rule.span);
    }
    if (result.format) return result.format;
    const error = result.error!;
    if (rule.skipIfUnknownFilter && SKIPPABLE.test(error.message)) {
      this.push('LOAD_UNKNOWN_FILTER', 'warning', `${error.message}; rule skipped (skip-if-unknown-filter)`, spanOf(rule.output, error.offset), label, rule.span);
      return 'skip';
    }
    this.push('LOAD_ERR_COMPILE_OUTPUT', 'error', error.message, spanOf(rule.output, error.offset), label, rule.span);
    return undefined;
  }

  /** With skip-if-unknown-filter, unknown fields and event types drop the rule with a warning. */
  private skipOrReport(diagnostics: Diagnostic[], rule: RuleDef, label: string): boolean {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (rule.skipIfUnknownFilter && errors.length > 0 && errors.every((d) => SKIPPABLE.test(d.message))) {
      const first = errors[0]!;
      this.report([{ ...first, code: 'LOAD_UNKNOWN_FILTER', severity: 'warning', message: `${first.message}; rule skipped (skip-if-unknown-filter)` }], label, rule.span);
      return true;
    }
    this.report(diagnostics.length > 0 ? diagnostics : [{ code: 'LOAD_ERR_COMPILE_CONDITION', severity: 'error', message: 'condition did not compile' }], label, rule.span);
    return false;
  }

  private parse(text: MappedText, label: string, itemSpan: Span, rule?: RuleDef): { ast: Expr; location: ConditionLocation } | undefined {
    const substitution = substituteLists(text.text, this.flatLists);
    for (const used of substitution.used) this.usedLists.add(used);
    const source = new SourceText(itemSpan.source.name, text.text);
    this.texts.set(source, text);
    const location: ConditionLocation = { source, toSource: substitution.toOriginal };
    const parsed = parseCondition(substitution.text, location);
    if (parsed.ast) return { ast: parsed.ast, location };
    if (rule && this.skipOrReport(parsed.diagnostics, rule, label)) return undefined;
    if (!rule) this.report(parsed.diagnostics, label, itemSpan);
    return undefined;
  }

  private unusedWarnings(): void {
    for (const macro of this.collector.macros.values()) {
      if (!this.usedMacros.has(macro.name)) {
        this.push('LOAD_UNUSED_MACRO', 'warning', 'Macro not referred to by any other rule/macro', macro.nameSpan, macroLabel(macro), macro.span);
      }
    }
    for (const list of this.collector.lists.values()) {
      if (!this.usedLists.has(list.name)) {
        this.push('LOAD_UNUSED_LIST', 'warning', 'List not referred to by any other rule/macro/list', list.nameSpan, `list '${list.name}'`, list.span);
      }
    }
  }

  private report(diagnostics: readonly Diagnostic[], label: string, itemSpan: Span): void {
    for (const d of diagnostics) this.diagnostics.push({ ...d, item: d.item ?? label, context: d.context ?? [{ label, span: itemSpan }] });
  }

  private push(code: DiagnosticCode, severity: 'error' | 'warning', message: string, span: Span, label: string, itemSpan: Span): void {
    this.diagnostics.push({ code, severity, message, span, item: label, context: [{ label, span: itemSpan }] });
  }

  /** Spans into a condition's private SourceText are mapped back to the rules file. */
  private remap(d: Diagnostic): Diagnostic {
    const text = d.span && this.texts.get(d.span.source);
    if (!text || !d.span) return d;
    const span = spanOf(text, d.span.start, d.span.end);
    if (isExactlyMapped(text, d.span.start)) return { ...d, span };
    // No exact place in the file: keep where it is inside the condition text (style.md).
    const at = d.span.source.position(d.span.start);
    return { ...d, span, context: [...(d.context ?? []), { label: `condition ${at.line}:${at.col}` }] };
  }
}

function macroLabel(macro: MacroDef): string {
  return `macro '${macro.name}'`;
}
