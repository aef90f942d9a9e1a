/** Shared set-up for daemon tests: a daemon on the fake pipeline, on a loopback port, with a temp rules dir. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Alert } from '../../src/alerts/alert.js';
import { applyOverrides, defaultConfig, type VigilConfig } from '../../src/daemon/config.js';
import { startDaemon, type Daemon } from '../../src/daemon/main.js';

export const FAKE_PIPELINE = new URL('../fixtures/workers/fake-pipeline.ts', import.meta.url).href;
export const REAL_PIPELINE = new URL('../../src/workers/default-pipeline.ts', import.meta.url).href;
export const TOKEN = 'test-token-0123456789abcdef';

export interface TestDaemon {
  daemon: Daemon;
  input: PassThrough;
  alerts: Alert[];
  /** The daemon's log lines. */
  logs: string[];
  dir: string;
  rulesFile: string;
  request(path: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
}

export async function startTestDaemon(
  rules: string,
  overrides: string[] = [],
  tweak?: (c: VigilConfig) => void,
  pipelineUrl = FAKE_PIPELINE,
): Promise<TestDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-daemon-'));
  const rulesFile = join(dir, pipelineUrl === FAKE_PIPELINE ? 'base.rules' : 'base.yaml');
  await writeFile(rulesFile, rules);
  const config = applyOverrides(defaultConfig(), ['stdout_output.enabled=false', 'api.listen=127.0.0.1:0', `api.token=${TOKEN}`, 'workers=2', 'ring_size=1048576', ...overrides]);
  config.rules_files = [rulesFile];
  tweak?.(config);
  const input = new PassThrough();
  config.state.proc_root = join(dir, 'no-proc');
  const logs: string[] = [];
  const daemon = await startDaemon(config, { pipelineUrl, input, log: (line) => logs.push(line), idleWaitMs: 20 });
  const alerts: Alert[] = [];
  daemon.bus.onAlert((a) => alerts.push(a));
  const request = (path: string, init: RequestInit & { auth?: boolean } = {}) => {
    const headers = new Headers(init.headers);
    if (init.auth !== false && init.method && init.method !== 'GET') headers.set('authorization', `Bearer ${TOKEN}`);
    return fetch(`${daemon.url}${path}`, { ...init, headers });
  };
  return { daemon, input, alerts, logs, dir, rulesFile, request };
}

/** A Tracee-style JSON line for event `seq` (the fake pipeline reads eventName, processId, args). */
export function eventLine(seq: number, extra: { name?: string; pid?: number; container?: string } = {}): string {
  return JSON.stringify({
    timestamp: 1_700_000_000_000_000_000 + seq,
    eventName: extra.name ?? 'openat',
    processId: extra.pid ?? 100 + (seq % 37),
    processName: 'cat',
    ...(extra.container ? { containerId: extra.container } : {}),
    args: [{ name: 'seq', value: seq }],
  });
}
