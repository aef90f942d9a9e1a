export { SourceText, type Position } from './source.js';
export {
  type Span,
  type Severity,
  type ContextFrame,
  type Diagnostic,
  type LocatedDiagnostic,
  locate,
  errorsIn,
  sortDiagnostics,
  RuleSetError,
} from './diagnostic.js';
export { CODES, type DiagnosticCode, describeCode } from './codes.js';
export { renderDiagnostic } from './render.js';
