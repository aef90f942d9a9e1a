/**
 * Live (root, BTF): lossless, version-consistent reload on the real sensor. A syscall generator (a
 * shell spawning the storm fixture over and over: exec and exit records reach every shard, close(-1)
 * records go to one) runs while the rules are reloaded 20 times. The sensor writes each barrier into
 * both shard rings between two kernel records; a witness pipeline in each worker logs what it reads.
 * Every alert names the version whose window it fell in, no event met another version than its
 * window, and both workers read the barriers at the same place among the records they share.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import { applyOverrides, defaultConfig } from '../../src/daemon/config.js';
import { startDaemon } from '../../src/daemon/main.js';
import { fixtures, requireLiveSensor } from '../native/capture.js';
import { TOKEN } from './helpers.js';

const RELOADS = 20;
const WITNESS = new URL('../fixtures/workers/switch-log-pipeline.ts', import.meta.url).href;

const rules = (k: number) => `- rule: R${k}
  desc: a storm process started (rule set ${k})
  condition: evt.type = execve and proc.name = storm
  output: storm started (pid=%proc.pid)
  priority: WARNING
`;

/** The shared records up to the last barrier, and the mismatch count the witness last wrote. */
function parseLog(text: string): { shared: string[]; mismatches: number } {
  const lines = text.split('\n').filter(Boolean);
  const last = lines.findLastIndex((l) => l.startsWith('C '));
  const mismatches = Number(lines.findLast((l) => l.startsWith('M '))?.slice(2) ?? NaN);
  return { shared: lines.slice(0, last + 1).filter((l) => !l.startsWith('M ')), mismatches };
}

test('live reloads switch every worker at the same barrier while a syscall generator runs', async (t) => {
  if (!requireLiveSensor(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'vigil-live-reload-'));
  const rulesFile = join(dir, 'rules.yaml');
  await writeFile(rulesFile, rules(0));
  process.env['VIGIL_SWITCH_LOG'] = dir;
  const config = applyOverrides(defaultConfig(), ['stdout_output.enabled=false', 'api.listen=127.0.0.1:0', `api.token=${TOKEN}`, 'workers=2', `ring_size=${64 << 20}`]);
  config.rules_files = [rulesFile];
  const daemon = await startDaemon(config, { pipelineUrl: WITNESS, log: () => {} });
  const alerts: Alert[] = [];
  daemon.bus.onAlert((a) => alerts.push(a));
  const generator = spawn('sh', ['-c', `while :; do ${fixtures()['storm']} 200; done`], { stdio: 'ignore' });
  try {
    for (let k = 1; k <= RELOADS; k++) {
      await new Promise((r) => setTimeout(r, 100));
      await writeFile(rulesFile, rules(k));
      const res = await fetch(`${daemon.url}/rules/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.status, 200, await res.text());
    }
    await new Promise((r) => setTimeout(r, 200));
    const s = daemon.stats();
    assert.deepEqual(s.shards.map((sh) => sh.drops), [0, 0], 'no shard ring overflowed (a lost shared record would make the logs differ)');
    assert.deepEqual(s.shards.map((sh) => sh.rulesetVersion), [RELOADS + 1, RELOADS + 1]);
  } finally {
    generator.kill('SIGKILL');
    await daemon.stop();
    delete process.env['VIGIL_SWITCH_LOG'];
  }
  const storm = alerts.filter((a) => a.rule.startsWith('R'));
  assert.ok(storm.length > RELOADS, `the generator raised alerts (${storm.length})`);
  const versions = new Set<number>();
  for (const a of alerts) {
    assert.equal(a.rulesetVersion, a.fields['test.window'], `${a.rule} names the version of the window it fell in`);
    versions.add(a.rulesetVersion);
  }
  for (const a of storm) assert.equal(a.rule, `R${a.rulesetVersion - 1}`, 'the alert comes from the version it names');
  assert.ok(versions.size > RELOADS / 2, `alerts came from many versions (${[...versions].join(',')})`);

  const logs = await Promise.all([0, 1].map(async (s) => parseLog(await readFile(join(dir, `shard-${s}.log`), 'utf8'))));
  for (const [s, log] of logs.entries()) {
    assert.equal(log.mismatches, 0, `shard ${s}: no event met another version than its window`);
    const barriers = log.shared.filter((l) => l.startsWith('C ')).map((l) => Number(l.split(' ')[1]));
    assert.deepEqual(barriers, Array.from({ length: RELOADS }, (_, i) => i + 2), `shard ${s} read every barrier once, in order`);
  }
  assert.ok(logs[0]!.shared.length > RELOADS * 2, 'life-cycle records were shared between the barriers');
  assert.deepEqual(logs[1]!.shared, logs[0]!.shared, 'both shards read the barriers at the same place among their shared records');
});
