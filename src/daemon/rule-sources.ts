/**
 * @module Where rule sets come from on disk: the configured Falco rules files (files or
 * directories, in order; a directory's files in name order, as Falco's `-r`) and the rules
 * directory, whose `.yaml`/`.yml` files are Falco rules and whose `.rego` files are Tracee
 * signatures. JS signatures are loaded by the signature engine from the same directory. A file
 * that cannot be read refuses the set with a located LOAD_ERR_FILE_READ, like a rules error.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { RuleSetError, SourceText, type Diagnostic } from '../diagnostics/index.js';
import { readRulesPaths } from '../falco/index.js';
import type { RuleSource } from '../workers/pipeline.js';

export const FALCO_EXTENSIONS = ['.yaml', '.yml'];
export const REGO_EXTENSIONS = ['.rego'];

export interface RuleFiles {
  falco: RuleSource[];
  rego: RuleSource[];
}

async function readRego(dir: string, diagnostics: Diagnostic[]): Promise<RuleSource[]> {
  const out: RuleSource[] = [];
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => REGO_EXTENSIONS.includes(extname(n))).sort();
  } catch {
    return out; // the Falco reader reports an unreadable directory
  }
  for (const name of names) {
    const file = join(dir, name);
    try {
      out.push({ name: file, text: await readFile(file, 'utf8') });
    } catch (e) {
      diagnostics.push({ code: 'LOAD_ERR_FILE_READ', severity: 'error', message: `Could not read rules file ${file}: ${(e as Error).message}`, span: { source: new SourceText(file, ''), start: 0, end: 0 } });
    }
  }
  return out;
}

export async function readRuleFiles(rulesFiles: readonly string[], rulesDir: string): Promise<RuleFiles> {
  const paths = [...rulesFiles, ...(rulesDir ? [rulesDir] : [])].map((p) => resolve(p));
  const { sources, diagnostics } = await readRulesPaths(paths);
  const rego = rulesDir ? await readRego(resolve(rulesDir), diagnostics) : [];
  if (diagnostics.some((d) => d.severity === 'error')) throw new RuleSetError(diagnostics);
  return { falco: sources, rego };
}

/** A file name the API may write into the rules directory: a plain name, YAML or Rego only. */
export function checkRuleFileName(name: string): string | undefined {
  if (name !== basename(name) || name.startsWith('.') || !/^[\w.-]+$/.test(name)) return 'file name must be a plain name (letters, digits, . _ -)';
  const ext = extname(name);
  if (!FALCO_EXTENSIONS.includes(ext) && !REGO_EXTENSIONS.includes(ext)) return 'only .yaml, .yml and .rego files are accepted; JavaScript signatures load from disk only';
  return undefined;
}
