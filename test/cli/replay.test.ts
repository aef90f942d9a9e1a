import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { replay } from '../../src/cli/commands/replay.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/signatures');
const EVENTS = join(FIXTURES, 'events.jsonl');
const RULES = join(FIXTURES, 'rules');
const ROOT = join(import.meta.dirname, '../..');

async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await replay(args, { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: Readable.from([Buffer.from(stdin)]), flush: async () => {} });
  return { code, out, err };
}

const blocks = (out: string) => out.split('\n*** Detection ***\n').slice(1);

describe('vigil replay', () => {
  it('prints detections of the default signatures, reports bad lines and keeps going', async () => {
    const { code, out, err } = await run(['--input-tracee', `file:${EVENTS}`, '--input-tracee', 'format:json']);
    assert.equal(code, 0);
    const found = blocks(out);
    assert.ok(found.some((b) => b.includes('Signature ID: TRC-1\n') && b.includes('Data: map[fd:0 ip:10.0.0.1 port:4444]') && b.includes('Command: nc\n')));
    assert.match(err, /line 2: invalid json/);
    assert.match(err, /line 4: invalid json in line: eventId: 3 is not a quoted integer/);
    assert.match(err, /2 bad lines, 1 argument warnings, 0 signature errors/);
    assert.ok(found.some((b) => b.includes('Signature ID: TRC-2\n')), 'the ptrace line after the bad ones is still seen');
  });

  it('runs JS signatures from a rules directory; a throwing one is counted and does not stop the others', async () => {
    const { code, out, err } = await run(['--rules-dir', RULES, '--input-tracee', `file:${EVENTS},format:json`, '--json']);
    assert.equal(code, 0);
    const findings = out.trim().split('\n').map((l) => JSON.parse(l));
    const ids = findings.map((f) => f.SigMetadata.ID);
    assert.ok(ids.includes('JS-1') && ids.includes('JS-2'), ids.join(','));
    assert.equal(findings.find((f) => f.SigMetadata.ID === 'JS-1').Data.fd, 99);
    assert.ok(!ids.includes('JS-THROW'));
    assert.match(err, /signature JS-THROW: onEvent: cannot handle security_socket_connect \(event line 1\)/);
    assert.match(err, /signature errors \(JS-THROW: 6\)/);
    assert.match(err, /c_not_a_signature\.mjs: export #1 is not a signature/);
    assert.ok(ids.includes('CUSTOM-1'), 'Rego signature with an extra helper module');
  });

  it('-o json_output=true prints JSON findings as --json does; other -o keys are refused', async () => {
    const flag = await run(['--input-tracee', `file:${EVENTS},format:json`, '--json']);
    const option = await run(['--input-tracee', `file:${EVENTS},format:json`, '-o', 'json_output=true']);
    assert.equal(option.code, 0);
    assert.equal(option.out, flag.out);
    assert.ok(option.out.trim().split('\n').every((l) => typeof JSON.parse(l).SigMetadata.ID === 'string'));
    const off = await run(['--input-tracee', `file:${EVENTS},format:json`, '-o', 'json_output=false']);
    assert.ok(off.out.includes('*** Detection ***'));
    const other = await run(['--input-tracee', `file:${EVENTS},format:json`, '-o', 'priority=error']);
    assert.equal(other.code, 1);
    assert.match(other.err, /-o priority=error: replay takes only json_output/);
    const bad = await run(['--input-tracee', `file:${EVENTS},format:json`, '-o', 'json_output=maybe']);
    assert.equal(bad.code, 1);
  });

  it('keeps only --rules IDs, given repeated or comma-separated', async () => {
    const { out } = await run(['--rules-dir', RULES, '--rules', 'JS-2', '--list']);
    assert.match(out, /^Loaded 1 signature\(s\): \[JS-2\]\n/);
    const both = await run(['--rules-dir', RULES, '--rules', 'JS-2,JS-1', '--list']);
    assert.match(both.out, /^Loaded 2 signature\(s\): \[JS-1 JS-2\]\n/);
  });

  it('lists signatures as a table and selected events as one line', async () => {
    const { code, out } = await run(['--list']);
    assert.equal(code, 0);
    const lines = out.split('\n');
    assert.match(lines[0]!, /^Loaded \d+ signature\(s\): \[TRC-1 TRC-13/);
    assert.equal(lines[1], `${'ID'.padEnd(10)} ${'NAME'.padEnd(35)} VERSION DESCRIPTION`);
    assert.equal(lines[2]!.slice(0, 54), `${'TRC-1'.padEnd(10)} ${'Standard Input/Output Over Socket'.padEnd(35)} 0.1.0  `);
    const events = await run(['--list-events']);
    const expected = 'close,dup,dup2,dup3,execve,init_module,magic_write,mem_prot_alert,process_vm_writev,ptrace,sched_process_exec,sched_process_exit,security_bprm_check,security_file_open,security_kernel_read_file,security_sb_mount,security_socket_connect';
    assert.equal(events.out, `${expected}\n`);
  });

  it('reads stdin and renders --output-template', async () => {
    const template = join(tmpdir(), `vigil-replay-${process.pid}.tmpl`);
    writeFileSync(template, '{{ .SigMetadata.ID }} {{ .Event.Payload.ProcessName }} {{ .Context.HostName }} {{ .Data.ip }}\n');
    const line = '{"processId":5,"hostProcessId":5,"processName":"sh","hostName":"box","eventId":"1022","eventName":"security_socket_connect","args":[{"name":"sockfd","type":"int","value":1},{"name":"remote_addr","type":"struct sockaddr*","value":{"sa_family":"AF_INET","sin_port":"80","sin_addr":"1.2.3.4"}}]}\n';
    const { code, out } = await run(['--rules', 'TRC-1', '--input-tracee', 'file:stdin', '--input-tracee', 'format:json', '--output-template', template], line);
    assert.equal(code, 0);
    assert.equal(out, 'TRC-1 sh box 1.2.3.4\n');
  });

  it('normalises decoded events for Rego: any key case, zero values, quoted eventId, typed args, sockaddr maps', async () => {
    const rules = mkdtempSync(join(tmpdir(), 'vigil-replay-rego-'));
    writeFileSync(join(rules, 'shape.rego'), `package tracee.SHAPE
import data.tracee.helpers
__rego_metadoc__ := {"id": "SHAPE-1", "name": "input shape"}
tracee_selected_events[s] { s := {"source": "tracee", "name": "security_socket_connect"} }
tracee_match = {"keys": count(input), "eventId": input.eventId, "containerId": input.containerId, "stack": input.stackAddresses,
  "fd": fd, "port": addr.sin_port, "family": addr.sa_family} {
  input.processName == "curl"
  fd := helpers.get_tracee_argument("sockfd")
  addr := helpers.get_tracee_argument("remote_addr")
}
`);
    const line = '{"PROCESSNAME":"curl","eventid":"1022","EventName":"security_socket_connect","unknownKey":1,"args":[{"NAME":"sockfd","Type":"int","value":3},{"name":"remote_addr","type":"struct sockaddr*","value":{"sa_family":"AF_INET","sin_port":"443","sin_addr":"1.2.3.4"}}]}\n';
    const { code, out } = await run(['--rules-dir', rules, '--input-tracee', 'file:stdin', '--input-tracee', 'format:json', '--json'], line);
    assert.equal(code, 0);
    const finding = JSON.parse(out.trim()) as { Data: Record<string, unknown> };
    assert.deepEqual(finding.Data, { keys: 20, eventId: '1022', containerId: '', stack: null, fd: 3, port: '443', family: 'AF_INET' });
  });

  it('rejects bad flags, missing input and broken templates with status 1', async () => {
    assert.equal((await run([])).code, 1);
    assert.match((await run(['--bogus'])).err, /Unknown option '--bogus'/);
    assert.match((await run(['--rules', 'TRC-1'])).err, /no tracee input options specified/);
    assert.match((await run(['--input-tracee', 'file:stdin,format:gob'])).err, /gob is not supported/);
    const help = await run(['--input-tracee', 'help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /file:stdin/);
    const template = join(tmpdir(), `vigil-replay-bad-${process.pid}.tmpl`);
    writeFileSync(template, '{{ if .Data }}');
    const bad = await run(['--input-tracee', 'file:stdin,format:json', '--output-template', template]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /error preparing output template: vigil-replay-bad-\d+\.tmpl: unexpected EOF/);
  });

  it('runs as the real CLI process and exits 0 at end of input after flushing', () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      `{"processId":${i},"hostProcessId":${i},"processName":"sh","eventId":"1022","eventName":"security_socket_connect","args":[{"name":"sockfd","type":"int","value":0},{"name":"remote_addr","type":"struct sockaddr*","value":{"sa_family":"AF_INET","sin_port":"1","sin_addr":"1.1.1.1"}}]}`);
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/cli/index.ts').then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })",
      'replay', '--rules', 'TRC-1', '--input-tracee', 'file:stdin', '--input-tracee', 'format:json'], { cwd: ROOT, input: `${lines.join('\n')}\nbad line\n`, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(blocks(result.stdout).length, 2000, 'every finding is written before exit');
    assert.match(result.stderr, /line 2001: invalid json/);
    assert.match(result.stderr, /2000 events, 2000 detections, 1 bad lines/);
  });
});
