/**
 * The compiler as an ordered list of named stages (OPA's compile.go shape). Each stage reads and
 * extends the CompileState; compilation stops after the first stage that reported an error, so later
 * stages may assume what earlier ones checked (codegen assumes safety and no recursion).
 */
import { SourceText } from '../../diagnostics/index.js';
import { ParseError, parseModule } from '../parser.js';
import { checkRecursion } from './recursion.js';
import { mergePackages } from './merge.js';
import { newPackageNode, type CompileOptions, type CompileState } from './model.js';
import { resolveNames } from './resolve.js';
import { checkSafety } from './safety.js';

export interface Stage {
  name: string;
  run(state: CompileState): void;
}

function parseAll(state: CompileState): void {
  for (const source of state.sources) {
    try {
      state.modules.push(parseModule(source));
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      state.diagnostics.push({ code: 'rego_parse_error', severity: 'error', message: e.message, span: { source, start: e.offset, end: e.offset } });
    }
  }
}

export const STAGES: readonly Stage[] = [
  { name: 'parse', run: parseAll },
  { name: 'merge', run: mergePackages }, // packages across files, rule kinds and conflicts
  { name: 'resolve', run: resolveNames }, // imports, locals vs rules, calls, builtin arity
  { name: 'safety', run: checkSafety }, // reorder for safety, rego_unsafe_var_error
  { name: 'recursion', run: checkRecursion },
];

export function newCompileState(sources: { name: string; text: string }[], options: CompileOptions): CompileState {
  return {
    options,
    sources: sources.map((s) => new SourceText(s.name, s.text)),
    modules: [],
    root: newPackageNode([]),
    groups: [],
    diagnostics: [],
  };
}

/** Runs the stages in order; `stopAfter` ends early (tests, debugging). Returns false on errors. */
export function runStages(state: CompileState, stopAfter?: string): boolean {
  for (const stage of STAGES) {
    stage.run(state);
    if (state.diagnostics.some((d) => d.severity === 'error')) return false;
    if (stage.name === stopAfter) break;
  }
  return true;
}
