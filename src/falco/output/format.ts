/**
 * Falco output format strings (spec 6.1): literal text with `%field` tokens.
 *
 * A token is `%`, an optional decimal width, then the *longest prefix* of the rest that parses and
 * compiles as a field (with `[arg]`) or transformer expression, so `%proc.name)` and
 * `%proc.name_x` both print proc.name followed by the rest as text. Missing values print `<NA>`.
 * `%container.info` is gone since the container plugin: it prints nothing, warns, and adds the
 * plugin's suggested fields (container.id, container.name) to the JSON output fields.
 *
 * The compiled format is a flat array of literal strings and extractors, so formatting an alert is
 * one pass with no parsing.
 */
import type { FieldOperand } from '../condition/ast.js';
import { parseOperandAt } from '../condition/parser.js';
import { deprecatedFieldWarning } from '../deprecations.js';
import type { EvalContext, Extractor, FieldType, FieldValue } from '../fields/field.js';

export interface OutputField {
  /** The token as written, without `%` and width (`proc.aname[2]`, `tolower(proc.name)`). */
  name: string;
  type: FieldType;
  /** A list field (`fd.types`): prints as `(a,b)`. Other fields that yield several values (the
   * index-less ancestor fields) print them separated by spaces. */
  isList?: boolean;
  extract: Extractor;
}

/** Compiles one parsed operand; a string is the reason it does not compile. */
export type CompileOperand = (operand: FieldOperand, text: string) => OutputField | string;

export interface OutputFormat {
  readonly text: string;
  /** Distinct fields in order of first use, plus fields added by `%container.info`. */
  readonly fields: readonly OutputField[];
  format(ctx: EvalContext): string;
  /** Typed values of every field (`null` when missing), keyed by field name. */
  values(ctx: EvalContext): Record<string, unknown>;
}

export interface OutputProblem {
  message: string;
  /** Offset in the format text. */
  offset: number;
}

export interface OutputCompileResult {
  format?: OutputFormat;
  error?: OutputProblem;
  warnings: OutputProblem[];
  /** True when the error is about an unknown field (skip-if-unknown-filter may turn it into a warning). */
  unknownField?: boolean;
}

export const NA = '<NA>';
const CONTAINER_INFO = 'container.info';
const CONTAINER_INFO_FIELDS = ['container.id', 'container.name'];

interface FieldPart {
  field: OutputField;
  width: number;
}

export function compileOutputFormat(text: string, compileOperand: CompileOperand): OutputCompileResult {
  const parts: (string | FieldPart)[] = [];
  const fields = new Map<string, OutputField>();
  const warnings: OutputProblem[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '%') {
      literal += c;
      i++;
      continue;
    }
    const tokenStart = i;
    let j = i + 1;
    if (j >= text.length) return { error: { message: 'formatting cannot end with a %', offset: tokenStart }, warnings };
    let width = 0;
    while (j < text.length && text[j]! >= '0' && text[j]! <= '9') width = width * 10 + Number(text[j++]);
    if (text.startsWith(CONTAINER_INFO, j) && !/[\w.[]/.test(text[j + CONTAINER_INFO.length] ?? '')) {
      warnings.push({ message: "%container.info is deprecated and prints nothing; use %container.id and %container.name", offset: tokenStart });
      for (const name of CONTAINER_INFO_FIELDS) {
        const added = compileNamed(name, compileOperand);
        if (typeof added !== 'string' && !fields.has(name)) fields.set(name, added);
      }
      i = j + CONTAINER_INFO.length;
      continue;
    }
    const token = longestField(text, j, compileOperand);
    if (typeof token === 'string') {
      return { error: { message: token, offset: tokenStart }, warnings, unknownField: true };
    }
    const deprecation = deprecatedFieldWarning(token.field.name, 'output');
    if (deprecation) warnings.push({ message: deprecation, offset: tokenStart });
    if (literal) parts.push(literal);
    literal = '';
    const field = fields.get(token.field.name) ?? token.field;
    fields.set(field.name, field);
    parts.push({ field, width });
    i = token.end;
  }
  if (literal) parts.push(literal);
  return { format: createFormat(text, parts, [...fields.values()]), warnings };
}

function compileNamed(name: string, compileOperand: CompileOperand): OutputField | string {
  const parsed = safeParseOperand(name, 0);
  return 'error' in parsed ? parsed.error : compileOperand(parsed.operand, name);
}

/** The longest prefix of text[start..] that parses and compiles as a field. */
function longestField(text: string, start: number, compileOperand: CompileOperand): { field: OutputField; end: number } | string {
  let limit = text.length;
  let parseError: string | undefined;
  let compileError: string | undefined;
  while (limit > start) {
    const parsed = safeParseOperand(text.slice(0, limit), start);
    if ('error' in parsed) {
      parseError ??= parsed.error;
      limit--;
      continue;
    }
    const compiled = compileOperand(parsed.operand, text.slice(start, parsed.end));
    if (typeof compiled !== 'string') return { field: compiled, end: parsed.end };
    compileError ??= compiled;
    limit = parsed.end - 1;
  }
  if (compileError !== undefined) return `unknown filter: ${compileError}`;
  return `invalid formatting token ${text.slice(start).split(/\s/)[0]}${parseError ? `: ${parseError}` : ''}`;
}

function safeParseOperand(text: string, offset: number): ReturnType<typeof parseOperandAt> {
  try {
    return parseOperandAt(text, offset);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), offset };
  }
}

function createFormat(text: string, parts: readonly (string | FieldPart)[], fields: OutputField[]): OutputFormat {
  return {
    text,
    fields,
    format(ctx) {
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const s = renderValue(part.field.extract(ctx), part.field.isList);
        out += part.width > 0 ? fitWidth(s, part.width) : s;
      }
      return out;
    },
    values(ctx) {
      const out: Record<string, unknown> = {};
      for (const f of fields) out[f.name] = typedValue(f.extract(ctx));
      return out;
    },
  };
}

function fitWidth(s: string, width: number): string {
  return s.length >= width ? s.slice(0, width) : s + ' '.repeat(width - s.length);
}

/** A field value as Falco prints it in text. */
export function renderValue(v: FieldValue | undefined, isList = true): string {
  if (v === undefined) return NA;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Uint8Array) return printableBytes(v);
  return isList ? `(${v.join(',')})` : v.join(' ');
}

/** A field value as it goes into JSON output_fields (bigints stay bigints; the JSON writer prints them). */
export function typedValue(v: FieldValue | undefined): unknown {
  if (v === undefined) return null;
  if (v instanceof Uint8Array) return printableBytes(v);
  if (Array.isArray(v)) return v.slice();
  return v;
}

function printableBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return out;
}
