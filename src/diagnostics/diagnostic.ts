import type { DiagnosticCode } from './codes.js';
import type { SourceText } from './source.js';

export interface Span {
  source: SourceText;
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning';

/** One frame of where a diagnostic sits: "rule 'X'", "condition", "macro 'open_write'". */
export interface ContextFrame {
  label: string;
  span?: Span;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** The innermost place the problem is. */
  span?: Span;
  /** Outer → inner frames (file item, condition, macro use), as Falco's location chain. */
  context?: ContextFrame[];
  /** Name of the item (rule, macro, list, package) the diagnostic belongs to. */
  item?: string;
}

/** A located, JSON-friendly form of a diagnostic (API bodies, --json output, tests). */
export interface LocatedDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endCol?: number;
  item?: string;
}

export function locate(d: Diagnostic): LocatedDiagnostic {
  const out: LocatedDiagnostic = { code: d.code, severity: d.severity, message: d.message };
  if (d.span) {
    const start = d.span.source.position(d.span.start);
    const end = d.span.source.position(d.span.end);
    out.file = d.span.source.name;
    out.line = start.line;
    out.col = start.col;
    out.endLine = end.line;
    out.endCol = end.col;
  }
  if (d.item !== undefined) out.item = d.item;
  return out;
}

export function errorsIn(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

/** Diagnostics sorted by file, then position; those without a place keep their order at the end. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const sa = a.d.span;
      const sb = b.d.span;
      if (sa && sb) {
        if (sa.source !== sb.source) return sa.source.name < sb.source.name ? -1 : sa.source.name > sb.source.name ? 1 : a.i - b.i;
        return sa.start - sb.start || a.i - b.i;
      }
      if (sa) return -1;
      if (sb) return 1;
      return a.i - b.i;
    })
    .map(({ d }) => d);
}

/** Thrown only at API boundaries that must refuse a whole rule set; engines return diagnostics. */
export class RuleSetError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    const first = diagnostics.find((d) => d.severity === 'error');
    super(first ? first.message : 'invalid rule set');
    this.name = 'RuleSetError';
  }
}
