import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli/index.ts');

function vigil(...args: string[]) {
  const script = `import(${JSON.stringify(CLI)}).then((m) => m.main(${JSON.stringify(args)})).then((c) => { process.exitCode = c; })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-validate-'));
const good = join(dir, 'good.yaml');
const warn = join(dir, 'warn.yaml');
const bad = join(dir, 'bad.yaml');
writeFileSync(good, '- list: shells\n  items: [bash]\n- rule: r\n  desc: d\n  condition: evt.type = execve and proc.name in (shells)\n  output: "%proc.name"\n  priority: INFO\n');
writeFileSync(warn, '- macro: unused\n  condition: evt.num = 1\n');
writeFileSync(bad, '- rule: broken\n  desc: d\n  condition: evt.type = execve and proc.nmae = bash\n  output: o\n  priority: INFO\n');

test('a valid file: Ok, counts, exit 0', () => {
  const r = vigil('validate', good);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `${good}: Ok\n1 rules, 0 macros, 1 lists\n`);
});

test('warnings: Ok, with warnings and each warning located', () => {
  const r = vigil('validate', good, warn);
  assert.equal(r.code, 0);
  assert.match(r.out, new RegExp(`${warn}: Ok, with warnings\\n1 warnings:\\n${warn}:1:10: warning LOAD_UNUSED_MACRO`));
  assert.match(r.out, /1 rules, 1 macros, 1 lists\n$/);
});

test('errors: Invalid, located with a snippet and caret, exit 1', () => {
  const r = vigil('validate', bad);
  assert.equal(r.code, 1);
  assert.match(r.out, new RegExp(`${bad}: Invalid\\n1 errors:\\n${bad}:3:36: error LOAD_ERR_COMPILE_CONDITION \\(Error compiling condition\\): filter_check called with nonexistent field proc.nmae \\[rule 'broken'\\]`));
  assert.match(r.out, /\n {4} {2}condition: evt.type = execve and proc.nmae = bash\n {4} {35}\^\n/);
});

test('--json gives located diagnostics', () => {
  const r = vigil('validate', '--json', bad);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out);
  assert.equal(report.ok, false);
  assert.deepEqual(report.files, [{ name: bad, status: 'Invalid' }]);
  assert.deepEqual(
    { ...report.diagnostics[0], message: undefined },
    { code: 'LOAD_ERR_COMPILE_CONDITION', severity: 'error', message: undefined, file: bad, line: 3, col: 36, endLine: 3, endCol: 45, item: "rule 'broken'" },
  );
});

test('directories expand to their rules files; unreadable paths are LOAD_ERR_FILE_READ', () => {
  const r = vigil('validate', dir, join(dir, 'nope.yaml'));
  assert.equal(r.code, 1);
  assert.match(r.out, /LOAD_ERR_FILE_READ/);
  assert.match(r.out, /nope\.yaml/);
});

test('usage errors exit 2', () => {
  assert.equal(vigil('validate').code, 2);
  assert.equal(vigil('validate', '--frobnicate', good).code, 2);
});
