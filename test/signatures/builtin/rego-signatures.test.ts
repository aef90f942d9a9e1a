/**
 * The default Rego signatures, on the real Rego engine: every `*_test.rego` beside them passes (what
 * `vigil test-rego` runs), and each signature, loaded as the engine loads it, matches and does not
 * match whole Tracee events, origin filtering included.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TraceeEvent } from '../../../src/events/tracee-event.js';
import { SignatureEngine } from '../../../src/signatures/engine.js';
import { compileRegoSignature, regoPackageOf } from '../../../src/signatures/rego-signature.js';
import { builtinRulesDir, embeddedHelpers } from '../../../src/signatures/registry.js';
import type { Finding } from '../../../src/signatures/signature.js';
import { inContainer, traceeEvent } from '../../fixtures/tracee-events.js';
import { compileRego } from '../../../src/rego/index.js';

const DIR = builtinRulesDir();
const source = (file: string) => ({ name: join(DIR, file), text: readFileSync(join(DIR, file), 'utf8') });
const testFiles = readdirSync(DIR).filter((f) => f.endsWith('_test.rego')).sort();

describe('default Rego signatures: their _test.rego files', () => {
  for (const testFile of testFiles) {
    it(testFile, () => {
      const signatureFile = testFile.replace(/_test\.rego$/, '.rego');
      const { program, diagnostics } = compileRego([embeddedHelpers(), source(signatureFile), source(testFile)]);
      assert.ok(program, diagnostics.map((d) => d.message).join('\n'));
      const pkg = regoPackageOf(source(testFile).text)!;
      const tests = program.tests().filter((t) => t.includes(pkg + '.') || !t.startsWith('data.'));
      assert.ok(tests.length >= 2, `${testFile}: found tests ${tests.join(', ')}`);
      for (const test of tests) {
        const ref = test.startsWith('data.') ? test : `data.${pkg}.${test}`;
        assert.equal(program.evaluate(ref), true, `${ref} failed`);
      }
    });
  }
});

describe('vigil test-rego on the default signatures', () => {
  it('passes every test of every default signature', () => {
    const cli = "import('./src/cli/index.ts').then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })";
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', cli, 'test-rego', DIR], { cwd: join(import.meta.dirname, '../../..'), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.doesNotMatch(result.stdout, /^FAIL/m);
    const passed = result.stdout.match(/^PASS /gm)?.length ?? 0;
    assert.ok(passed >= testFiles.length * 3, `${passed} tests passed`);
  });
});

function findings(file: string, events: TraceeEvent[]): Finding[] {
  const result = compileRegoSignature(compileRego, source(file), [embeddedHelpers()]);
  assert.ok(result.signature, 'error' in result ? `${result.error}\n${result.diagnostics.map((d) => d.message).join('\n')}` : '');
  const out: Finding[] = [];
  const engine = new SignatureEngine([result.signature], { onFinding: (f) => out.push(f), onError: (r) => assert.fail(String(r.error)) });
  for (const e of events) engine.dispatch(e);
  engine.complete();
  return out;
}

const ev = (name: string, args: Record<string, unknown>, fields: Partial<TraceeEvent> = {}) =>
  traceeEvent(name, Object.fromEntries(Object.entries(args).map(([k, v]) => [k, [typeof v === 'number' ? 'int' : 'string', v]])), fields);
const open = (pathname: string, flags: string, fields: Partial<TraceeEvent> = {}) => ev('security_file_open', { pathname, flags }, fields);

interface Case { file: string; id: string; match: TraceeEvent[]; data?: unknown[]; noMatch: TraceeEvent[] }

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).toString('base64');

const CASES: Case[] = [
  { file: 'anti_debugging.rego', id: 'TRC-2', match: [ev('ptrace', { request: 'PTRACE_TRACEME', pid: 0 })],
    noMatch: [ev('ptrace', { request: 'PTRACE_ATTACH', pid: 9 }), ev('execve', { request: 'PTRACE_TRACEME' })] },
  { file: 'code_injection.rego', id: 'TRC-3',
    match: [ev('ptrace', { request: 'PTRACE_POKETEXT' }), open('/proc/42/mem', 'O_RDWR'), ev('process_vm_writev', { pid: 42 }, { processId: 7 })],
    data: [null, { 'file flags': 'O_RDWR', 'file path': '/proc/42/mem' }, null],
    noMatch: [ev('ptrace', { request: 'PTRACE_PEEKTEXT' }), open('/proc/42/mem', 'O_RDONLY'), ev('process_vm_writev', { pid: 7 }, { processId: 7 })] },
  { file: 'dynamic_code_loading.rego', id: 'TRC-4', match: [ev('mem_prot_alert', { alert: 'Protection changed from W+E to E!' })],
    noMatch: [ev('mem_prot_alert', { alert: 'Protection changed to Executable!' })] },
  { file: 'fileless_execution.rego', id: 'TRC-5',
    match: [ev('sched_process_exec', { pathname: 'memfd:x' }), inContainer(ev('sched_process_exec', { pathname: 'memfd:runc' })), ev('sched_process_exec', { pathname: '/dev/shm/a' })],
    noMatch: [ev('sched_process_exec', { pathname: 'memfd:runc_cloned' }), ev('sched_process_exec', { pathname: '/bin/ls' })] },
  { file: 'kernel_module_loading.rego', id: 'TRC-6',
    match: [ev('init_module', { len: 10 }), ev('security_kernel_read_file', { pathname: '/m.ko', type: 'kernel-module' })],
    data: [null, { pathname: '/m.ko' }], noMatch: [ev('security_kernel_read_file', { pathname: '/fw', type: 'firmware' })] },
  { file: 'ld_preload.rego', id: 'TRC-7',
    match: [traceeEvent('execve', { envp: ['const char*const*', ['A=1', 'LD_PRELOAD=/x.so']] }), open('/etc/ld.so.preload', 'O_WRONLY|O_TRUNC')],
    noMatch: [traceeEvent('execve', { envp: ['const char*const*', ['A=LD_PRELOAD']] }), traceeEvent('execve', { envp: ['const char*const*', null] }), open('/etc/ld.so.preload', 'O_RDONLY')] },
  { file: 'k8s_service_account_token.rego', id: 'TRC-8',
    match: [inContainer(open('/run/secrets/kubernetes.io/serviceaccount/token', 'O_RDONLY', { processName: 'curl' }))],
    noMatch: [open('/run/secrets/kubernetes.io/serviceaccount/token', 'O_RDONLY', { processName: 'curl' }), // host: not selected
      inContainer(open('/run/secrets/kubernetes.io/serviceaccount/token', 'O_RDONLY', { processName: 'coredns' }))] },
  { file: 'dropped_executable.rego', id: 'TRC-9',
    match: [inContainer(traceeEvent('magic_write', { pathname: ['const char*', '/tmp/x'], bytes: ['bytes', ELF] }))], data: [{ 'file path': '/tmp/x' }],
    noMatch: [traceeEvent('magic_write', { pathname: ['const char*', '/tmp/x'], bytes: ['bytes', ELF] }),
      inContainer(traceeEvent('magic_write', { pathname: ['const char*', '/tmp/x'], bytes: ['bytes', Buffer.from('#!/bin/sh').toString('base64')] }))] },
  { file: 'k8s_tls_certificate_theft.rego', id: 'TRC-10',
    match: [open('/etc/kubernetes/pki/ca.key', 'O_RDONLY', { processName: 'cat' }), inContainer(open('/etc/kubernetes/pki/x', 'O_RDWR', { processName: 'sh' }))],
    noMatch: [open('/etc/kubernetes/pki/ca.key', 'O_RDONLY', { processName: 'etcd' }), open('/etc/passwd', 'O_RDONLY')] },
  { file: 'container_device_mount.rego', id: 'TRC-11',
    match: [inContainer(ev('security_sb_mount', { dev_name: '/dev/sda1', path: '/mnt' }))], data: [{ 'mounted device': '/dev/sda1' }],
    noMatch: [ev('security_sb_mount', { dev_name: '/dev/sda1' }), inContainer(ev('security_sb_mount', { dev_name: 'tmpfs' }))] },
  { file: 'illegitimate_shell.rego', id: 'TRC-12',
    match: [ev('security_bprm_check', { pathname: '/bin/sh' }, { processName: 'nginx' })],
    noMatch: [ev('security_bprm_check', { pathname: '/bin/sh' }, { processName: 'bash' }), ev('security_bprm_check', { pathname: '/usr/bin/id' }, { processName: 'nginx' })] },
  { file: 'cgroup_release_agent.rego', id: 'TRC-14',
    match: [inContainer(open('/sys/fs/cgroup/x/release_agent', 'O_WRONLY|O_TRUNC'))], data: [{ 'File Flags': 'O_WRONLY|O_TRUNC', 'File Path': '/sys/fs/cgroup/x/release_agent' }],
    noMatch: [open('/sys/fs/cgroup/x/release_agent', 'O_WRONLY'), inContainer(open('/sys/fs/cgroup/x/release_agent', 'O_RDONLY'))] },
];

describe('default Rego signatures on whole events', () => {
  for (const c of CASES) {
    it(`${c.id} (${c.file}) matches and does not match`, () => {
      const hits = findings(c.file, c.match);
      assert.equal(hits.length, c.match.length, `${c.id}: every matching event gives one finding`);
      assert.ok(hits.every((f) => f.SigMetadata.ID === c.id));
      if (c.data) assert.deepEqual(hits.map((f) => f.Data), c.data);
      assert.deepEqual(findings(c.file, c.noMatch), []);
    });
  }
});
