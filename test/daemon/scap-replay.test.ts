/** `vigil run --input scap:FILE`: a capture through the shard workers (seed to every worker, events into the rings). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import { applyOverrides, ConfigError, defaultConfig } from '../../src/daemon/config.js';
import { startDaemon } from '../../src/daemon/main.js';
import { BUILTIN_ALERTS, capture, events, falcoLines, LAST_BLOCK, lateContainerCapture } from '../cli/scap-story.js';
import { REAL_PIPELINE } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const DIR = mkdtempSync(join(tmpdir(), 'vigil-run-scap-'));
const CAPTURE = join(DIR, 'story.scap');
writeFileSync(CAPTURE, capture);
const TRUNCATED = join(DIR, 'truncated.scap');
writeFileSync(TRUNCATED, capture.subarray(0, LAST_BLOCK + 10));

/** Alerts from two shards interleave; each shard keeps event order, so compare as sets. */
const sorted = (lines: string[]) => [...lines].sort();

function daemonConfig(capturePath: string) {
  return applyOverrides(defaultConfig(), ['stdout_output.enabled=false', 'api.listen=127.0.0.1:0', 'workers=2', 'ring_size=1048576', `input_scap=${capturePath}`]);
}

describe('vigil run --input scap:FILE', () => {
  it('prints the capture\'s alerts on stdout, with the detection block\'s Command, and exits with --exit-on-eof', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/cli/index.ts').then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })",
      'run', '--input', `scap:${CAPTURE}`, '--exit-on-eof', '--listen', '127.0.0.1:0', '--workers', '2'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(sorted(falcoLines(result.stdout)), sorted(BUILTIN_ALERTS));
    const blocks = result.stdout.split('*** Detection ***\n').slice(1);
    assert.equal(blocks.length, 4);
    for (const b of blocks) assert.match(b, /\nCommand: cat\nHostname: /);
  });

  it('a container announced mid-capture reaches every worker in stream order: the alerts after it name it', async () => {
    const late = join(DIR, 'late-container.scap');
    writeFileSync(late, lateContainerCapture);
    const daemon = await startDaemon(daemonConfig(late), { pipelineUrl: REAL_PIPELINE, log: () => {}, idleWaitMs: 20 });
    const alerts: Alert[] = [];
    daemon.bus.onAlert((a) => alerts.push(a));
    try {
      await daemon.settle();
      assert.deepEqual(sorted(alerts.filter((a) => a.engine === 'falco').map((a) => a.output)), sorted(BUILTIN_ALERTS.map((l) => l.replace(/^\S+ \w+ /, ''))));
    } finally {
      await daemon.stop();
    }
  });

  it('a truncated capture: the events before the fault reach the workers, the offset is logged and in the replay stats', async () => {
    const logs: string[] = [];
    const daemon = await startDaemon(daemonConfig(TRUNCATED), { pipelineUrl: REAL_PIPELINE, log: (l) => logs.push(l), idleWaitMs: 20 });
    const alerts: Alert[] = [];
    daemon.bus.onAlert((a) => alerts.push(a));
    try {
      await daemon.settle();
      assert.deepEqual(sorted(alerts.filter((a) => a.engine === 'falco').map((a) => a.output)), sorted(BUILTIN_ALERTS.slice(0, 4).map((l) => l.replace(/^\S+ \w+ /, ''))));
      const stats = daemon.replay!.stats;
      assert.equal(stats.eventsWritten, events.length - 1);
      assert.equal(stats.captureError?.offset, LAST_BLOCK);
      assert.ok(logs.some((l) => l.includes(`byte offset ${LAST_BLOCK}`)), logs.join('\n'));
    } finally {
      await daemon.stop();
    }
  });

  it('a capture that cannot be read does not start; input_scap and input_tracee exclude each other', async () => {
    await assert.rejects(startDaemon(daemonConfig(join(DIR, 'missing.scap')), { pipelineUrl: REAL_PIPELINE, log: () => {} }), /cannot replay capture .*missing\.scap: byte offset 0/);
    assert.throws(() => applyOverrides(defaultConfig(), [`input_scap=${CAPTURE}`, 'input_tracee=file:x.json']), ConfigError);
  });
});
