/**
 * Runs Falco-style conditions over a capture in both vigil (replayScap + the Falco engine) and
 * Debian's sysdig 0.29.3 (`sysdig -r FILE -p FORMAT CONDITION`), printing the same fields, so
 * tests and benchmarks can compare matches and values row by row.
 */
import { spawnSync } from 'node:child_process';
import { loadFalcoRules } from '../../src/falco/index.js';
import type { EvalContext } from '../../src/falco/fields/field.js';
import { parse, stringify } from 'yaml';
import { replayScap } from '../../src/scap/index.js';

/** The fields every matching event prints, in both tools. */
export const FIELDS = [
  'evt.rawtime', 'thread.tid', 'evt.type', 'evt.res', 'proc.name', 'proc.pid', 'proc.ppid', 'proc.pname', 'proc.cmdline',
  'proc.exe', 'proc.cwd', 'proc.aname[2]', 'fd.num', 'fd.name', 'fd.typechar', 'fd.directory', 'user.name', 'user.uid', 'container.id',
  'container.name', 'container.image', 'container.image.repository', 'container.image.tag', 'container.privileged', 'k8s.ns.name', 'k8s.pod.name',
];
export const FORMAT = FIELDS.map((f) => `%${f}`).join('\t');

export function sysdigAvailable(): boolean {
  return spawnSync('sysdig', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** sysdig's rows for `condition` (exit events only, and procexit, which 0.29.3 records as an enter event). */
export function sysdigRows(file: string, condition: string, format = FORMAT): string[] {
  const filter = `(${condition}) and (evt.dir=< or evt.type=procexit)`;
  const r = spawnSync('sysdig', ['-r', file, '-p', `*${format}`, filter], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`sysdig failed on ${JSON.stringify(condition)}: ${r.stderr}`);
  return r.stdout.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
}

function rulesYaml(conditions: readonly string[], format: string): string {
  return conditions
    .map((c, i) => `- rule: c${i}\n  desc: condition ${i}\n  condition: >-\n    ${c}\n  output: ${JSON.stringify(format)}\n  priority: INFO\n`)
    .join('\n');
}

export interface VigilRun {
  /** Output rows per condition index. */
  rows: string[][];
  events: number;
  error?: string;
}

/** Evaluates every condition (as one rule each, rule_matching all) over the capture in one pass. */
export async function vigilRows(file: string, conditions: readonly string[], format = FORMAT): Promise<VigilRun> {
  const loaded = loadFalcoRules([{ name: 'differential.yaml', text: rulesYaml(conditions, format) }], { ruleMatching: 'all' });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.ruleset || errors.length) throw new Error(`rules did not load: ${errors.map((d) => d.message).join('; ')}`);
  const ruleset = loaded.ruleset;
  const rows: string[][] = conditions.map(() => []);
  let num = 0;
  const summary = await replayScap(file, {
    onEvent(evt, applied, state) {
      num++;
      const ctx: EvalContext = { evt, num, thread: applied.thread, fd: applied.fd, state, epoch: num };
      for (const alert of ruleset.evaluate(ctx)) rows[Number(alert.rule.slice(1))]!.push(alert.output);
    },
  });
  return { rows, events: summary.stats.events, error: summary.error?.message };
}

/**
 * Loads a whole rules file (lists and macros resolved by vigil itself) with every rule's output
 * replaced by `format`, and returns the output rows per rule name.
 */
export async function vigilRulesFileRows(file: string, rulesYaml: string, format = FORMAT): Promise<Map<string, string[]>> {
  const items = parse(rulesYaml) as Record<string, unknown>[];
  for (const item of items) if (item && typeof item === 'object' && 'rule' in item) item.output = format;
  const loaded = loadFalcoRules([{ name: 'rules.yaml', text: stringify(items) }], { ruleMatching: 'all' });
  if (!loaded.ruleset) throw new Error(`rules did not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  const ruleset = loaded.ruleset;
  const rows = new Map<string, string[]>();
  let num = 0;
  await replayScap(file, {
    onEvent(evt, applied, state) {
      num++;
      for (const alert of ruleset.evaluate({ evt, num, thread: applied.thread, fd: applied.fd, state, epoch: num })) {
        rows.set(alert.rule, [...(rows.get(alert.rule) ?? []), alert.output]);
      }
    },
  });
  return rows;
}
