import { describeCode } from './codes.js';
import type { Diagnostic } from './diagnostic.js';

/**
 * The one text form of a diagnostic, for terminals:
 *   rules/app.yaml:41:15: error LOAD_ERR_COMPILE_CONDITION (Error compiling condition): expected a value after 'in' [rule 'X']
 *     condition: evt.type in
 *                           ^
 */
export function renderDiagnostic(d: Diagnostic, options: { snippet?: boolean } = {}): string {
  let where = '';
  if (d.span) {
    const { line, col } = d.span.source.position(d.span.start);
    where = `${d.span.source.name}:${line}:${col}: `;
  }
  const item = d.item !== undefined ? ` [${d.item}]` : '';
  let out = `${where}${d.severity} ${d.code} (${describeCode(d.code)}): ${d.message}${item}`;
  if (options.snippet !== false && d.span) {
    const { line, col } = d.span.source.position(d.span.start);
    const text = d.span.source.lineText(line);
    if (text.length > 0 && text.length <= 400) {
      out += `\n    ${text}\n    ${' '.repeat(Math.max(0, col - 1))}^`;
    }
  }
  return out;
}
