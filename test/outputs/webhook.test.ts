import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Alert } from '../../src/alerts/alert.js';
import { WebhookOutput, renderTemplate } from '../../src/outputs/webhook.js';

const alert: Alert = {
  engine: 'falco', rule: 'Write below etc', priority: 'Error', priorityNum: 3, source: 'syscall', tags: ['fs'], ts: 1_700_000_000_000_000_000n,
  output: 'File below /etc opened', fields: { 'fd.name': '/etc/x' }, hostname: 'h', rulesetVersion: 4, eventNum: 9,
};

test('templates', () => {
  assert.equal(renderTemplate('{"text":"{{priority}} {{rule}} v{{version}}"}', alert), '{"text":"Error Write below etc v4"}');
  assert.equal(JSON.parse(renderTemplate('', alert)).rule, 'Write below etc');
});

test('POSTs with retries on 5xx, then gives up and counts the drop; a full queue drops too', async () => {
  const seen: { status: number; type: string | undefined; body: string }[] = [];
  let failuresLeft = 2;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const status = body.includes('always-fail') ? 503 : failuresLeft-- > 0 ? 500 : 200;
      seen.push({ status, type: req.headers['content-type'], body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    const out = new WebhookOutput({ url, template: '{{output}}', contentType: 'text/plain', retries: 2, backoffMs: 5, timeoutMs: 2000, queueSize: 2 });
    out.write(alert);
    await out.flush();
    assert.deepEqual(seen.map((s) => s.status), [500, 500, 200]);
    assert.equal(seen[2]!.type, 'text/plain');
    assert.equal(seen[2]!.body, 'File below /etc opened');
    out.write({ ...alert, output: 'always-fail' });
    out.write(alert);
    out.write(alert);
    out.write(alert);
    await out.flush();
    const stats = out.stats();
    // The failing alert is taken off the queue at once; of the next three, two fit the queue of 2.
    assert.equal(stats.dropped, 1 + 1, 'one given up after retries, one beyond the queue bound');
    assert.equal(stats.written, 3);
  } finally {
    server.close();
  }
});
