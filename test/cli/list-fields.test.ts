import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';


function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('./src/cli/index.ts').then(async (m) => { process.exitCode = await m.main(${JSON.stringify(['list-fields', ...args])}); })`], { encoding: 'utf8' });
}

test('vigil list-fields prints the fields grouped by class, like falco --list', () => {
  const r = cli();
  assert.equal(r.status, 0, r.stderr);
  for (const cls of ['evt', 'process', 'fd', 'container', 'user']) assert.match(r.stdout, new RegExp(`^Field Class: ${cls}$`, 'm'));
  assert.match(r.stdout, /^proc\.aname\[N\]\s+charbuf\s+name \(comm/m);
  assert.match(r.stdout, /^fd\.ip\s+ipaddr\s+.*\(filter only\)$/m);
  assert.match(r.stdout, /^evt\.dir\s+charbuf\s+.*\(deprecated\)$/m);
});

test('vigil list-fields --json prints an array of {name,type,desc,arg,isList,filterOnly}', () => {
  const r = cli('--json');
  assert.equal(r.status, 0, r.stderr);
  const fields = JSON.parse(r.stdout) as { name: string; type: string; desc: string; arg: string; isList: boolean; filterOnly: boolean }[];
  assert.ok(fields.length > 150);
  const types = fields.find((f) => f.name === 'fd.types')!;
  assert.deepEqual(Object.keys(types).sort(), ['arg', 'desc', 'filterOnly', 'isList', 'name', 'type']);
  assert.equal(types.isList, true);
  assert.equal(fields.find((f) => f.name === 'fd.net')!.filterOnly, true);
  assert.equal(fields.find((f) => f.name === 'proc.env')!.arg, 'key');
});

test('unknown options are refused with usage', () => {
  const r = cli('--yaml');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option '--yaml'/);
});
