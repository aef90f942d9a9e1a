import type { Diagnostic, DiagnosticCode, Severity, Span } from '../../diagnostics/index.js';
import { SourceText } from '../../diagnostics/index.js';

/**
 * Where a condition's text came from. AST offsets are offsets into the text the parser was given;
 * `toSource` maps them to offsets in `source` (the rules file), composing the list-substitution map
 * and the YAML scalar position. Without it the condition text is its own source.
 */
export interface ConditionLocation {
  source: SourceText;
  toSource?: (offset: number) => number;
}

export function standaloneLocation(text: string, name = 'condition'): ConditionLocation {
  return { source: new SourceText(name, text) };
}

export function spanAt(location: ConditionLocation, start: number, end = start): Span {
  const map = location.toSource;
  return map ? { source: location.source, start: map(start), end: Math.max(map(start), map(end)) } : { source: location.source, start, end };
}

export function conditionDiagnostic(
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  location: ConditionLocation,
  start: number,
  end = start,
): Diagnostic {
  return { code, severity, message, span: spanAt(location, start, end) };
}
