import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import { FileOutput } from '../../src/outputs/file.js';

const alert: Alert = {
  engine: 'falco', rule: 'R', priority: 'Notice', priorityNum: 5, source: 'syscall', tags: [], ts: 1_700_000_000_000_000_000n,
  output: 'x'.repeat(100), fields: {}, hostname: 'h', rulesetVersion: 1, eventNum: 1,
};

test('appends JSON lines and rotates by size, keeping max_files old files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-file-'));
  const filename = join(dir, 'alerts.log');
  const out = new FileOutput({ filename, json: true, maxBytes: 1000, maxFiles: 2 });
  for (let i = 0; i < 40; i++) {
    out.write(alert);
    await out.flush();
  }
  await out.close();
  assert.deepEqual((await readdir(dir)).sort(), ['alerts.log', 'alerts.log.1', 'alerts.log.2']);
  const lines = (await readFile(filename, 'utf8')).trim().split('\n');
  assert.equal(JSON.parse(lines[0]!).rule, 'R');
  assert.ok((await readFile(filename)).length <= 1000);
  assert.equal(out.stats().written, 40);
});
