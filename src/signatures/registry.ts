/**
 * Loads signatures (spec 2.2). Without a rules directory: vigil's defaults (the TypeScript built-ins,
 * then the Rego files of src/signatures/builtin). With one: its JS/TS modules, then its Rego files, each
 * group in lexical order of the recursive walk. Our helpers.rego is always compiled with every Rego
 * signature; a file named exactly `helpers.rego` in a rules directory is skipped, and other files whose
 * name ends with `helpers.rego` are extra helper modules. `*_test.rego` files are tests (run them with
 * `vigil test-rego`), not signatures, so they are skipped here rather than failing to compile as upstream.
 * `--rules ID…` keeps the signatures whose metadata ID is listed. Nothing here throws on bad rules:
 * every problem is returned in `problems`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDiagnostic } from '../diagnostics/index.js';
import { builtinSignatures } from './builtin/index.js';
import { loadJsSignatures } from './js-signature.js';
import { loadRegoCompiler, type CompileRego, type RegoSource } from './rego-compiler.js';
import { compileRegoSignature } from './rego-signature.js';
import type { Signature } from './signature.js';
import { isTypeScriptModule } from './ts-module.js';

export interface LoadOptions {
  /** A rules directory; vigil's built-in signatures when absent. */
  rulesDir?: string;
  /** Keep only these signature IDs. */
  ruleIds?: readonly string[];
  /** The Rego compiler to use (tests inject one); src/rego's by default. */
  compileRego?: CompileRego;
}

export interface LoadResult {
  signatures: Signature[];
  /** One rendered line (or block) per problem: unreadable modules, Rego that does not compile, … */
  problems: string[];
}

/**
 * Where the built-in .rego files live: beside this module when running from src/, or back in src/ when
 * running the compiled dist/ (tsc copies no .rego files).
 */
export function builtinRulesDir(): string {
  const here = fileURLToPath(new URL('./builtin/', import.meta.url));
  if (existsSync(join(here, 'helpers.rego'))) return here;
  return fileURLToPath(new URL('../../../src/signatures/builtin/', import.meta.url));
}

export function embeddedHelpers(): RegoSource {
  const name = join(builtinRulesDir(), 'helpers.rego');
  return { name, text: readFileSync(name, 'utf8') };
}

/** Every file below `dir`, depth first, names sorted bytewise (Go's filepath.Walk order). */
function walk(dir: string, out: string[] = []): string[] {
  const names = readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

async function loadRego(files: string[], compile: CompileRego | undefined, problems: string[]): Promise<Signature[]> {
  const helperFiles = files.filter((f) => basename(f).endsWith('helpers.rego') && basename(f) !== 'helpers.rego');
  const signatureFiles = files.filter((f) => !basename(f).endsWith('helpers.rego') && !f.endsWith('_test.rego'));
  if (signatureFiles.length === 0) return [];
  if (compile === undefined) {
    problems.push(`the Rego engine is not available; ${signatureFiles.length} Rego signature file(s) not loaded`);
    return [];
  }
  const helpers = [embeddedHelpers(), ...helperFiles.map((name) => ({ name, text: readFileSync(name, 'utf8') }))];
  const signatures: Signature[] = [];
  for (const name of signatureFiles) {
    const result = compileRegoSignature(compile, { name, text: readFileSync(name, 'utf8') }, helpers);
    if (result.signature) signatures.push(result.signature);
    else problems.push([`error creating rego signature ${result.error}`, ...result.diagnostics.map((d) => renderDiagnostic(d))].join('\n'));
  }
  return signatures;
}

function keepIds(signatures: Signature[], ids: readonly string[], problems: string[]): Signature[] {
  const wanted = new Set(ids);
  return signatures.filter((s) => {
    try {
      return wanted.has(s.getMetadata().ID);
    } catch (e) {
      problems.push(`error getting metadata: ${(e as Error).message}`);
      return false;
    }
  });
}

export async function loadSignatures(options: LoadOptions = {}): Promise<LoadResult> {
  const problems: string[] = [];
  const compile = options.compileRego ?? (await loadRegoCompiler());
  let signatures: Signature[];
  if (options.rulesDir === undefined) {
    const files = walk(builtinRulesDir()).filter((f) => f.endsWith('.rego'));
    signatures = [...builtinSignatures(), ...(await loadRego(files, compile, problems))];
  } else {
    if (!existsSync(options.rulesDir) || !statSync(options.rulesDir).isDirectory()) {
      return { signatures: [], problems: [`rules directory not found: ${options.rulesDir}`] };
    }
    const files = walk(options.rulesDir);
    signatures = [];
    for (const file of files.filter((f) => f.endsWith('.js') || f.endsWith('.mjs') || isTypeScriptModule(f))) {
      const loaded = await loadJsSignatures(file);
      signatures.push(...loaded.signatures);
      problems.push(...loaded.errors);
    }
    signatures.push(...(await loadRego(files.filter((f) => f.endsWith('.rego')), compile, problems)));
  }
  if (options.ruleIds !== undefined && options.ruleIds.length > 0) signatures = keepIds(signatures, options.ruleIds, problems);
  return { signatures, problems };
}
