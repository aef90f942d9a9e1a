/**
 * Live (root, BTF, Docker): the daemon on the real sensor with the built-in rules; `docker exec -ti`
 * into a running container raises "Terminal shell in container" on the SSE stream, with the
 * container's id and image; a binary copied into the container and run raises "Drop and execute
 * new binary in container" (the sensor's overlay upper-layer flag), a program run from a memfd on
 * the host "Fileless execution via memfd_create". Skipped with the reason printed where the sensor
 * or Docker is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { applyOverrides, defaultConfig } from '../../src/daemon/config.js';
import { startDaemon } from '../../src/daemon/main.js';
import { fixtures, requireLiveSensor } from '../native/capture.js';
import { REAL_PIPELINE } from './helpers.js';
import { SseReader } from './sse-client.js';

const IMAGE = 'vigil-test:latest';

function dockerUnavailable(): string | undefined {
  const r = spawnSync('bash', [new URL('../../scripts/start-docker.sh', import.meta.url).pathname], { encoding: 'utf8' });
  if (r.status !== 0) return `docker unavailable: ${r.stderr.trim() || r.stdout.trim()}`;
  return spawnSync('script', ['--version']).status === 0 ? undefined : 'script(1) is needed to give docker exec a terminal';
}

test('docker exec -ti raises the terminal-shell alert on the SSE stream', async (t) => {
  if (!requireLiveSensor(t)) return;
  const why = dockerUnavailable();
  if (why) {
    if (process.env['CI'] === 'true') throw new Error(why);
    t.skip(why);
    return;
  }
  const config = applyOverrides(defaultConfig(), ['stdout_output.enabled=false', 'api.listen=127.0.0.1:0', 'api.token=live-test-token-0123456789', 'workers=1']);
  const daemon = await startDaemon(config, { pipelineUrl: REAL_PIPELINE, log: () => {} });
  const run = spawnSync('docker', ['run', '-d', '--rm', IMAGE, 'sleep', '60'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const id = run.stdout.trim();
  const sse = new SseReader(`${daemon.url}/alerts/stream?rule=${encodeURIComponent('Terminal shell in container')}&container=${id.slice(0, 12)}`);
  const dropped = new SseReader(`${daemon.url}/alerts/stream?rule=${encodeURIComponent('Drop and execute new binary in container')}`);
  const fileless = new SseReader(`${daemon.url}/alerts/stream?rule=${encodeURIComponent('Fileless execution via memfd_create')}`);
  try {
    // Container metadata (name, image) is fetched from Docker when the container's first event is
    // seen; give that lookup time before the exec, as it would have on a running system.
    await new Promise((r) => setTimeout(r, 3000));
    const exec = spawnSync('script', ['-qc', `docker exec -ti ${id} sh -c 'exit 0'`, '/dev/null'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(exec.status, 0, exec.stderr);
    const stats = async (): Promise<string> => `daemon stats: ${JSON.stringify(await (await fetch(`${daemon.url}/stats`)).json())}`;
    await sse.until((frames) => frames.some((f) => f.event === 'alert'), 60_000, stats);
    const alert = sse.alerts()[0]!.alert;
    assert.equal(alert['rule'], 'Terminal shell in container');
    assert.equal(alert['containerId'], id.slice(0, 12));
    assert.equal(alert['containerImage'], IMAGE);
    assert.equal((alert['fields'] as Record<string, unknown>)['proc.name'], 'sh');

    // A binary that is not part of the image: written into the container's upper layer, then run.
    const drop = spawnSync('docker', ['exec', id, 'sh', '-c', 'cp /bin/busybox /tmp/true && /tmp/true'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(drop.status, 0, drop.stderr);
    await dropped.until((frames) => frames.some((f) => f.event === 'alert'), 60_000, stats);
    const drops = dropped.alerts().map((a) => a.alert);
    assert.deepEqual(drops.map((a) => [a['containerId'], (a['fields'] as Record<string, unknown>)['proc.exepath']]), [[id.slice(0, 12), '/tmp/true']], 'only the dropped binary, not the image\'s busybox');

    const memfd = spawnSync(fixtures()['memfd_exec']!, ['/bin/true', 'from-memfd']);
    assert.equal(memfd.status, 0);
    await fileless.until((frames) => frames.some((f) => f.event === 'alert'), 60_000, stats);
    assert.equal(fileless.alerts()[0]!.alert['containerId'], 'host');
  } finally {
    sse.close();
    dropped.close();
    fileless.close();
    spawnSync('docker', ['kill', id]);
    await daemon.stop();
  }
});
