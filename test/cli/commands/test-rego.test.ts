import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../../src/cli/commands/test-rego.js';

/** Runs the command in-process and captures what it writes. */
async function testRego(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await run(args);
    return { code, out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

describe('vigil test-rego', () => {
  it('runs upstream-style test files unmodified: every test passes', async () => {
    const r = await testRego(['test/fixtures/rego/sigs']);
    assert.equal(r.code, 0, r.out + r.err);
    const lines = r.out.split('\n');
    for (const t of ['test_match_write', 'test_match_rdwr', 'test_no_match_read', 'test_no_match_other_file', 'test_no_match_missing_args', 'test_selected_events', 'test_elf_helper']) {
      assert.ok(lines.includes(`PASS tracee.TRC_14.${t}`), `${t} in\n${r.out}`);
    }
    assert.match(r.out, /^PASS: 7\/7$/m);
  });

  it('reports FAIL and ERROR per test and exits 1', async () => {
    const r = await testRego(['test/fixtures/rego/failing/fail_test.rego']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^PASS demo\.test_passes$/m);
    assert.match(r.out, /^FAIL demo\.test_fails$/m);
    assert.match(r.out, /^ERROR demo\.test_errors\n {2}.*eval_conflict_error/m);
    assert.match(r.out, /^PASS: 1\/3\nFAIL: 1\/3\nERROR: 1\/3$/m);
  });

  it('-v adds timings; -r filters tests', async () => {
    const r = await testRego(['-v', '-r', 'passes$', 'test/fixtures/rego/failing']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^PASS demo\.test_passes \(\d+\.\d+ms\)$/m);
    assert.match(r.out, /^PASS: 1\/1$/m);
  });

  it('a stand-alone test file fails to compile, with file:line:col', async () => {
    const r = await testRego(['test/fixtures/rego/sigs/release_agent_test.rego']);
    assert.equal(r.code, 1);
    assert.match(r.err, /release_agent_test\.rego:34:2: error rego_type_error \(Rego type error\): undefined function data\.tracee\.helpers\.is_elf_file/);
  });

  it('a parse error names the file, line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rego-'));
    writeFileSync(join(dir, 'bad.rego'), 'package x\n\np {\n  input.a ==\n}\n');
    const r = await testRego([dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.rego:5:1: error rego_parse_error/);
  });

  it('usage errors exit 2', async () => {
    assert.equal((await testRego([])).code, 2);
    assert.equal((await testRego(['--bogus', 'x'])).code, 2);
    assert.equal((await testRego(['/nonexistent/path'])).code, 1);
  });
});
