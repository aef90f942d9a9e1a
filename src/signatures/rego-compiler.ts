/**
 * The one place the signature layer reaches the Rego engine (src/rego, built alongside). It is loaded
 * lazily, so Rego-free runs (JS signatures only, `--list` of TS built-ins) never pay for it, and so the
 * signature layer keeps working while src/rego is absent: `loadRegoCompiler()` then gives undefined
 * and Rego files are reported as not loadable.
 */
import type { Diagnostic } from '../diagnostics/index.js';

export interface RegoSource {
  name: string;
  text: string;
}

/** The API of src/rego/index.ts that signatures use. */
export interface RegoProgram {
  packages(): string[];
  /** `ref` is a data path (`data.tracee.TRC_2.tracee_match`); undefined when the document is undefined; throws on conflicts. */
  evaluate(ref: string, input?: unknown, options?: { sets?: 'array' | 'set' }): unknown;
  tests(): string[];
}

export type CompileRego = (sources: RegoSource[]) => { program?: RegoProgram; diagnostics: Diagnostic[] };

let cached: Promise<CompileRego | undefined> | undefined;

export function loadRegoCompiler(): Promise<CompileRego | undefined> {
  // A computed specifier keeps the type checker from requiring the module before it exists.
  const specifier = '../rego/index.js';
  cached ??= import(specifier).then(
    (mod: { compileRego?: CompileRego }) => (typeof mod.compileRego === 'function' ? mod.compileRego : undefined),
    () => undefined,
  );
  return cached;
}
