/**
 * `vigil validate [--json] PATH…`: load Falco rules files and directories (in the order given, all
 * into one rule set, as Falco loads several -r paths) and print the load report. Exit 1 on errors.
 */
import { loadFalcoRules, readRulesPaths } from '../../falco/index.js';
import { loadReportJson, renderLoadReport } from '../../falco/report.js';

const USAGE = 'usage: vigil validate [--json] PATH...\n';

export async function run(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--json');
  const paths = args.filter((a) => !a.startsWith('-'));
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (unknown.length > 0 || paths.length === 0) {
    process.stderr.write(unknown.length > 0 ? `vigil validate: unknown option ${unknown[0]}\n${USAGE}` : USAGE);
    return 2;
  }
  const read = await readRulesPaths(paths);
  const loaded = read.diagnostics.some((d) => d.severity === 'error')
    ? { diagnostics: [], counts: { rules: 0, macros: 0, lists: 0 } }
    : loadFalcoRules(read.sources);
  const input = {
    files: read.sources.map((s) => s.name),
    diagnostics: [...read.diagnostics, ...loaded.diagnostics],
    counts: loaded.counts,
  };
  if (json) process.stdout.write(`${JSON.stringify(loadReportJson(input), null, 2)}\n`);
  else process.stdout.write(renderLoadReport(input));
  return input.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
