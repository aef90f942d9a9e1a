/**
 * @module `vigil run`: the daemon (what `npm start` runs). Configuration comes from `-c FILE`
 * (falco.yaml style), then `-o key=value` overrides, then the flags below.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, parseListen } from '../../daemon/config.js';
import { startDaemon } from '../../daemon/main.js';
import { SensorUnavailableError } from '../../daemon/sensor.js';
import { RuleSetError, renderDiagnostic, sortDiagnostics } from '../../diagnostics/index.js';

const USAGE = `usage: vigil run [options]

  -c, --config FILE          YAML configuration (falco.yaml style)
  -o, --option KEY=VALUE     override a configuration key (dotted: -o api.listen=127.0.0.1:9000)
  -r, --rules PATH           add a Falco rules file or directory (repeatable; the built-in rules stay)
      --rules-dir DIR        rules directory: Falco YAML, Rego and JS signatures; API writes go here
      --input-tracee file:PATH|file:stdin
                             replay Tracee JSON lines instead of running the sensor
      --input scap:FILE      replay a Falco/sysdig capture (.scap, .scap.gz) instead of running the sensor
      --json                 alerts as JSON lines (json_output=true)
      --listen HOST:PORT     API address (default 127.0.0.1:8765)
      --workers N            shard workers (default: cores - 1, at least 1)
      --watch-rules          reload when a rules file changes
      --exit-on-eof          with --input-tracee or --input: stop once the input is processed
  -h, --help
`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        option: { type: 'string', short: 'o', multiple: true },
        rules: { type: 'string', short: 'r', multiple: true },
        'rules-dir': { type: 'string' },
        'input-tracee': { type: 'string', multiple: true },
        input: { type: 'string' },
        json: { type: 'boolean' },
        listen: { type: 'string' },
        workers: { type: 'string' },
        'watch-rules': { type: 'boolean' },
        'exit-on-eof': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    process.stderr.write(`vigil run: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const overrides = [...(v.option ?? [])];
  if (v['rules-dir'] !== undefined) overrides.push(`rules_dir=${v['rules-dir']}`);
  // tracee-rules takes `--input-tracee file:X --input-tracee format:json`; only the file matters here.
  const input = (v['input-tracee'] ?? []).find((s) => !s.startsWith('format:'));
  if (input !== undefined) overrides.push(`input_tracee=${input}`);
  if (v.input !== undefined) {
    if (!v.input.startsWith('scap:') || v.input.length === 5) {
      process.stderr.write(`vigil run: --input takes scap:FILE\n`);
      return 2;
    }
    overrides.push(`input_scap=${v.input.slice(5)}`);
  }
  if (v.json) overrides.push('json_output=true');
  if (v.listen !== undefined) {
    if (!parseListen(v.listen)) {
      process.stderr.write(`vigil run: --listen must be HOST:PORT\n`);
      return 2;
    }
    overrides.push(`api.listen=${v.listen}`);
  }
  if (v.workers !== undefined) overrides.push(`workers=${v.workers}`);
  if (v['watch-rules']) overrides.push('watch_rules=true');

  let daemon;
  try {
    const config = await loadConfig(v.config, overrides);
    if (v.rules) config.rules_files.push(...v.rules);
    daemon = await startDaemon(config);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof SensorUnavailableError) {
      process.stderr.write(`vigil run: ${err.message}\n`);
      return 1;
    }
    if (err instanceof RuleSetError) {
      for (const d of sortDiagnostics(err.diagnostics)) process.stderr.write(`${renderDiagnostic(d)}\n`);
      process.stderr.write('vigil run: the rules do not load\n');
      return 1;
    }
    process.stderr.write(`vigil run: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const running = daemon;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      process.stderr.write(`vigil: ${signal}, draining and stopping\n`);
      running.stop().then(resolve, resolve);
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    if (v['exit-on-eof']) {
      running.inputDone
        .then(() => running.settle())
        .then(() => running.stop())
        .then(resolve, resolve);
    }
  });
  await stopped;
  return 0;
}
