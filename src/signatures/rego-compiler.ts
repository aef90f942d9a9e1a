/**
 * The one place the signature layer reaches the Rego engine (src/rego). It is loaded lazily, so runs
 * without Rego signatures (JS rules directories, `--list` of the TypeScript built-ins) never load the
 * compiler, and tests can inject another compiler through the `CompileRego` type.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import type { PreparedQuery, RegoProgram, RegoSource } from '../rego/index.js';

export type { PreparedQuery, RegoProgram, RegoSource };

export type CompileRego = (sources: RegoSource[]) => { program?: RegoProgram; diagnostics: Diagnostic[] };

let cached: Promise<CompileRego | undefined> | undefined;

/** src/rego's compileRego; undefined if the module cannot be loaded (reported by the caller). */
export function loadRegoCompiler(): Promise<CompileRego | undefined> {
  cached ??= import('../rego/index.js').then(
    (mod) => (sources: RegoSource[]) => mod.compileRego(sources),
    () => undefined,
  );
  return cached;
}
