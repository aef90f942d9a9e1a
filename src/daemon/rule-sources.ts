/**
 * @module Where rule sets come from on disk: the configured Falco rules files (files or
 * directories, in order; a directory's files in name order) and the rules directory, whose
 * `.yaml`/`.yml` files are Falco rules and whose `.rego` files are Tracee signatures. JS/TS
 * signatures are loaded by the signature engine from the same directory.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { RuleSource } from '../workers/pipeline.js';

export const FALCO_EXTENSIONS = ['.yaml', '.yml'];
export const REGO_EXTENSIONS = ['.rego'];

export interface RuleFiles {
  falco: RuleSource[];
  rego: RuleSource[];
}

async function filesOf(path: string, extensions: string[]): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => extensions.includes(extname(n))).sort();
  return names.map((n) => join(path, n));
}

/** Read every rules file; a missing configured path is an error the caller reports. */
export async function readRuleFiles(rulesFiles: readonly string[], rulesDir: string): Promise<RuleFiles> {
  const falco: RuleSource[] = [];
  const rego: RuleSource[] = [];
  for (const path of rulesFiles) {
    for (const file of await filesOf(resolve(path), FALCO_EXTENSIONS)) falco.push({ name: file, text: await readFile(file, 'utf8') });
  }
  if (rulesDir) {
    for (const file of await filesOf(resolve(rulesDir), [...FALCO_EXTENSIONS, ...REGO_EXTENSIONS])) {
      const source = { name: file, text: await readFile(file, 'utf8') };
      (REGO_EXTENSIONS.includes(extname(file)) ? rego : falco).push(source);
    }
  }
  return { falco, rego };
}

/** A file name the API may write into the rules directory: a plain name, YAML or Rego only. */
export function checkRuleFileName(name: string): string | undefined {
  if (name !== basename(name) || name.startsWith('.') || !/^[\w.-]+$/.test(name)) return 'file name must be a plain name (letters, digits, . _ -)';
  const ext = extname(name);
  if (!FALCO_EXTENSIONS.includes(ext) && !REGO_EXTENSIONS.includes(ext)) return 'only .yaml, .yml and .rego files are accepted; JavaScript signatures load from disk only';
  return undefined;
}
