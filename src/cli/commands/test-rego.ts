/**
 * `vigil test-rego PATH…`: compiles every .rego file under the paths together (as `opa test` does)
 * and runs each `test_*` rule. A test passes when it is defined and not false.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorsIn, renderDiagnostic } from '../../diagnostics/index.js';
import { compileRego, RegoEvalError, type RegoSource } from '../../rego/index.js';

const USAGE = `usage: vigil test-rego [-v] [-r REGEX] PATH…
  Runs every test_* rule of the .rego files under PATH (files or directories), compiled together.
  -v, --verbose     also print timings and evaluation errors in full
  -r, --run REGEX   only run tests whose full name matches REGEX
`;

interface Options {
  paths: string[];
  verbose: boolean;
  filter: RegExp | null;
}

function parseArgs(args: string[]): Options | string {
  const opts: Options = { paths: [], verbose: false, filter: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-v' || a === '--verbose') opts.verbose = true;
    else if (a === '-r' || a === '--run') {
      const re = args[++i];
      if (re === undefined) return 'missing value for --run';
      try {
        opts.filter = new RegExp(re);
      } catch {
        return `invalid --run pattern: ${re}`;
      }
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else opts.paths.push(a);
  }
  return opts.paths.length === 0 ? 'no paths given' : opts;
}

function collect(path: string, out: string[]): void {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (path.endsWith('.rego')) out.push(path);
}

/** Reads the sources; a path that cannot be read is reported and makes the run fail. */
function readSources(paths: string[]): { sources: RegoSource[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) collect(p, files);
      else files.push(p);
    } catch (e) {
      errors.push(`${p}: ${(e as Error).message}`);
    }
  }
  return { sources: files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })), errors };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const opts = parseArgs(args);
  if (typeof opts === 'string') {
    process.stderr.write(`vigil test-rego: ${opts}\n${USAGE}`);
    return 2;
  }
  const { sources, errors } = readSources(opts.paths);
  for (const e of errors) process.stderr.write(`vigil test-rego: ${e}\n`);
  if (errors.length > 0) return 1;
  const { program, diagnostics } = compileRego(sources);
  for (const d of diagnostics) process.stderr.write(`${renderDiagnostic(d)}\n`);
  if (!program || errorsIn(diagnostics).length > 0) return 1;

  const tests = program.tests().filter((t) => !opts.filter || opts.filter.test(t));
  let passed = 0;
  let failed = 0;
  let errored = 0;
  for (const ref of tests) {
    const name = ref.replace(/^data\./, '');
    const started = performance.now();
    let status: 'PASS' | 'FAIL' | 'ERROR';
    let detail = '';
    try {
      const value = program.evaluate(ref);
      status = value === undefined || value === false ? 'FAIL' : 'PASS';
    } catch (e) {
      status = 'ERROR';
      detail = e instanceof RegoEvalError ? e.message : String(e);
    }
    const took = opts.verbose ? ` (${(performance.now() - started).toFixed(3)}ms)` : '';
    process.stdout.write(`${status} ${name}${took}${detail ? `\n  ${detail}` : ''}\n`);
    if (status === 'PASS') passed++;
    else if (status === 'FAIL') failed++;
    else errored++;
  }
  process.stdout.write(`${'-'.repeat(80)}\nPASS: ${passed}/${tests.length}`);
  if (failed > 0) process.stdout.write(`\nFAIL: ${failed}/${tests.length}`);
  if (errored > 0) process.stdout.write(`\nERROR: ${errored}/${tests.length}`);
  process.stdout.write('\n');
  return failed + errored > 0 ? 1 : 0;
}
