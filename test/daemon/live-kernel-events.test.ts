/**
 * Live (root, BTF): the daemon switches off in the kernel the events its rule set does not need. A
 * copy of cat named `vopenburst` opens a file 200 times; a witness pipeline turns every event of that
 * process that reaches a shard into a `witness` alert. With only an execve rule (built-in signatures
 * disabled through the API) no open reaches the rings while the exec still alerts; a reload adding a
 * rule on openat brings the opens back, and they alert; `sensor.all_events=true` keeps everything on.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import { applyOverrides, defaultConfig } from '../../src/daemon/config.js';
import { startDaemon, type Daemon } from '../../src/daemon/main.js';
import { EVENTS } from '../../src/events/event-table.js';
import { STATE_EVENTS } from '../../src/workers/kernel-events.js';
import { requireLiveSensor } from '../native/capture.js';
import { TOKEN } from './helpers.js';

const WITNESS = new URL('../fixtures/workers/comm-witness-pipeline.ts', import.meta.url).href;
const COMM = 'vopenburst';
const OPENS = 200;

const execRule = `- rule: burst started
  desc: the burst process was executed
  condition: evt.type = execve and proc.name = ${COMM}
  output: burst started (pid=%proc.pid)
  priority: WARNING
`;
const openRule = (target: string) => `- rule: burst opened
  desc: the burst process opened its target
  condition: evt.type = openat and proc.name = ${COMM} and fd.name = ${target}
  output: burst opened %fd.name
  priority: WARNING
`;

interface Live {
  daemon: Daemon;
  alerts: Alert[];
  rulesFile: string;
  target: string;
  burst(): Promise<{ opens: number; witnessed: string[] }>;
  api(path: string, init?: RequestInit): Promise<Response>;
}

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startLive(t: TestContext, overrides: string[]): Promise<Live> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-kernel-events-'));
  const rulesFile = join(dir, 'rules.yaml');
  const target = join(dir, 'target');
  const program = join(dir, COMM);
  await writeFile(rulesFile, execRule);
  await writeFile(target, 'x\n');
  await copyFile('/bin/cat', program);
  spawnSync('chmod', ['755', program]);
  process.env['VIGIL_WITNESS_COMM'] = COMM;
  const config = applyOverrides(defaultConfig(), ['stdout_output.enabled=false', 'api.listen=127.0.0.1:0', `api.token=${TOKEN}`, 'workers=1', ...overrides]);
  config.rules_files = [rulesFile];
  const daemon = await startDaemon(config, { pipelineUrl: WITNESS, log: () => {} });
  t.after(async () => {
    await daemon.stop();
    delete process.env['VIGIL_WITNESS_COMM'];
  });
  const alerts: Alert[] = [];
  daemon.bus.onAlert((a) => alerts.push(a));
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${daemon.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
  const burst = async () => {
    const before = alerts.length;
    const run = spawnSync(program, Array.from({ length: OPENS }, () => target), { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const mine = () => alerts.slice(before);
    await until('the exec alert', () => mine().some((a) => a.rule === 'burst started'));
    // The exit comes after every open; once it is evaluated, so are they.
    await until('the exit of the burst process', () => mine().some((a) => a.rule === 'witness' && a.fields['evt.type'] === 'procexit'));
    return {
      opens: mine().filter((a) => a.rule === 'burst opened').length,
      witnessed: [...new Set(mine().filter((a) => a.rule === 'witness').map((a) => String(a.fields['evt.type'])))],
    };
  };
  return { daemon, alerts, rulesFile, target, burst, api };
}

async function disableSignatures(live: Live): Promise<void> {
  const rules = (await (await live.api('/rules')).json()) as { rules: { name: string; engine: string }[] };
  for (const r of rules.rules.filter((x) => x.engine === 'tracee')) {
    const res = await live.api(`/rules/${encodeURIComponent(r.name)}`, { method: 'PATCH', body: JSON.stringify({ enabled: false }) });
    assert.equal(res.status, 200, await res.text());
  }
}

const kernelEvents = (live: Live) => live.daemon.stats().kernel.events;

test('opens stay in the kernel until a rule needs them, then arrive and alert', async (t) => {
  if (!requireLiveSensor(t)) return;
  const live = await startLive(t, []);
  assert.ok(kernelEvents(live).includes('openat'), 'the built-in signatures need the open family');
  await disableSignatures(live);
  assert.deepEqual(kernelEvents(live), STATE_EVENTS.processes, 'only the process life cycle is left on');
  const metrics = await (await fetch(`${live.daemon.url}/metrics`)).text();
  assert.match(metrics, new RegExp(`^vigil_kernel_events_enabled ${STATE_EVENTS.processes.length}$`, 'm'));

  const narrow = await live.burst();
  assert.ok(narrow.witnessed.includes('execve'), `the exec reached the shard (${narrow.witnessed.join(',')})`);
  assert.ok(!narrow.witnessed.some((n) => n.startsWith('open')), `no open reached the shard (${narrow.witnessed.join(',')})`);
  assert.ok(narrow.witnessed.every((n) => STATE_EVENTS.processes.includes(n)), narrow.witnessed.join(','));

  await writeFile(live.rulesFile, execRule + openRule(live.target));
  const res = await live.api('/rules/reload', { method: 'POST' });
  assert.equal(res.status, 200, await res.text());
  for (const name of ['openat', 'close', 'dup2', 'socket']) assert.ok(kernelEvents(live).includes(name), name);
  const wide = await live.burst();
  assert.ok(wide.witnessed.includes('openat'), `opens reach the shard after the reload (${wide.witnessed.join(',')})`);
  assert.ok(wide.opens >= OPENS, `every open of the target alerted (${wide.opens})`);
});

test('sensor.all_events=true keeps every event on', async (t) => {
  if (!requireLiveSensor(t)) return;
  const live = await startLive(t, ['sensor.all_events=true']);
  await disableSignatures(live);
  assert.equal(live.daemon.stats().kernel.eventsEnabled, EVENTS.length);
  const all = await live.burst();
  assert.ok(all.witnessed.includes('openat'), `opens reach the shard though no rule needs them (${all.witnessed.join(',')})`);
});
