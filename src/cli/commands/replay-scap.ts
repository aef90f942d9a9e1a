/**
 * `vigil replay --scap FILE`: a Falco/sysdig capture (.scap, .scap.gz) through the daemon's own
 * shard evaluator, in-process with one shard, so replayed events meet the same state tables and
 * rule engines as live ones (the built-in Falco rules plus `-r` paths, and the Tracee signatures).
 * Alerts print as `vigil run`'s stdout output prints them. A corrupt or truncated capture: the
 * events before the fault are evaluated and printed, then the byte offset goes to stderr, exit 1.
 */
import { defaultConfig } from '../../daemon/config.js';
import { readRuleFiles } from '../../daemon/rule-sources.js';
import { renderDiagnostic, RuleSetError, sortDiagnostics } from '../../diagnostics/index.js';
import { renderAlert } from '../../outputs/format.js';
import { emptySeed, readScap, type StateSeed } from '../../scap/index.js';
import { pipeline } from '../../workers/default-pipeline.js';
import type { CompiledRules, ShardEvaluator } from '../../workers/pipeline.js';

export interface ScapReplayOptions {
  file: string;
  /** Falco rules files or directories added to the built-in rules (`-r`, as `vigil run`). */
  rulesPaths: string[];
  /** Directory of Rego/JS signatures added to the built-in ones (`--rules-dir`). */
  rulesDir: string;
  json: boolean;
}

export interface ScapReplayIO {
  out(text: string): void;
  err(text: string): void;
  flush(): Promise<void>;
}

async function compileRules(options: ScapReplayOptions, io: ScapReplayIO): Promise<CompiledRules | undefined> {
  try {
    const files = await readRuleFiles([...defaultConfig().rules_files, ...options.rulesPaths], options.rulesDir);
    const result = await pipeline.compile({
      version: 1, falco: files.falco, rego: files.rego, signatureDir: options.rulesDir, disabled: [], ruleMatching: 'all',
    });
    for (const d of sortDiagnostics(result.diagnostics)) io.err(`${renderDiagnostic(d)}\n`);
    if (!result.rules) io.err('vigil replay: the rules do not load\n');
    return result.rules;
  } catch (err) {
    if (!(err instanceof RuleSetError)) throw err;
    for (const d of sortDiagnostics(err.diagnostics)) io.err(`${renderDiagnostic(d)}\n`);
    io.err('vigil replay: the rules do not load\n');
    return undefined;
  }
}

function createEvaluator(seed: StateSeed): ShardEvaluator {
  const defaults = defaultConfig().state;
  const evaluator = pipeline.createShard({
    shard: 0,
    procRoot: defaults.proc_root,
    maxThreads: defaults.max_threads,
    maxFdsPerProcess: defaults.max_fds_per_process,
    maxContainers: defaults.max_containers,
    captureSeed: seed,
  });
  evaluator.seed();
  return evaluator;
}

export async function replayScapFile(options: ScapReplayOptions, io: ScapReplayIO): Promise<number> {
  const rules = await compileRules(options, io);
  if (!rules) return 1;
  let evaluator: ShardEvaluator | undefined;
  let events = 0;
  let alerts = 0;
  const summary = await readScap(options.file, {
    onSeed: (seed) => {
      evaluator = createEvaluator(seed);
    },
    onContainer: (info) => {
      evaluator ??= createEvaluator(emptySeed());
      evaluator.container(info);
    },
    onEvent: (evt) => {
      // A capture without a process list still replays: its threads are learnt from the events.
      evaluator ??= createEvaluator(emptySeed());
      const found = evaluator.evaluate(rules, evt, ++events);
      for (const alert of found) io.out(`${renderAlert(alert, options.json)}\n`);
      alerts += found.length;
    },
  });
  const failure = summary.error ? `${options.file}: byte offset ${summary.error.offset}: ${summary.error.message}` : undefined;
  await io.flush();
  if (failure !== undefined) io.err(`vigil replay: error reading capture ${failure}\n`);
  io.err(`vigil replay: ${events} events, ${alerts} alerts, ${failure === undefined ? 0 : 1} errors\n`);
  return failure === undefined ? 0 : 1;
}
