/**
 * Collector: merges the items of all rules files, in load order, into one set of lists, macros and
 * rules (spec §2). Plain redefinition replaces an item in place (it keeps its first position),
 * `append: true` and `override:` extend or replace single keys, an `enabled`-only rule toggles.
 *
 * Every item gets an increasing load index. `index` is the position of the first definition (rule
 * order); `visibility` is the index of the latest definition or update (what a macro may see).
 */
import type { Diagnostic, Span } from '../../diagnostics/index.js';
import { validateExceptions, type FieldCheck } from './exceptions.js';
import type { ExceptionItem, ListItem, MacroItem, RuleItem, RulesFileItem } from './items.js';
import { MappedTextBuilder, mappedFromNode, type MappedText, type TextNode } from './positions.js';

interface Ordered {
  name: string;
  index: number;
  visibility: number;
  /** The latest defining item. */
  span: Span;
  nameSpan: Span;
}

export interface ListDef extends Ordered {
  items: TextNode[];
}

export interface MacroDef extends Ordered {
  condition: MappedText;
}

export interface RuleDef extends Ordered {
  condition: MappedText;
  output: MappedText;
  desc: string;
  priority: number;
  source: string;
  tags: string[];
  exceptions: ExceptionItem[];
  enabled: boolean;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  capture: boolean;
  captureDuration: number;
}

export interface CollectorOptions {
  /** Event sources this engine runs; rules of other sources are dropped with a warning. */
  sources?: readonly string[];
  /** Is this a valid field name (with optional `[arg]`) for exception fields? */
  isField?: FieldCheck;
}

export const DEFAULT_SOURCE = 'syscall';

export class Collector {
  readonly lists = new Map<string, ListDef>();
  readonly macros = new Map<string, MacroDef>();
  readonly rules = new Map<string, RuleDef>();
  readonly requiredEngineVersions: string[] = [];
  readonly requiredPlugins: { name: string; version: string; alternatives: { name: string; version: string }[] }[] = [];
  private nextIndex = 1;
  private readonly sources: ReadonlySet<string>;
  private readonly isField: FieldCheck;

  constructor(options: CollectorOptions = {}) {
    this.sources = new Set(options.sources ?? [DEFAULT_SOURCE]);
    this.isField = options.isField ?? (() => true);
  }

  /** Adds one item; returns its diagnostics (an error means loading must stop). */
  add(item: RulesFileItem): Diagnostic[] {
    const index = this.nextIndex++;
    switch (item.kind) {
      case 'required_engine_version':
        this.requiredEngineVersions.push(item.version);
        return [];
      case 'required_plugin_versions':
        this.requiredPlugins.push(...item.requirements.map(({ name, version, alternatives }) => ({ name, version, alternatives })));
        return [];
      case 'list':
        return this.addList(item, index);
      case 'macro':
        return this.addMacro(item, index);
      case 'rule':
        return this.addRule(item, index);
    }
  }

  private addList(item: ListItem, index: number): Diagnostic[] {
    const existing = this.lists.get(item.name);
    const op = item.append ? 'append' : item.override?.get('items')?.op;
    if (op === 'append') {
      if (!existing) return [missing(item, 'List', 'items')];
      existing.items = [...existing.items, ...(item.items ?? [])];
      existing.visibility = index;
      return [];
    }
    const def: ListDef = { name: item.name, index: existing?.index ?? index, visibility: index, span: item.span, nameSpan: item.nameNode.span, items: item.items ?? [] };
    this.lists.set(item.name, def);
    return [];
  }

  private addMacro(item: MacroItem, index: number): Diagnostic[] {
    const existing = this.macros.get(item.name);
    const op = item.append ? 'append' : item.override?.get('condition')?.op;
    if (op === 'append') {
      if (!existing) return [missing(item, 'Macro', 'condition')];
      existing.condition = joinText(existing.condition, item.condition!);
      existing.visibility = index;
      return [];
    }
    const def: MacroDef = {
      name: item.name, index: existing?.index ?? index, visibility: index, span: item.span,
      nameSpan: item.nameNode.span, condition: mappedFromNode(item.condition!),
    };
    this.macros.set(item.name, def);
    return [];
  }

  private addRule(item: RuleItem, index: number): Diagnostic[] {
    const existing = this.rules.get(item.name);
    const source = item.source?.text ?? DEFAULT_SOURCE;
    if (!this.sources.has(source)) {
      return [{ code: 'LOAD_UNKNOWN_SOURCE', severity: 'warning', message: `Unknown source ${source}, skipping`, span: item.source?.span ?? item.span, ...ruleContext(item) }];
    }
    if (item.append) return this.appendRule(item, existing, index);
    if (item.override) return this.overrideRule(item, existing, index);
    if (!item.condition && !item.output && !item.desc && !item.priority) {
      if (!existing) return [error(item, "Rule has 'enabled' key but no rule by that name already exists", item.span)];
      existing.enabled = item.enabled ?? existing.enabled;
      return [{ code: 'LOAD_DEPRECATED_ITEM', severity: 'warning', message: "The rule has only the 'enabled' key; use 'override: { enabled: replace }' instead.", span: item.span, ...ruleContext(item) }];
    }
    if (existing && item.source && item.source.text !== existing.source) {
      return [error(item, 'Rule has been re-defined with a different source', item.source.span)];
    }
    const diagnostics = this.checkExceptions(item, item.exceptions ?? [], new Set(), false);
    if (hasError(diagnostics)) return diagnostics;
    const def: RuleDef = {
      name: item.name, index: existing?.index ?? index, visibility: index, span: item.span, nameSpan: item.nameNode.span,
      condition: mappedFromNode(item.condition!), output: mappedFromNode(item.output!), desc: item.desc!.text,
      priority: item.priority!.value, source, tags: uniqueTags(item.tags ?? []), exceptions: item.exceptions ?? [],
      enabled: item.enabled ?? true, warnEvttypes: item.warnEvttypes ?? true,
      skipIfUnknownFilter: item.skipIfUnknownFilter ?? false, capture: item.capture ?? false,
      captureDuration: item.captureDuration ?? 0,
    };
    this.rules.set(item.name, def);
    return diagnostics;
  }

  private appendRule(item: RuleItem, existing: RuleDef | undefined, index: number): Diagnostic[] {
    if (!existing) return [missing(item, 'Rule', item.condition ? 'condition' : 'exceptions')];
    const diagnostics = this.checkExceptions(item, item.exceptions ?? [], exceptionNames(existing), true);
    if (hasError(diagnostics)) return diagnostics;
    if (item.condition) existing.condition = joinText(existing.condition, item.condition);
    if (item.exceptions) existing.exceptions = mergeExceptions(existing.exceptions, item.exceptions);
    existing.visibility = index;
    return diagnostics;
  }

  private overrideRule(item: RuleItem, existing: RuleDef | undefined, index: number): Diagnostic[] {
    const override = item.override!;
    for (const [key, { op }] of override) {
      if (existing) continue;
      if (op === 'replace') return [error(item, `An 'override.${key}: replace' to a rule was requested but no rule by that name already exists`, item.span)];
      return [missing(item, 'Rule', key)];
    }
    if (!existing) return [];
    const diagnostics: Diagnostic[] = [];
    const exceptionsOp = override.get('exceptions')?.op;
    if (exceptionsOp) {
      const appending = exceptionsOp === 'append';
      diagnostics.push(...this.checkExceptions(item, item.exceptions ?? [], appending ? exceptionNames(existing) : new Set(), appending));
      if (hasError(diagnostics)) return diagnostics;
    }
    for (const [key, { op }] of override) applyRuleOverride(existing, item, key, op);
    existing.visibility = index;
    return diagnostics;
  }

  private checkExceptions(item: RuleItem, exceptions: ExceptionItem[], existing: ReadonlySet<string>, appending: boolean): Diagnostic[] {
    return validateExceptions(exceptions, this.isField, existing, appending).map((d) => ({ ...d, ...ruleContext(item) }));
  }
}

function applyRuleOverride(rule: RuleDef, item: RuleItem, key: string, op: 'append' | 'replace'): void {
  const append = op === 'append';
  switch (key) {
    case 'condition':
      rule.condition = append ? joinText(rule.condition, item.condition!) : mappedFromNode(item.condition!);
      break;
    case 'output':
      rule.output = append ? joinText(rule.output, item.output!) : mappedFromNode(item.output!);
      break;
    case 'desc':
      rule.desc = append ? `${rule.desc} ${item.desc!.text}` : item.desc!.text;
      break;
    case 'tags':
      rule.tags = uniqueTags(item.tags ?? [], append ? rule.tags : []);
      break;
    case 'exceptions':
      rule.exceptions = append ? mergeExceptions(rule.exceptions, item.exceptions ?? []) : item.exceptions ?? [];
      break;
    case 'priority':
      rule.priority = item.priority!.value;
      break;
    case 'enabled':
      rule.enabled = item.enabled ?? rule.enabled;
      break;
    case 'capture':
      rule.capture = item.capture ?? rule.capture;
      break;
    case 'capture_duration':
      rule.captureDuration = item.captureDuration ?? rule.captureDuration;
      break;
    case 'warn_evttypes':
      rule.warnEvttypes = item.warnEvttypes ?? rule.warnEvttypes;
      break;
    case 'skip-if-unknown-filter':
      rule.skipIfUnknownFilter = item.skipIfUnknownFilter ?? rule.skipIfUnknownFilter;
      break;
  }
}

/** Falco appends condition/output text with a single space and no parentheses. */
function joinText(old: MappedText, added: TextNode): MappedText {
  return new MappedTextBuilder(old.fallback).mapped(old).literal(' ').node(added).build();
}

function uniqueTags(tags: TextNode[], start: readonly string[] = []): string[] {
  const out = [...start];
  for (const t of tags) if (!out.includes(t.text)) out.push(t.text);
  return out;
}

function exceptionNames(rule: RuleDef): Set<string> {
  return new Set(rule.exceptions.map((e) => e.name.text));
}

/** Values of an exception that already exists are appended; new exceptions are added. */
function mergeExceptions(old: readonly ExceptionItem[], added: readonly ExceptionItem[]): ExceptionItem[] {
  const out = old.map((e) => ({ ...e, values: e.values.slice() }));
  for (const ex of added) {
    const target = out.find((e) => e.name.text === ex.name.text);
    if (target) target.values.push(...ex.values);
    else out.push({ ...ex, values: ex.values.slice() });
  }
  return out;
}

function ruleContext(item: { name: string; span: Span; kind: string }): Pick<Diagnostic, 'item' | 'context'> {
  const label = `${item.kind} '${item.name}'`;
  return { item: label, context: [{ label, span: item.span }] };
}

function error(item: ListItem | MacroItem | RuleItem, message: string, span: Span): Diagnostic {
  return { code: 'LOAD_ERR_VALIDATE', severity: 'error', message, span, ...ruleContext(item) };
}

function missing(item: ListItem | MacroItem | RuleItem, what: string, key: string): Diagnostic {
  const message = `${what} uses 'append' or 'override.${key}: append' but no ${what.toLowerCase()} by that name already exists`;
  return error(item, message, item.span);
}

function hasError(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
