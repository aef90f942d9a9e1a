/**
 * The compiled Rego engine on Tracee-shaped events (tinybench): µs per event for the match query of a
 * TRC-2-style signature (one body, args iteration) and a TRC-3-style one (three bodies, helper
 * functions, regex, an object result), through the public `evaluate` API. Signatures written by us.
 * Run: node --import tsx bench/rego/rego.bench.ts
 */
import { loadavg } from 'node:os';
import { Bench } from 'tinybench';
import { compileRego } from '../../src/rego/index.js';

const HELPERS = `package tracee.helpers
get_tracee_argument(arg_name) = res {
  arg := input.args[_]
  arg.name == arg_name
  res := arg.value
}
default is_file_write(flags) = false
is_file_write(flags) { contains(lower(flags), "o_wronly") }
is_file_write(flags) { contains(lower(flags), "o_rdwr") }
`;

const TRC2 = `package tracee.TRC_2
tracee_match {
  input.eventName == "ptrace"
  arg := input.args[_]
  arg.name == "request"
  arg.value == "PTRACE_TRACEME"
}
`;

const TRC3 = `package tracee.TRC_3
import data.tracee.helpers
tracee_match {
  input.eventName == "ptrace"
  request := helpers.get_tracee_argument("request")
  injection_requests := {"PTRACE_POKETEXT", "PTRACE_POKEDATA"}
  injection_requests[request]
}
tracee_match = res {
  input.eventName == "security_file_open"
  flags := helpers.get_tracee_argument("flags")
  helpers.is_file_write(flags)
  pathname := helpers.get_tracee_argument("pathname")
  regex.match(\`/proc/(?:\\d.+|self)/mem\`, pathname)
  res := {"file flags": flags, "file path": pathname}
}
tracee_match {
  input.eventName == "process_vm_writev"
  dst_pid := helpers.get_tracee_argument("pid")
  dst_pid != input.processId
}
`;

function event(eventName: string, args: [string, string, unknown][], pid = 100): Record<string, unknown> {
  return {
    timestamp: 1700000000000000000, processorId: 1, processId: pid, threadId: pid, parentProcessId: 1, hostProcessId: pid,
    hostThreadId: pid, hostParentProcessId: 1, userId: 0, mountNamespace: 4026531840, pidNamespace: 4026531836,
    processName: 'bash', hostName: 'host', containerId: '', eventId: '101', eventName, argsNum: args.length, returnValue: 0,
    stackAddresses: null, args: args.map(([name, type, value]) => ({ name, type, value })),
  };
}

const ptrace = (req: string): Record<string, unknown> =>
  event('ptrace', [['request', 'string', req], ['pid', 'pid_t', 200], ['addr', 'void*', '0x0'], ['data', 'void*', '0x0']]);
const open = (path: string, flags: string): Record<string, unknown> =>
  event('security_file_open', [['pathname', 'const char*', path], ['flags', 'string', flags], ['dev', 'dev_t', 2049], ['inode', 'unsigned long', 7], ['ctime', 'unsigned long', 1], ['syscall', 'string', 'openat']]);

/** Mostly non-matching events, as in real traffic, plus a few detections. */
const EVENTS = [
  ptrace('PTRACE_PEEKDATA'), ptrace('PTRACE_TRACEME'), ptrace('PTRACE_POKETEXT'),
  open('/etc/passwd', 'O_RDONLY|O_CLOEXEC'), open('/proc/self/mem', 'O_RDWR'), open('/proc/1234/mem', 'O_RDONLY'),
  open('/home/u/notes.txt', 'O_WRONLY|O_CREAT|O_TRUNC'),
  event('process_vm_writev', [['pid', 'pid_t', 300], ['flags', 'unsigned long', 0]]),
  event('execve', [['pathname', 'const char*', '/bin/ls'], ['argv', 'const char*const*', ['ls']]]),
  event('close', [['fd', 'int', 3]]),
];

const { program, diagnostics } = compileRego([
  { name: 'helpers.rego', text: HELPERS },
  { name: 'trc2.rego', text: TRC2 },
  { name: 'trc3.rego', text: TRC3 },
]);
if (!program) throw new Error(diagnostics.map((d) => d.message).join('\n'));

let matches = 0;
const perEvent = (ref: string, events: Record<string, unknown>[]) => () => {
  for (let i = 0; i < events.length; i++) if (program.evaluate(ref, events[i]) !== undefined) matches++;
};
const ptraceOnly = EVENTS.filter((e) => e.eventName === 'ptrace');
/** What signatures run per event: the query prepared once (no lookup of the ref per call). */
const prepared = (ref: string, events: Record<string, unknown>[]) => {
  const query = program.prepare(ref);
  return () => {
    for (let i = 0; i < events.length; i++) if (query(events[i]) !== undefined) matches++;
  };
};
const TASKS: [string, string, Record<string, unknown>[]][] = [
  ['TRC-2 style, ptrace events only', 'data.tracee.TRC_2.tracee_match', ptraceOnly],
  ['TRC-2 style, mixed corpus', 'data.tracee.TRC_2.tracee_match', EVENTS],
  ['TRC-3 style (3 bodies, helpers, regex), mixed corpus', 'data.tracee.TRC_3.tracee_match', EVENTS],
];

const bench = new Bench({ time: 1000, warmupTime: 200 });
for (const [name, ref, events] of TASKS) bench.add(name, perEvent(ref, events));
TASKS.push(['  TRC-3 style, mixed corpus, prepared query', 'data.tracee.TRC_3.tracee_match', EVENTS]);
bench.add(TASKS[TASKS.length - 1]![0], prepared('data.tracee.TRC_3.tracee_match', EVENTS));
// The TRC-2 logic written by hand: the floor the compiled code is measured against; it also shows
// how loaded the (shared) machine was during the run.
TASKS.push(['  same as TRC-2 on mixed corpus, hand-written JS', '', EVENTS]);
bench.add(TASKS[TASKS.length - 1]![0], () => {
  for (let i = 0; i < EVENTS.length; i++) {
    const e = EVENTS[i]! as { eventName?: unknown; args?: unknown };
    if (e.eventName !== 'ptrace' || !Array.isArray(e.args)) continue;
    for (const a of e.args as { name?: unknown; value?: unknown }[]) if (a.name === 'request' && a.value === 'PTRACE_TRACEME') matches++;
  }
});
const loadBefore = loadavg()[0]!;
await bench.run();
console.log(`load average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
console.table(
  bench.tasks.map((t, i) => {
    const r = t.result as { latency?: { mean: number } } | undefined;
    const n = TASKS[i]![2].length;
    const ms = r?.latency?.mean ?? NaN;
    return { task: t.name, events: n, 'µs/event': ((ms * 1000) / n).toFixed(3), 'events/s (M)': (n / ms / 1000).toFixed(2) };
  }),
);
console.log(`(matches counted: ${matches})`);
