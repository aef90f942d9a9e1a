import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { run, kernelEventsFor, type TraceIO } from '../../src/cli/commands/trace.js';
import { decodeTraceeJson } from '../../src/events/tracee-json.js';
import { fixtures, requireLiveSensor } from '../native/capture.js';

function io(): TraceIO & { lines: string[]; errors: string[]; stop: () => void } {
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, stop, stopped, out: (t) => (lines.push(...t.split('\n').filter(Boolean)), true), err: (t) => void errors.push(t) };
}

test('--events takes Tracee names and switches on the vigil events behind them', () => {
  assert.deepEqual(kernelEventsFor(['sched_process_exec', 'openat']).sort(), ['execve', 'execveat', 'openat']);
  assert.throws(() => kernelEventsFor(['no_such_event']), /unknown event 'no_such_event'/);
});

test('an unknown event name is a usage error', async () => {
  const out = io();
  assert.equal(await run(['--events', 'bogus'], out), 2);
  assert.match(out.errors.join(''), /unknown event 'bogus'/);
});

test('prints live events as Tracee JSON lines that tracee input decoding accepts', async (t) => {
  if (!requireLiveSensor(t)) return;
  const out = io();
  let pid = 0;
  const running = run(['--events', 'execve,sched_process_exec', '--output', 'json'], out);
  await new Promise((r) => setTimeout(r, 1500)); // the sensor loads and attaches
  pid = spawnSync('/bin/true', ['traced']).pid!;
  await new Promise((r) => setTimeout(r, 200));
  out.stop();
  assert.equal(await running, 0, out.errors.join(''));
  const ours = out.lines.map((l) => JSON.parse(l)).filter((e) => e.hostProcessId === pid);
  assert.deepEqual(ours.map((e) => e.eventName), ['execve', 'sched_process_exec']);
  const exec = ours[0];
  assert.equal(exec.processName, 'true');
  assert.equal(exec.containerId, '');
  assert.deepEqual(exec.args.find((a: { name: string }) => a.name === 'argv').value, ['/bin/true', 'traced']);
  for (const line of out.lines) assert.ok(decodeTraceeJson(line).ok, line);
});

test('--container keeps only containerised processes', async (t) => {
  if (!requireLiveSensor(t)) return;
  const out = io();
  const running = run(['--events', 'execve', '--container'], out);
  await new Promise((r) => setTimeout(r, 1500));
  spawnSync('/bin/true');
  await new Promise((r) => setTimeout(r, 200));
  out.stop();
  assert.equal(await running, 0);
  for (const line of out.lines) assert.notEqual(JSON.parse(line).containerId, '');
});

test('vigil trace | vigil replay --input-tracee file:stdin finds what tracee-ebpf | tracee-rules finds', async (t) => {
  if (!requireLiveSensor(t)) return;
  const cli = (args: string) => `${process.execPath} --import tsx -e "import('./src/cli/index.ts').then((m) => m.main(process.argv.slice(1))).then((c) => process.exit(c))" ${args}`;
  const pipeline = spawn('bash', ['-c', `${cli('trace --events ptrace --comm ptrace_traceme --count 1')} | ${cli('replay --input-tracee file:stdin --input-tracee format:json')}`], {
    cwd: new URL('../../', import.meta.url).pathname,
  });
  let out = '';
  pipeline.stdout.on('data', (d) => (out += d));
  pipeline.stderr.on('data', (d) => (out += d));
  const done = new Promise<number | null>((resolve) => pipeline.on('exit', resolve));
  const tracer = fixtures()['ptrace_traceme']!;
  // until the tracer is attached its ptrace calls go unseen: repeat until the pipeline has its one event
  while (pipeline.exitCode === null && !out.includes('Detection')) {
    spawnSync(tracer);
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(await done, 0, out);
  assert.match(out, /Signature ID: TRC-2/);
  assert.match(out, /Command: ptrace_traceme/);
});
