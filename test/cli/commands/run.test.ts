/**
 * `vigil run` as users start it, a real process: the built-in rules and signatures over a replayed
 * Tracee JSON file, JSON alert lines on stdout, the API on a loopback port (address and generated
 * token printed on stderr), and a SIGTERM that drains, flushes and exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = new URL('../../../src/cli/index.ts', import.meta.url).pathname;

function traceeLine(seq: number, eventName: string, processName: string, args: { name: string; type: string; value: unknown }[]): string {
  return JSON.stringify({
    timestamp: 1_700_000_000_000_000_000 + seq, processorId: 0, processId: 4000 + seq, threadId: 4000 + seq, parentProcessId: 1,
    hostProcessId: 4000 + seq, hostThreadId: 4000 + seq, hostParentProcessId: 1, userId: 0, mountNamespace: 1, pidNamespace: 1,
    processName, hostName: 'h', containerId: '', eventId: '0', eventName, argsNum: args.length, returnValue: eventName === 'openat' ? 3 : 0,
    stackAddresses: null, args,
  });
}

test('vigil run replays with the built-in rules, serves the API and stops cleanly on SIGTERM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-run-'));
  const input = join(dir, 'events.json');
  await writeFile(
    input,
    [
      traceeLine(1, 'ptrace', 'strace', [{ name: 'request', type: 'long', value: 'PTRACE_TRACEME' }, { name: 'pid', type: 'pid_t', value: 0 }]),
      traceeLine(2, 'openat', 'cat', [
        { name: 'dirfd', type: 'int', value: -100 }, { name: 'pathname', type: 'const char*', value: '/etc/shadow' },
        { name: 'flags', type: 'string', value: 'O_RDONLY' }, { name: 'mode', type: 'mode_t', value: 0 },
      ]),
      'this line is not JSON',
      traceeLine(3, 'openat', 'vi', [
        { name: 'dirfd', type: 'int', value: -100 }, { name: 'pathname', type: 'const char*', value: '/etc/hosts' },
        { name: 'flags', type: 'string', value: 'O_WRONLY|O_CREAT' }, { name: 'mode', type: 'mode_t', value: 420 },
      ]),
    ].join('\n') + '\n',
  );
  const main = `const cli = await import(${JSON.stringify(CLI)}); process.exitCode = await cli.main(process.argv.slice(1));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', main, 'run', '--input-tracee', `file:${input}`, '--json', '--listen', '127.0.0.1:0', '--workers', '2', '-o', `state.proc_root=${join(dir, 'none')}`], {
    env: { ...process.env, VIGIL_API_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    // The token is logged on the line after the listening address; wait for both lines.
    while (!/API token \(generated, shown once\): \S+\n/.test(stderr)) {
      assert.equal(child.exitCode, null, `vigil run exited early: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /API listening on (\S+)/.exec(stderr)![1]!;
    const token = /API token \(generated, shown once\): (\S+)/.exec(stderr)![1]!;
    let stats: { events: { evaluated: number }; replay: { badLines: number; done: boolean } };
    do {
      await new Promise((r) => setTimeout(r, 100));
      stats = (await (await fetch(`${url}/stats`)).json()) as typeof stats;
    } while (stats.events.evaluated < 3);
    assert.equal(stats.replay.badLines, 1);
    assert.match(stderr, /replay line 3: /);
    assert.equal((await fetch(`${url}/rules/reload`, { method: 'POST' })).status, 401);
    assert.equal((await fetch(`${url}/rules/reload`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status, 200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /vigil_events_total\{shard="0"\} \d+/);
    assert.match(metrics, /vigil_alerts_total\{rule="PTRACE anti-debug"\} 1/);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
  const alerts = stdout.trim().split('\n').map((l) => JSON.parse(l) as { rule: string; priority: string; source: string });
  const rules = alerts.map((a) => a.rule).sort();
  assert.deepEqual(rules, ['Anti-Debugging', 'PTRACE anti-debug', 'Read sensitive file', 'Write below etc']);
  assert.equal(alerts.find((a) => a.rule === 'Anti-Debugging')?.source, 'tracee');
});
