/**
 * `vigil trace`: live kernel events as Tracee JSON lines, as `tracee-ebpf --output json
 * --output option:parse-arguments` prints them, so `vigil trace | vigil replay --input-tracee file:stdin`
 * works as tracee-ebpf piped into tracee-rules does.
 *
 *   vigil trace [--events NAME,…] [--container] [--comm NAME,…] [--count N] [--envp-max BYTES] [--argv-max BYTES]
 *
 * --events takes Tracee event names (execve, security_file_open, sched_process_exec, …) or vigil's;
 * only the vigil events that produce them are switched on in the kernel. Drop counters go to stderr
 * at the end. Runs until SIGINT/SIGTERM, --count events, or a closed stdout.
 */
import { parseArgs } from 'node:util';
import { decodeRecord } from '../../events/decode.js';
import { EVENTS, eventByName } from '../../events/event-table.js';
import { encodeTraceeJson } from '../../events/tracee-json.js';
import { TraceeView } from '../../events/tracee-view.js';
import { Sensor, SensorStartError, ShardReader } from '../../sensor/index.js';

const USAGE = `usage: vigil trace [options]

  --events NAME,…      Tracee or vigil event names to print (default: all)
  --container          only events of containerised processes
  --comm NAME,…        only events of processes with these names (like tracee-ebpf's comm= filter)
  --count N            stop after N events
  --argv-max BYTES     argv bytes kept per exec (default 4096)
  --envp-max BYTES     environment bytes kept per exec (default 0: none)
  --output json        accepted for tracee-ebpf compatibility (JSON lines are the only format)
`;

/** Tracee events vigil derives from its own (src/events/tracee-view.ts), by the vigil events behind them. */
const DERIVED: Record<string, readonly string[]> = {
  sched_process_exec: ['execve', 'execveat'],
  security_bprm_check: ['execve', 'execveat'],
  sched_process_exit: ['procexit'],
  security_file_open: ['open', 'openat', 'openat2', 'creat'],
  security_socket_connect: ['connect'],
  security_sb_mount: ['mount'],
  security_kernel_read_file: ['finit_module'],
  mem_prot_alert: ['mmap', 'mprotect'],
};

export interface TraceIO {
  out(text: string): boolean;
  err(text: string): void;
  /** Resolves when the command should stop (signal, closed output). */
  stopped: Promise<void>;
}

function processIO(): TraceIO {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.on('error', stop); // EPIPE: the reader went away
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), stopped };
}

/** The vigil events to switch on for the requested names; throws on a name nobody produces. */
export function kernelEventsFor(names: readonly string[] | undefined): string[] {
  if (!names) return EVENTS.map((e) => e.name);
  const out = new Set<string>();
  for (const name of names) {
    const own = eventByName(name) ? [name] : DERIVED[name];
    if (!own) throw new Error(`unknown event '${name}'`);
    own.forEach((e) => out.add(e));
  }
  return [...out];
}

export async function run(args: string[], io: TraceIO = processIO()): Promise<number> {
  let opts;
  try {
    opts = parseArgs({
      args,
      options: {
        events: { type: 'string', multiple: true },
        container: { type: 'boolean', default: false },
        comm: { type: 'string', multiple: true },
        count: { type: 'string' },
        'argv-max': { type: 'string' },
        'envp-max': { type: 'string' },
        output: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    io.err(`vigil trace: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    io.out(USAGE);
    return 0;
  }
  const wanted = opts.events?.flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean);
  let kernelEvents: string[];
  try {
    kernelEvents = kernelEventsFor(wanted);
  } catch (err) {
    io.err(`vigil trace: ${(err as Error).message}\n`);
    return 2;
  }
  const limit = opts.count === undefined ? Infinity : Number(opts.count);
  const sensor = new Sensor({
    events: kernelEvents,
    argvMax: opts['argv-max'] === undefined ? 4096 : Number(opts['argv-max']),
    envpMax: opts['envp-max'] === undefined ? 0 : Number(opts['envp-max']),
    onNotice: (kind, message) => io.err(`vigil trace: sensor ${kind}: ${message}\n`),
  });
  let rings: SharedArrayBuffer[];
  try {
    rings = sensor.start();
  } catch (err) {
    io.err(`vigil trace: ${err instanceof SensorStartError ? `${err.code}: ` : ''}${(err as Error).message}\n`);
    return 1;
  }

  const view = new TraceeView();
  const names = wanted ? new Set(wanted) : undefined;
  const comms = opts.comm ? new Set(opts.comm.flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean)) : undefined;
  const readers = rings.map((sab) => new ShardReader(sab));
  let printed = 0;
  let undecodable = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const drain = () => {
    for (const reader of readers) {
      reader.drain((bytes, offset) => {
        if (printed >= limit) return;
        const r = decodeRecord(bytes, offset);
        if (!r.ok) {
          undecodable++;
          return;
        }
        for (const te of view.toTracee(r.event)) {
          if ((names && !names.has(te.eventName)) || (opts.container && te.containerId === '') || (comms && !comms.has(te.processName)) || printed >= limit) continue;
          io.out(`${encodeTraceeJson(te)}\n`);
          printed++;
        }
      });
    }
    if (printed >= limit) done();
  };
  const timer = setInterval(drain, 20);
  await Promise.race([io.stopped, finished]);
  clearInterval(timer);
  sensor.stop();
  drain();
  const s = sensor.stats();
  if (s && (s.kernelDrops || s.shardDrops.some(Boolean) || undecodable)) {
    io.err(`vigil trace: lost ${s.kernelDrops} in the kernel ring, ${s.shardDrops.reduce((a, b) => a + b, 0)} in the shard ring, ${undecodable} undecodable\n`);
  }
  return 0;
}
