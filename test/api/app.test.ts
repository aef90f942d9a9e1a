/**
 * Route unit tests: `createApp(deps).request(...)`, no socket. The rule manager is real and runs
 * on the fake pipeline (no workers attached), the stats and metrics come from fixed snapshots.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { createApp, type ApiDeps } from '../../src/api/app.js';
import type { StatsSnapshot } from '../../src/daemon/counters.js';
import { RuleManager } from '../../src/daemon/rule-manager.js';
import { readRuleFiles } from '../../src/daemon/rule-sources.js';
import { SseHub } from '../../src/outputs/sse-hub.js';
import { pipeline } from '../fixtures/workers/fake-pipeline.js';

const TOKEN = 'unit-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

async function setup(): Promise<{ app: ReturnType<typeof createApp>; deps: ApiDeps; dir: string; rules: RuleManager }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-api-'));
  await writeFile(join(dir, 'base.yaml'), 'Opens: openat Warning\nExecs: execve Critical\n');
  const rules = new RuleManager({ pipeline, readSources: () => readRuleFiles([], dir), signatureDir: dir, ruleMatching: 'all' });
  await rules.initial();
  const metrics = new Registry();
  const deps: ApiDeps = {
    token: TOKEN,
    rules,
    rulesDir: dir,
    stats: () => ({ events: { read: 3, evaluated: 3, decodeErrors: 0 } }) as unknown as StatsSnapshot,
    metrics,
    sse: new SseHub({ replayBuffer: 10, clientQueue: 10 }),
    heartbeatMs: 1000,
    bodyLimit: 1024,
  };
  return { app: createApp(deps), deps, dir, rules };
}

describe('api routes', () => {
  let ctx: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    ctx = await setup();
  });

  test('GET /healthz and /version', async () => {
    const health = await ctx.app.request('/healthz');
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string; rulesetVersion: number }).rulesetVersion, 1);
    const version = (await (await ctx.app.request('/version')).json()) as { name: string };
    assert.equal(version.name, 'vigil');
  });

  test('GET /rules lists rules, version and files', async () => {
    const body = (await (await ctx.app.request('/rules')).json()) as { version: number; files: string[]; rules: { name: string }[] };
    assert.equal(body.version, 1);
    assert.deepEqual(body.rules.map((r) => r.name), ['Opens', 'Execs']);
    assert.equal(body.files.length, 1);
  });

  test('every non-GET route needs the bearer token', async () => {
    for (const [method, path] of [['POST', '/rules/reload'], ['POST', '/rules/validate'], ['PUT', '/rules/files/a.yaml'], ['DELETE', '/rules/files/a.yaml'], ['PATCH', '/rules/Opens']] as const) {
      const res = await ctx.app.request(path, { method, body: method === 'DELETE' ? null : '{}' });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.match(((await res.json()) as { error: string }).error, /bearer token/, 'JSON error body naming the missing token');
    }
  });

  test('POST /rules/validate returns the load report with positions', async () => {
    const ok = (await (await ctx.app.request('/rules/validate', { method: 'POST', headers: auth, body: 'A: openat\n' })).json()) as { ok: boolean; rules: number };
    assert.deepEqual(ok, { ok: true, rules: 1, diagnostics: [] });
    const bad = (await (await ctx.app.request('/rules/validate?name=mine.yaml', { method: 'POST', headers: auth, body: 'A: openat\n!nope\n' })).json()) as {
      ok: boolean;
      diagnostics: { file: string; line: number; col: number; code: string }[];
    };
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.diagnostics.map((d) => [d.file, d.line, d.col, d.code]), [['mine.yaml', 2, 2, 'LOAD_ERR_COMPILE_CONDITION']]);
  });

  test('PUT /rules/files validates first: 422 with diagnostics, nothing written', async () => {
    const res = await ctx.app.request('/rules/files/new.yaml', { method: 'PUT', headers: auth, body: '!broken\n' });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { diagnostics: { line: number; col: number }[] };
    assert.deepEqual(body.diagnostics.map((d) => [d.line, d.col]), [[1, 2]]);
    await assert.rejects(readFile(join(ctx.dir, 'new.yaml')));
  });

  test('PUT accepts YAML and Rego names only', async () => {
    for (const name of ['x.js', 'x.ts', '..%2Fescape.yaml', '.hidden.yaml']) {
      const res = await ctx.app.request(`/rules/files/${name}`, { method: 'PUT', headers: auth, body: 'A: *' });
      assert.equal(res.status, 400, name);
    }
    const rego = await ctx.app.request('/rules/files/sig.rego', { method: 'PUT', headers: auth, body: 'Sig: execve\n' });
    assert.equal(rego.status, 201);
  });

  test('POST /rules/reload installs a new version or refuses with 422', async () => {
    const ok = await ctx.app.request('/rules/reload', { method: 'POST', headers: auth });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { version: number }).version, 2);
    await writeFile(join(ctx.dir, 'base.yaml'), '!bad\n');
    const bad = await ctx.app.request('/rules/reload', { method: 'POST', headers: auth });
    assert.equal(bad.status, 422);
    assert.equal(ctx.rules.currentVersion, 2);
  });

  test('POST /rules/reload answers 503 when a worker cannot take the set, and the running set stays', async () => {
    ctx.rules.attach({ prepare: async () => ['shard 1: signature init threw'], discard: () => {}, committed: () => {}, activate: () => {} }, undefined);
    const res = await ctx.app.request('/rules/reload', { method: 'POST', headers: auth });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '1');
    const body = (await res.json()) as { error: string; message: string; runningVersion: number };
    assert.equal(body.error, 'reload failed');
    assert.match(body.message, /shard 1: signature init threw/);
    assert.equal(body.runningVersion, 1);
    assert.equal(ctx.rules.currentVersion, 1);
  });

  test('PATCH /rules/:name checks its body and the name', async () => {
    const bad = await ctx.app.request('/rules/Opens', { method: 'PATCH', headers: auth, body: '{"enabled":"no"}' });
    assert.equal(bad.status, 400);
    const missing = await ctx.app.request('/rules/Nope', { method: 'PATCH', headers: auth, body: '{"enabled":false}' });
    assert.equal(missing.status, 404);
    const ok = await ctx.app.request('/rules/Opens', { method: 'PATCH', headers: auth, body: '{"enabled":false}' });
    assert.equal(ok.status, 200);
    assert.equal(ctx.rules.rules().find((r) => r.name === 'Opens')?.enabled, false);
  });

  test('GET /stats and /metrics', async () => {
    const stats = (await (await ctx.app.request('/stats')).json()) as { events: { evaluated: number } };
    assert.equal(stats.events.evaluated, 3);
    const metrics = await ctx.app.request('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
  });

  test('unknown routes are a JSON 404; oversized bodies a 413', async () => {
    const res = await ctx.app.request('/nowhere');
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /GET \/nowhere/);
    const big = await ctx.app.request('/rules/validate', { method: 'POST', headers: { ...auth, 'content-length': '5000' }, body: 'x'.repeat(5000) });
    assert.equal(big.status, 413);
  });

  test('GET /alerts/stream rejects an unknown priority', async () => {
    const res = await ctx.app.request('/alerts/stream?priority=loud');
    assert.equal(res.status, 400);
  });
});
