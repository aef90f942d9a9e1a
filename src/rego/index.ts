/**
 * @module rego
 * A Rego engine compiled ahead of time to JavaScript: parse → merge → resolve → safety → recursion →
 * codegen. Engines do no I/O: sources in, a program and diagnostics out.
 *
 * @example
 * const { program } = compileRego([{ name: 'p.rego', text: 'package p\nallow { input.x == 1 }' }]);
 * program?.evaluate('data.p.allow', { x: 1 }); // true
 */
import { sortDiagnostics, type Diagnostic } from '../diagnostics/index.js';
import { newCompileState, runStages } from './compiler/stages.js';
import type { CompileOptions } from './compiler/model.js';
import { CompiledProgram, type RegoProgram } from './program.js';

export { RegoEvalError } from './runtime/eval-error.js';
export type { PreparedQuery, RegoProgram } from './program.js';
export type { CompileOptions } from './compiler/model.js';

export interface RegoSource {
  name: string;
  text: string;
}

export function compileRego(sources: RegoSource[], options: CompileOptions = {}): { program?: RegoProgram; diagnostics: Diagnostic[] } {
  const state = newCompileState(sources, options);
  try {
    if (!runStages(state)) return { diagnostics: sortDiagnostics(state.diagnostics) };
    return { program: new CompiledProgram(state), diagnostics: state.diagnostics };
  } catch (e) {
    // Input nested deeper than the stack allows, or a check a stage missed that codegen relies on:
    // reported as a diagnostic, never a crash.
    const message = e instanceof RangeError ? 'policy is nested too deeply' : `internal compiler error: ${(e as Error).message}`;
    return { diagnostics: [...state.diagnostics, { code: 'rego_compile_error', severity: 'error', message }] };
  }
}
