/**
 * @module vigil CLI: `vigil <command> [options]`. Each command lives in commands/<name>.ts and is
 * loaded only when asked for, so `vigil validate` never loads the sensor or the HTTP server.
 */
import { VERSION } from '../version.js';

type CommandModule = { run(args: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  run: { summary: 'run the daemon: sensor or replay, rule engines, API', load: () => import('./commands/run.js') },
  validate: { summary: 'load Falco rules files and print the load report', load: () => import('./commands/validate.js') },
  'list-fields': { summary: 'list the Falco fields vigil knows (--json for JSON)', load: () => import('./commands/list-fields.js') },
  replay: { summary: 'run recorded events (Tracee JSON, .scap) through the rule engines', load: () => import('./commands/replay.js') },
  capture: { summary: 'record live events to a .scap capture (-w FILE.scap)', load: () => import('./commands/capture.js') },
  trace: { summary: 'print live kernel events as Tracee JSON lines', load: () => import('./commands/trace.js') },
  'test-rego': { summary: 'run the test_* rules of Rego files, as `opa test` does', load: () => import('./commands/test-rego.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `vigil ${VERSION}: Linux runtime security with Falco rules and Tracee signatures\n\nusage: vigil <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`vigil: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}
