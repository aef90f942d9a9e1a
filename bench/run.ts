/**
 * `npm run bench` — the benchmarks by name. Without a name it lists them; with names it runs each
 * in its own node process (so one bench's JIT and heap do not colour the next), passing on any
 * arguments after `--`. What each measures and the recorded figures are in bench/README.md.
 *
 *   npm run bench                              list
 *   npm run bench -- falco-ruleset scap       run these, one after the other
 *   npm run bench -- scap -- host 2000 5      run one with its own arguments
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Bench {
  file: string;
  what: string;
  needs?: string;
}

const BENCHES: Record<string, Bench> = {
  'falco-condition': { file: 'falco/condition.bench.ts', what: 'compiled Falco conditions alone, ns per event' },
  'falco-ruleset': { file: 'falco/ruleset.bench.ts', what: 'state tables + stable-style Falco rules on one thread, events/s' },
  signatures: { file: 'signatures/signatures.bench.ts', what: 'Tracee signatures per signature and whole engine, µs per event' },
  rego: { file: 'rego/rego.bench.ts', what: 'the Rego compiler and evaluator' },
  state: { file: 'state/state.bench.ts', what: 'process and fd tables' },
  replay: { file: 'pipeline/replay.bench.ts', what: 'shard workers, Tracee JSON replay, alert latency over SSE' },
  scap: { file: 'scap/scap.bench.ts', what: '.scap replay against sysdig 0.29.3, 1 and 2 workers', needs: 'sysdig, from scripts/setup.sh --test' },
  'scap-alloc': { file: 'scap/alloc.bench.ts', what: 'bytes allocated per .scap replay' },
  'scap-cpu': { file: 'scap/cpu.bench.ts', what: '.scap replay by CPU time on one thread' },
  pipeline: { file: 'pipeline/pipeline.bench.ts', what: 'live sensor + addon against a bare libbpf consumer', needs: 'root and the built sensor' },
  live: { file: 'pipeline/live.bench.ts', what: 'the live daemon under a syscall generator', needs: 'root and the built sensor' },
  machine: { file: 'machine/parallel.bench.mjs', what: 'what a second worker thread buys on this machine' },
};

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function list(): void {
  console.log('npm run bench -- NAME… [-- ARGS]\n');
  for (const [name, b] of Object.entries(BENCHES)) console.log(`  ${name.padEnd(16)} ${b.what}${b.needs ? ` (needs ${b.needs})` : ''}`);
}

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const names = split < 0 ? argv : argv.slice(0, split);
const passOn = split < 0 ? [] : argv.slice(split + 1);
const unknown = names.filter((n) => !BENCHES[n]);
if (names.length === 0 || unknown.length > 0) {
  if (unknown.length > 0) console.error(`unknown bench: ${unknown.join(', ')}\n`);
  list();
  process.exitCode = unknown.length > 0 ? 2 : 0;
} else {
  for (const name of names) {
    const file = here(BENCHES[name]!.file);
    if (!existsSync(file)) throw new Error(`bench ${name}: ${file} is missing`);
    console.log(`\n# ${name}: ${BENCHES[name]!.what}`);
    const run = spawnSync(process.execPath, [...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), file, ...passOn], { stdio: 'inherit' });
    if (run.status !== 0) {
      process.exitCode = run.status ?? 1;
      break;
    }
  }
}
