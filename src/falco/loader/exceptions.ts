/**
 * Rule exceptions: validation (spec §3) and the text rewriting that turns them into condition text.
 *
 * Falco compiles exceptions by rewriting the rule's condition *text* before list substitution and
 * parsing: `(cond) and not (EXC) and not (EXC) …`. We do the same so that lists named in exception
 * values are substituted and quoting quirks behave alike; each generated token keeps a link to the
 * scalar it came from, so a parse error inside an exception still points at the right line.
 */
import type { Diagnostic, Span } from '../../diagnostics/index.js';
import type { ExceptionItem, ExceptionValue } from './items.js';
import { MappedTextBuilder, type MappedText, type TextNode } from './positions.js';

const COMPARISON_OPS = new Set([
  '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith',
  'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', 'exists',
]);
const LIST_OPS = new Set(['in', 'intersects', 'pmatch']);
const MODIFIER_BASE_OPS = new Set(['=', '==', '!=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex']);
const MODIFIERS = new Set(['oneof', 'anyof', 'allof']);

/** `startswith anyof` style comparison (Falco 0.44): the value is a list. */
function isModifierOp(comp: string): boolean {
  const parts = comp.trim().split(/\s+/);
  return parts.length === 2 && MODIFIER_BASE_OPS.has(parts[0]!) && MODIFIERS.has(parts[1]!);
}

function isKnownComp(comp: string): boolean {
  return COMPARISON_OPS.has(comp) || isModifierOp(comp);
}

function takesList(comp: string): boolean {
  return LIST_OPS.has(comp) || isModifierOp(comp);
}

export type FieldCheck = (field: string) => boolean;

/** Problems with one rule's exceptions; `appending` relaxes the rules for names already defined. */
export function validateExceptions(
  exceptions: readonly ExceptionItem[],
  isField: FieldCheck,
  existing: ReadonlySet<string> = new Set(),
  appending = false,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const error = (message: string, span: Span) => out.push({ code: 'LOAD_ERR_VALIDATE', severity: 'error', message, span });
  for (const ex of exceptions) {
    const name = ex.name.text;
    const prefix = `Rule exception item '${name}'`;
    if (seen.has(name)) {
      out.push({ code: 'LOAD_EXCEPTION_NAME_NOT_UNIQUE', severity: 'warning', message: `Multiple definitions of exception '${name}' in the same rule`, span: ex.name.span });
    }
    seen.add(name);
    if (appending && existing.has(name)) {
      if (ex.fields !== undefined || ex.comps !== undefined) {
        error(`${prefix}: can not append exception fields or comps to an existing exception, only values`, ex.span);
      }
      if (!ex.hasValues || ex.values.length === 0) {
        out.push({ code: 'LOAD_APPEND_NO_VALUES', severity: 'warning', message: `${prefix}: overriding/appending exception with no values`, span: ex.span });
      }
      continue;
    }
    if (ex.fields === undefined) {
      error(`${prefix}: must have fields property with a list of fields`, ex.span);
      continue;
    }
    if (appending && (!ex.hasValues || ex.values.length === 0)) {
      out.push({ code: 'LOAD_APPEND_NO_VALUES', severity: 'warning', message: `${prefix}: overriding/appending exception with no values`, span: ex.span });
    }
    out.push(...validateShape(ex, ex.fields, prefix, isField));
  }
  return out;
}

function validateShape(ex: ExceptionItem, fields: TextNode | TextNode[], prefix: string, isField: FieldCheck): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (message: string, span: Span) => out.push({ code: 'LOAD_ERR_VALIDATE', severity: 'error', message, span });
  const fieldList = Array.isArray(fields) ? fields : [fields];
  for (const f of fieldList) {
    if (!isField(f.text)) error(`${prefix}: '${f.text}' is not a supported filter field`, f.span);
  }
  if (!Array.isArray(fields)) {
    if (Array.isArray(ex.comps)) {
      error(`${prefix}: fields is a single value but comps is a list; both must be values or both lists`, ex.comps[0]?.span ?? ex.span);
      return out;
    }
    if (ex.comps && !(takesList(ex.comps.text))) {
      error(`${prefix}: when fields is a single value, comps must be one of in, pmatch, intersects (got '${ex.comps.text}')`, ex.comps.span);
    }
    for (const v of ex.values) {
      if (Array.isArray(v.entry)) error(`${prefix}: when fields is a single value, each value must be a single value`, v.span);
    }
    return out;
  }
  if (ex.comps !== undefined) {
    if (!Array.isArray(ex.comps)) {
      error(`${prefix}: fields is a list but comps is a single value; both must be values or both lists`, ex.comps.span);
      return out;
    }
    if (ex.comps.length !== fields.length) error(`${prefix}: fields and comps lists must have equal length`, ex.comps[0]?.span ?? ex.span);
    for (const c of ex.comps) {
      if (!isKnownComp(c.text)) error(`${prefix}: comparison operator '${c.text}' is not a valid comparison operator`, c.span);
    }
  }
  for (const v of ex.values) {
    const tuple = Array.isArray(v.entry) ? v.entry : [v.entry];
    if (!Array.isArray(v.entry) || tuple.length !== fields.length) error(`${prefix}: fields and values lists must have equal length`, v.span);
  }
  return out;
}

/** Falco's quoting of a value in generated condition text. */
function needsQuotes(text: string): boolean {
  return text.includes(' ') && !text.startsWith('"') && !text.startsWith("'");
}

function quoted(b: MappedTextBuilder, node: TextNode): void {
  if (needsQuotes(node.text)) b.literal('"').node(node).literal('"');
  else b.node(node);
}

function renderValue(b: MappedTextBuilder, value: ExceptionValue, comp: string): void {
  if (Array.isArray(value)) {
    b.literal('(');
    value.forEach((v, i) => {
      if (i > 0) b.literal(', ');
      quoted(b, v);
    });
    b.literal(')');
  } else if (takesList(comp) && !value.text.startsWith('(')) {
    b.literal('(').node(value).literal(')');
  } else {
    quoted(b, value);
  }
}

function compText(comp: TextNode | undefined, fallback: string): string {
  return comp ? comp.text : fallback;
}

/** `(condition) and not (EXC) …` for every exception that has at least one value. */
export function buildConditionWithExceptions(condition: MappedText, exceptions: readonly ExceptionItem[]): MappedText {
  const withValues = exceptions.filter((e) => e.values.length > 0 && e.fields !== undefined);
  if (withValues.length === 0) return condition;
  const b = new MappedTextBuilder(condition.fallback).literal('(').mapped(condition).literal(')');
  for (const ex of withValues) {
    b.literal(' and not ');
    const fields = ex.fields!;
    if (!Array.isArray(fields)) {
      const comps = ex.comps as TextNode | undefined;
      b.literal('(').node(fields).literal(' ');
      if (comps) b.node(comps);
      else b.literal('in');
      b.literal(' (');
      ex.values.forEach((v, i) => {
        if (i > 0) b.literal(', ');
        quoted(b, v.entry as TextNode);
      });
      b.literal('))');
      continue;
    }
    const comps = (ex.comps as TextNode[] | undefined) ?? [];
    b.literal('(');
    ex.values.forEach((v, i) => {
      if (i > 0) b.literal(' or ');
      b.literal('(');
      const tuple = v.entry as ExceptionValue[];
      fields.forEach((field, k) => {
        if (k > 0) b.literal(' and ');
        const comp = comps[k];
        b.literal(' ').node(field).literal(' ');
        if (comp) b.node(comp);
        else b.literal('=');
        b.literal(' ');
        renderValue(b, tuple[k]!, compText(comp, '='));
      });
      b.literal(')');
    });
    b.literal(')');
  }
  return b.build();
}
