/**
 * The daemon end to end over loopback HTTP: a real server, real workers, replayed events (on the
 * fake pipeline, so rule texts are one line each). Scenarios: mutating calls without the token are
 * refused; a valid rules file is accepted and an invalid one refused with its position while the
 * running set stays; enabling/disabling a rule; SSE clients get only what their filters ask for
 * and resume with Last-Event-ID; a client that stops reading is cut off without slowing the rest.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TOKEN, eventLine, startTestDaemon, type TestDaemon } from './helpers.js';
import { SseReader } from './sse-client.js';

describe('rules over the API', () => {
  let t: TestDaemon;
  before(async () => {
    t = await startTestDaemon('Opens: openat Warning\nExecs: execve Critical\n');
  });
  after(() => t.daemon.stop());

  test('a mutating call without the token is refused, reads are open', async () => {
    const noToken = await t.request('/rules/reload', { method: 'POST', auth: false });
    assert.equal(noToken.status, 401);
    const wrong = await t.request('/rules/reload', { method: 'POST', auth: false, headers: { authorization: 'Bearer nope-nope-nope-nope' } });
    assert.equal(wrong.status, 401);
    const put = await t.request('/rules/files/x.yaml', { method: 'PUT', auth: false, body: 'A: *' });
    assert.equal(put.status, 401);
    const list = await t.request('/rules');
    assert.equal(list.status, 200);
    assert.equal(((await list.json()) as { version: number }).version, 1);
  });

  test('unknown routes and bad bodies answer JSON errors', async () => {
    const res = await t.request('/nope');
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no route/);
    const js = await t.request('/rules/files/evil.js', { method: 'PUT', body: 'export default {}' });
    assert.equal(js.status, 400);
    assert.match(((await js.json()) as { error: string }).error, /JavaScript/);
    const noDir = await t.request('/rules/files/x.yaml', { method: 'PUT', body: 'A: *' });
    assert.equal(noDir.status, 409, 'no rules directory configured');
    const big = await t.request('/rules/validate', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    assert.equal(big.status, 413);
  });
});

describe('reload with valid and invalid files', () => {
  let t: TestDaemon;
  before(async () => {
    t = await startTestDaemon('Opens: openat Warning\n');
  });
  after(() => t.daemon.stop());

  test('reload picks up a valid file, refuses an invalid one and keeps the running set', async () => {
    await writeFile(t.rulesFile, 'Opens: openat Warning\nMore: execve Error\n');
    const ok = await t.request('/rules/reload', { method: 'POST' });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { version: number }).version, 2);

    await writeFile(t.rulesFile, 'Opens: openat Warning\n!unknown field proc.nope\n');
    const bad = await t.request('/rules/reload', { method: 'POST' });
    assert.equal(bad.status, 422);
    const body = (await bad.json()) as { diagnostics: { file: string; line: number; col: number; message: string }[] };
    assert.equal(body.diagnostics.length, 1);
    assert.deepEqual({ ...body.diagnostics[0], endLine: undefined, endCol: undefined, code: undefined, severity: undefined, item: undefined }, {
      code: undefined, severity: undefined, item: undefined, endLine: undefined, endCol: undefined,
      file: t.rulesFile, line: 2, col: 2, message: 'unknown field proc.nope',
    });
    const rules = (await (await t.request('/rules')).json()) as { version: number; rules: { name: string }[] };
    assert.equal(rules.version, 2, 'the running set stays');
    assert.deepEqual(rules.rules.map((r) => r.name), ['Opens', 'More']);

    // Events after the refused reload are still evaluated by version 2.
    t.input.write(`${eventLine(1, { name: 'execve' })}\n`);
    t.input.end();
    await t.daemon.settle();
    assert.deepEqual(t.alerts.map((a) => [a.rule, a.rulesetVersion]), [['More', 2]]);
    const stats = (await (await t.request('/stats')).json()) as { rules: { reloads: { ok: boolean }[] } };
    assert.deepEqual(stats.rules.reloads.map((r) => r.ok), [true, true, false]);
  });
});

describe('rules directory writes', () => {
  let t: TestDaemon;
  before(async () => {
    t = await startTestDaemon('Opens: openat Warning\n', [], (c) => {
      c.rules_dir = join(c.rules_files[0]!, '..');
    });
  });
  after(() => t.daemon.stop());

  test('PUT validates before writing, DELETE removes, PATCH toggles a rule', async () => {
    const bad = await t.request('/rules/files/extra.yaml', { method: 'PUT', body: 'Good: openat\n!does not parse\n' });
    assert.equal(bad.status, 422);
    const diag = ((await bad.json()) as { diagnostics: { line: number; col: number }[] }).diagnostics[0]!;
    assert.deepEqual([diag.line, diag.col], [2, 2]);
    await assert.rejects(readFile(join(t.dir, 'extra.yaml')));

    const good = await t.request('/rules/files/extra.yaml?reload=true', { method: 'PUT', body: 'Extra: execve Critical\n' });
    assert.equal(good.status, 201);
    const goodBody = (await good.json()) as { reload: { version: number } };
    assert.equal(goodBody.reload.version, 2);
    assert.equal(await readFile(join(t.dir, 'extra.yaml'), 'utf8'), 'Extra: execve Critical\n');

    const patch = await t.request('/rules/Extra', { method: 'PATCH', body: JSON.stringify({ enabled: false }), headers: { 'content-type': 'application/json' } });
    assert.equal(patch.status, 200);
    const list = (await (await t.request('/rules')).json()) as { version: number; rules: { name: string; enabled: boolean }[] };
    assert.equal(list.version, 3);
    assert.equal(list.rules.find((r) => r.name === 'Extra')?.enabled, false);
    const missing = await t.request('/rules/Nope', { method: 'PATCH', body: JSON.stringify({ enabled: false }) });
    assert.equal(missing.status, 404);

    assert.equal((await t.request('/rules/files/extra.yaml', { method: 'DELETE' })).status, 200);
    assert.equal((await t.request('/rules/files/extra.yaml', { method: 'DELETE' })).status, 404);
  });
});

describe('alert stream', () => {
  let t: TestDaemon;
  before(async () => {
    t = await startTestDaemon('Opens: openat Warning\nExecs: execve Critical\nConnects: connect Notice\n', ['sse.client_queue=2500', 'sse.replay_buffer=100000']);
  });
  after(() => t.daemon.stop());

  test('filters, event ids and Last-Event-ID resume', async () => {
    const base = `${t.daemon.url}/alerts/stream`;
    const severe = new SseReader(`${base}?priority=error`);
    const byRule = new SseReader(`${base}?rule=Connects&source=syscall`);
    const byContainer = new SseReader(`${base}?container=abcdef012345`);
    const all = new SseReader(base);
    await new Promise((r) => setTimeout(r, 200));
    const lines = [
      eventLine(1, { name: 'openat' }),
      eventLine(2, { name: 'execve' }),
      eventLine(3, { name: 'connect', container: 'abcdef0123456789' }),
      eventLine(4, { name: 'execve', container: 'abcdef0123456789' }),
    ];
    t.input.write(`${lines.join('\n')}\n`);
    await all.until((f) => f.length >= 4);
    await severe.until((f) => f.length >= 2);
    await byRule.until((f) => f.length >= 1);
    await byContainer.until((f) => f.length >= 2);
    // Events of different processes may sit in different shards, so alerts come in any order across them.
    const bySeq = (a: { alert: Record<string, unknown> }) => (a.alert['fields'] as { seq: number }).seq;
    assert.deepEqual(severe.alerts().map(bySeq).sort(), [2, 4]);
    assert.ok(severe.alerts().every((a) => a.alert['priority'] === 'Critical'));
    assert.deepEqual(byRule.alerts().map((a) => a.alert['rule']), ['Connects']);
    assert.deepEqual(byContainer.alerts().map((a) => (a.alert['fields'] as { seq: number }).seq).sort(), [3, 4]);
    const ids = all.alerts().map((a) => Number(a.id));
    assert.equal(ids.length, 4);
    assert.deepEqual([...ids].sort((a, b) => a - b), ids, 'ids increase');

    // A client that saw up to the second alert reconnects and gets the rest.
    const resumed = new SseReader(base, { 'last-event-id': String(ids[1]) });
    await resumed.until((f) => f.length >= 2);
    assert.deepEqual(resumed.alerts().map((a) => Number(a.id)), ids.slice(2));
    for (const r of [severe, byRule, byContainer, all, resumed]) r.close();
  });

  test('a client that stops reading is cut off with an error event; the others get everything', async () => {
    const N = 8000;
    const fast = new SseReader(`${t.daemon.url}/alerts/stream?rule=Opens`);
    // The slow client: a raw socket that sends its request and then reads nothing.
    const slow = connect({ host: '127.0.0.1', port: Number(new URL(t.daemon.url!).port) });
    await new Promise((r) => slow.once('connect', r));
    slow.write(`GET /alerts/stream?rule=Opens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
    slow.pause();
    await new Promise((r) => setTimeout(r, 200));
    const pad = 'x'.repeat(4000);
    const before = t.alerts.length;
    for (let i = 0; i < N; i += 200) {
      const chunk: string[] = [];
      for (let k = i; k < i + 200; k++) chunk.push(eventLine(10_000 + k, { name: 'openat' }).replace('"processName":"cat"', `"processName":"${pad}"`));
      t.input.write(`${chunk.join('\n')}\n`);
      // Paced by the fast client, so only the slow one can fall behind (this process is both the
      // server and the fast client; an unpaced flood would starve the fast client too).
      await fast.until((f) => f.filter((x) => x.event === 'alert').length >= i + 200);
    }
    await fast.until((f) => f.filter((x) => x.event === 'alert').length >= N);
    assert.equal(fast.alerts().length, N, 'the fast client got every alert');
    assert.equal(t.alerts.length - before, N, 'the pipeline published every alert');
    const stats = (await (await t.request('/stats')).json()) as { sse: { slowDisconnects: number } };
    assert.ok(stats.sse.slowDisconnects >= 1, 'the slow client was disconnected');

    // Now read what the slow client was sent: it ends with the error event and the stream closes.
    slow.resume();
    const chunks: Buffer[] = [];
    slow.on('data', (c: Buffer) => chunks.push(c));
    await new Promise((r) => slow.once('end', r));
    const text = Buffer.concat(chunks).toString('utf8');
    assert.match(text, /event: error\ndata: \{"error":"client too slow/);
    assert.ok(text.lastIndexOf('event: error') > text.lastIndexOf('event: alert'), 'the error event is the last one');
    fast.close();
  });
});
