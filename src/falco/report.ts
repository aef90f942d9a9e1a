/**
 * The load report (spec 6.3), as `vigil validate` prints it: one status line per rules file
 * (`<file>: Ok` | `Ok, with warnings` | `Invalid`), then its errors and warnings, each with
 * file:line:col, the item it belongs to and a snippet with a caret; then the counts.
 */
import { locate, renderDiagnostic, sortDiagnostics, type Diagnostic, type LocatedDiagnostic } from '../diagnostics/index.js';
import type { LoadCounts } from './index.js';

export type FileStatus = 'Ok' | 'Ok, with warnings' | 'Invalid';

export interface ReportInput {
  /** Rules file names, in load order. */
  files: readonly string[];
  diagnostics: readonly Diagnostic[];
  counts: LoadCounts;
}

function byFile(input: ReportInput): Map<string, Diagnostic[]> {
  const groups = new Map<string, Diagnostic[]>(input.files.map((f) => [f, []]));
  const last = input.files[input.files.length - 1] ?? '<rules>';
  for (const d of sortDiagnostics(input.diagnostics)) {
    const name = d.span?.source.name ?? last;
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name)!.push(d);
  }
  return groups;
}

function statusOf(diagnostics: readonly Diagnostic[]): FileStatus {
  if (diagnostics.some((d) => d.severity === 'error')) return 'Invalid';
  return diagnostics.length > 0 ? 'Ok, with warnings' : 'Ok';
}

export function renderLoadReport(input: ReportInput): string {
  const lines: string[] = [];
  for (const [file, diagnostics] of byFile(input)) {
    lines.push(`${file}: ${statusOf(diagnostics)}`);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity === 'warning');
    for (const [what, list] of [['errors', errors], ['warnings', warnings]] as const) {
      if (list.length === 0) continue;
      lines.push(`${list.length} ${what}:`);
      for (const d of list) {
        lines.push(renderDiagnostic(d));
        // Frames with no place of their own (e.g. `condition 1:27`) say where inside generated text.
        for (const frame of d.context ?? []) if (!frame.span) lines.push(`    (in ${frame.label})`);
      }
    }
  }
  const { rules, macros, lists } = input.counts;
  lines.push(`${rules} rules, ${macros} macros, ${lists} lists`);
  return `${lines.join('\n')}\n`;
}

export interface LoadReportJson {
  ok: boolean;
  files: { name: string; status: FileStatus }[];
  counts: LoadCounts;
  diagnostics: LocatedDiagnostic[];
}

export function loadReportJson(input: ReportInput): LoadReportJson {
  const files = [...byFile(input)].map(([name, diagnostics]) => ({ name, status: statusOf(diagnostics) }));
  return {
    ok: !input.diagnostics.some((d) => d.severity === 'error'),
    files,
    counts: input.counts,
    diagnostics: sortDiagnostics(input.diagnostics).map(locate),
  };
}
