/**
 * @module Falco rules engine: load rules files into a runnable rule set.
 *
 * `loadFalcoRules` reads every source in order into one collector (later files redefine, append to
 * and override earlier ones, as Falco does with several `-r` files), then compiles the whole set.
 * It never throws on bad input: problems come back as diagnostics with file, line and column, and
 * there is no rule set when any of them is an error.
 *
 * @example
 *   const { ruleset, diagnostics } = loadFalcoRules([{ name: 'rules.yaml', text }]);
 *   for (const alert of ruleset?.evaluate(ctx) ?? []) console.log(renderTextAlert(alert));
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { SourceText, type Diagnostic } from '../diagnostics/index.js';
import type { ConditionBackend } from './loader/backend.js';
import { Collector } from './loader/collect.js';
import { compileCollected } from './loader/compile.js';
import { readRulesYaml } from './loader/read-yaml.js';
import { createDefaultBackend } from './backend.js';
import { FalcoRuleset, type RulesetOptions } from './ruleset.js';

export interface RulesSource {
  name: string;
  text: string;
}

export interface LoadOptions extends RulesetOptions {
  /** Condition compiler and field registry; the real ones unless a test injects its own. */
  backend?: ConditionBackend;
  /** Event sources whose rules are kept (default: syscall). */
  sources?: readonly string[];
  engineVersion?: string;
}

export interface LoadCounts {
  rules: number;
  macros: number;
  lists: number;
}

export interface LoadResult {
  ruleset?: FalcoRuleset;
  diagnostics: Diagnostic[];
  counts: LoadCounts;
  /** The SourceText of each input, in order (for reports). */
  sources: SourceText[];
  requiredPlugins: { name: string; version: string }[];
}

export function loadFalcoRules(inputs: readonly RulesSource[], options: LoadOptions = {}): LoadResult {
  const backend = options.backend ?? createDefaultBackend();
  const collector = new Collector({ sources: options.sources, isField: (f) => backend.isField(f) });
  const diagnostics: Diagnostic[] = [];
  const sources = inputs.map((s) => new SourceText(s.name, s.text));
  let failed = false;
  for (const source of sources) {
    const read = safely(() => readRulesYaml(source, { engineVersion: options.engineVersion }), source);
    diagnostics.push(...read.diagnostics);
    if (!read.ok) {
      failed = true;
      break;
    }
    for (const item of read.items) {
      const added = collector.add(item);
      diagnostics.push(...added);
      if (added.some((d) => d.severity === 'error')) {
        failed = true;
        break;
      }
    }
    if (failed) break;
  }
  const counts = (): LoadCounts => ({ rules: collector.rules.size, macros: collector.macros.size, lists: collector.lists.size });
  const requiredPlugins = collector.requiredPlugins.map(({ name, version }) => ({ name, version }));
  if (failed) return { diagnostics, counts: counts(), sources, requiredPlugins };
  const compiled = safely(() => compileCollected(collector, backend), sources[sources.length - 1]);
  diagnostics.push(...compiled.diagnostics);
  if (!compiled.ok) return { diagnostics, counts: counts(), sources, requiredPlugins };
  const ruleset = new FalcoRuleset(compiled.rules, options);
  return { ruleset, diagnostics, counts: counts(), sources, requiredPlugins };
}

/** A bug in a stage must not escape as an exception: it becomes an error diagnostic. */
function safely<T extends { diagnostics: Diagnostic[]; ok: boolean }>(run: () => T, source: SourceText | undefined): T {
  try {
    return run();
  } catch (e) {
    const message = `internal error while loading rules: ${e instanceof Error ? e.message : String(e)}`;
    const span = source ? { source, start: 0, end: 0 } : undefined;
    return { diagnostics: [{ code: 'LOAD_ERR_VALIDATE', severity: 'error', message, span }], ok: false } as unknown as T;
  }
}

export interface ReadPathsResult {
  sources: RulesSource[];
  diagnostics: Diagnostic[];
}

const RULES_EXTENSIONS = new Set(['.yaml', '.yml']);

/**
 * Expand rules paths as Falco's `-r` does: a file is read as is; a directory contributes its
 * .yaml/.yml files in name order; several paths keep their order. Unreadable paths become
 * LOAD_ERR_FILE_READ diagnostics.
 */
export async function readRulesPaths(paths: readonly string[]): Promise<ReadPathsResult> {
  const sources: RulesSource[] = [];
  const diagnostics: Diagnostic[] = [];
  const fail = (path: string, e: unknown) => {
    const reason = e instanceof Error ? e.message : String(e);
    diagnostics.push({ code: 'LOAD_ERR_FILE_READ', severity: 'error', message: `Could not read rules file ${path}: ${reason}`, span: { source: new SourceText(path, ''), start: 0, end: 0 } });
  };
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) {
        const names = (await readdir(path)).filter((n) => RULES_EXTENSIONS.has(extname(n))).sort();
        for (const name of names) {
          const file = join(path, name);
          try {
            sources.push({ name: file, text: await readFile(file, 'utf8') });
          } catch (e) {
            fail(file, e);
          }
        }
      } else {
        sources.push({ name: path, text: await readFile(path, 'utf8') });
      }
    } catch (e) {
      fail(path, e);
    }
  }
  return { sources, diagnostics };
}

export { FalcoRuleset, type CompiledRule, type RuleMatching, type RulesetOptions } from './ruleset.js';
export type { ConditionBackend } from './loader/backend.js';
export { renderLoadReport, loadReportJson } from './report.js';
export * from './output/index.js';
