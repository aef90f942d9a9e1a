/**
 * `vigil replay`: recorded events through the Tracee signatures, with tracee-rules' flags (spec 4):
 *
 *   vigil replay [--rules-dir DIR] [--rules ID]… [--list | --list-events]
 *                --input-tracee file:PATH|file:stdin --input-tracee format:json
 *                [--output-template FILE | --json]
 *   vigil replay --scap FILE [-r PATH]… [--rules-dir DIR] [--json]   (replay-scap.ts)
 *
 * Findings go to stdout (the `*** Detection ***` block, the template's text, or one JSON object per
 * line). Lines that do not decode, and signature errors, are reported on stderr with their line number
 * and counted; they never stop the run. At end of input the signatures get SignalSourceComplete, every
 * finding is written, and the exit status is 0.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { applyOverrides, defaultConfig } from '../../daemon/config.js';
import { SignatureEngine, type SignatureErrorReport } from '../../signatures/engine.js';
import {
  DEFAULT_MAX_LINE_BYTES, openTraceeInput, parseTraceeInput, readTraceeJson, TRACEE_INPUT_HELP, type TraceeInputItem,
} from '../../signatures/input.js';
import { compileOutputTemplate, renderDetection, renderFindingJson } from '../../signatures/output/finding-output.js';
import { loadSignatures } from '../../signatures/registry.js';
import type { Finding, SignatureMetadata } from '../../signatures/signature.js';
import { replayScapFile } from './replay-scap.js';

export interface ReplayIO {
  out(text: string): void;
  err(text: string): void;
  stdin: Readable;
  /** Flushes `out`; the process version waits for stdout to drain. */
  flush(): Promise<void>;
}

const USAGE = `usage: vigil replay [options]

  --rules-dir DIR           load signatures (.rego, .js, .mjs) from DIR instead of vigil's built-ins
  --rules ID                run only these signature IDs (repeat or comma-separate)
  --list                    list the loaded signatures and exit
  --list-events             print the events the loaded signatures select and exit
  --input-tracee OPT        file:PATH or file:stdin, and format:json (repeat or comma-separate)
  --output-template FILE    print each finding with this Go text/template file
  --json                    print each finding as one JSON object per line
  -o json_output=true       the same as --json, as Falco's option and \`vigil run -o\` spell it
  --max-line-bytes N        longest input line accepted (default ${DEFAULT_MAX_LINE_BYTES})
  --scap FILE               replay a Falco/sysdig capture (.scap, .scap.gz) through the built-in Falco rules
                            and the Tracee signatures, as \`vigil run\` evaluates live events
  -r PATH                   with --scap: add a Falco rules file or directory (repeatable)
`;

/** Errors printed per signature before only counting them (a signature failing on every event would flood stderr). */
const ERRORS_SHOWN_PER_SIGNATURE = 5;

function processIO(): ReplayIO {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    stdin: process.stdin,
    flush: () => new Promise((resolve) => {
      if (process.stdout.writableNeedDrain) process.stdout.once('drain', () => resolve());
      else resolve();
    }),
  };
}

export async function run(args: string[]): Promise<number> {
  return replay(args, processIO());
}

const splitList = (values: string[] | undefined): string[] => (values ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');

function listTable(metadata: SignatureMetadata[]): string {
  const rows = metadata.map((m) => `${m.ID.padEnd(10)} ${m.Name.padEnd(35)} ${m.Version.padEnd(7)} ${m.Description}\n`);
  return `${'ID'.padEnd(10)} ${'NAME'.padEnd(35)} VERSION ${'DESCRIPTION'}\n${rows.join('')}`;
}

type Renderer = { render: (finding: Finding) => string } | { error: string };

/**
 * `--json`, or `-o json_output=…` parsed by the daemon's config code so values read the same for
 * `run` and `replay`; other config keys steer the daemon and are refused here rather than ignored.
 */
function jsonOutput(flag: boolean | undefined, overrides: readonly string[], io: ReplayIO): boolean | undefined {
  const other = overrides.find((o) => o.slice(0, o.indexOf('=')) !== 'json_output');
  if (other !== undefined) {
    io.err(`vigil replay: -o ${other}: replay takes only json_output; the other settings are vigil run's\n`);
    return undefined;
  }
  try {
    return applyOverrides(defaultConfig(), overrides).json_output || flag === true;
  } catch (e) {
    io.err(`vigil replay: ${(e as Error).message}\n`);
    return undefined;
  }
}

/** The default detection block, `--json`, or the `--output-template` file (parsed now, so errors stop the start). */
function chooseRenderer(values: { json?: boolean; 'output-template'?: string }): Renderer {
  const path = values['output-template'];
  if (path === undefined) return { render: values.json ? renderFindingJson : (f) => renderDetection(f) };
  try {
    return { render: compileOutputTemplate(basename(path), readFileSync(path, 'utf8')) };
  } catch (e) {
    return { error: `error preparing output template: ${(e as Error).message}` };
  }
}

type EventSource = AsyncIterable<TraceeInputItem>;

/** Where events come from: Tracee JSON lines (`--input-tracee`); `--scap` captures take their own path (replay-scap.ts). */
function selectEventSource(values: { 'input-tracee'?: string[] }, maxLineBytes: number, io: ReplayIO): EventSource | { help: true } | { error: string } {
  const input = parseTraceeInput(splitList(values['input-tracee']));
  if ('error' in input || 'help' in input) return input;
  return readTraceeJson(openTraceeInput(input, io.stdin), maxLineBytes);
}

export async function replay(args: string[], io: ReplayIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'rules-dir': { type: 'string' },
        rules: { type: 'string', multiple: true },
        list: { type: 'boolean' },
        'list-events': { type: 'boolean' },
        'input-tracee': { type: 'string', multiple: true },
        'output-template': { type: 'string' },
        json: { type: 'boolean' },
        option: { type: 'string', short: 'o', multiple: true },
        'max-line-bytes': { type: 'string' },
        scap: { type: 'string' },
        'falco-rules': { type: 'string', short: 'r', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    io.err(`vigil replay: ${(e as Error).message}\n\n${USAGE}`);
    return 1;
  }
  if (values.help) { io.out(USAGE); return 0; }
  if (args.length === 0) { io.err(`${USAGE}\nvigil replay: no flags specified\n`); return 1; }
  const json = jsonOutput(values.json, values.option ?? [], io);
  if (json === undefined) return 1;
  values.json = json;
  if (values.scap !== undefined) {
    return replayScapFile({ file: values.scap, rulesPaths: values['falco-rules'] ?? [], rulesDir: values['rules-dir'] ?? '', json }, io);
  }
  if (values['falco-rules'] !== undefined) { io.err('vigil replay: -r is for --scap replays; Tracee replays take --rules-dir\n'); return 1; }
  const maxLineBytes = values['max-line-bytes'] === undefined ? DEFAULT_MAX_LINE_BYTES : Number(values['max-line-bytes']);
  if (!Number.isInteger(maxLineBytes) || maxLineBytes <= 0) { io.err(`vigil replay: invalid --max-line-bytes: ${values['max-line-bytes']}\n`); return 1; }

  const loaded = await loadSignatures({ rulesDir: values['rules-dir'], ruleIds: splitList(values.rules) });
  for (const problem of loaded.problems) io.err(`vigil replay: ${problem}\n`);

  const render = chooseRenderer(values);
  if ('error' in render) { io.err(`vigil replay: ${render.error}\n`); return 1; }
  let findingCount = 0;
  const signatureErrors = new Map<string, number>();
  let currentLine = 0;
  const engine = new SignatureEngine(loaded.signatures, {
    onFinding: (finding) => {
      // A finding without an event (reported from onSignal) has nothing to print, as upstream.
      if (finding.Event === null) return;
      findingCount++;
      try {
        io.out(render.render(finding));
      } catch (e) {
        io.err(`vigil replay: error writing to output: ${(e as Error).message}\n`);
      }
    },
    onError: (report: SignatureErrorReport) => {
      signatureErrors.set(report.signature, report.count);
      if (report.count <= ERRORS_SHOWN_PER_SIGNATURE) {
        const message = report.error instanceof Error ? report.error.message : String(report.error);
        io.err(`vigil replay: signature ${report.signature}: ${report.phase}: ${message}${report.phase === 'onEvent' ? ` (event line ${currentLine})` : ''}\n`);
      }
    },
  });

  if (values['list-events']) {
    const names = [...new Set(engine.selectedEvents().map((s) => s.Name || '*'))].sort();
    io.out(`${names.join(',')}\n`);
    return 0;
  }
  const ids = engine.signatures().map((m) => m.ID);
  if (values.list) {
    io.out(`Loaded ${ids.length} signature(s): [${ids.join(' ')}]\n${listTable(engine.signatures())}`);
    return 0;
  }
  const source = selectEventSource(values, maxLineBytes, io);
  if ('help' in source) { io.out(TRACEE_INPUT_HELP); return 0; }
  if ('error' in source) { io.err(`vigil replay: ${source.error}\n`); return 1; }
  io.err(`Loaded ${ids.length} signature(s): [${ids.join(' ')}]\n`);

  let badLines = 0;
  let warnings = 0;
  try {
    for await (const item of source) {
      currentLine = item.line;
      if ('error' in item) {
        badLines++;
        io.err(`vigil replay: line ${item.line}: ${item.error}\n`);
        continue;
      }
      warnings += item.warnings.length;
      engine.dispatch(item.event);
    }
  } catch (e) {
    io.err(`vigil replay: reading input: ${(e as Error).message}\n`);
  }
  engine.complete();
  await io.flush();
  const stats = engine.stats();
  const errorCount = [...signatureErrors.values()].reduce((a, b) => a + b, 0);
  io.err(`vigil replay: ${stats.events} events, ${findingCount} detections, ${badLines} bad lines, ${warnings} argument warnings, ${errorCount} signature errors${
    errorCount > 0 ? ` (${[...signatureErrors].map(([id, n]) => `${id}: ${n}`).join(', ')})` : ''}\n`);
  return 0;
}
