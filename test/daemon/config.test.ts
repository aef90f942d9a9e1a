import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, applyOverrides, defaultConfig, parseConfig, parseListen } from '../../src/daemon/config.js';

test('a falco.yaml-style file merges onto the defaults', () => {
  const c = parseConfig(['json_output: true', 'priority: WARNING', 'file_output:', '  enabled: true', '  filename: /tmp/a.log', 'api:', '  listen: 0.0.0.0:9000', 'workers: 3'].join('\n'));
  assert.equal(c.json_output, true);
  assert.equal(c.file_output.filename, '/tmp/a.log');
  assert.equal(c.file_output.max_files, 5, 'untouched keys keep their defaults');
  assert.equal(c.api.listen, '0.0.0.0:9000');
  assert.equal(c.workers, 3);
  assert.equal(applyOverrides(c, []).priority, 'warning');
});

test('unknown keys and wrong types are reported with line and column', () => {
  assert.throws(
    () => parseConfig('json_output: true\nstdout_output:\n  enabld: true\nworkers: many\n', 'vigil.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems, ["vigil.yaml:3:3: unknown key 'stdout_output.enabld'", "vigil.yaml:4:1: 'workers' must be a non-negative number"]);
      return true;
    },
  );
  assert.throws(() => parseConfig('a: [\n'), /vigil|config:\d+:\d+/);
});

test('-o overrides take dotted keys and YAML values', () => {
  const c = applyOverrides(defaultConfig(), ['json_output=true', 'api.listen=127.0.0.1:9999', 'rules_files=[a.yaml, b.yaml]', 'webhook_output.retries=5', 'rate_limit.enabled=true']);
  assert.equal(c.json_output, true);
  assert.equal(c.api.listen, '127.0.0.1:9999');
  assert.deepEqual(c.rules_files, ['a.yaml', 'b.yaml']);
  assert.equal(c.webhook_output.retries, 5);
  assert.equal(c.rate_limit.enabled, true);
});

test('workers_stall_timeout defaults to 15 s and takes -o overrides (0 = off)', () => {
  assert.equal(defaultConfig().workers_stall_timeout, 15);
  assert.equal(applyOverrides(defaultConfig(), ['workers_stall_timeout=1.5']).workers_stall_timeout, 1.5);
  assert.equal(parseConfig('workers_stall_timeout: 0\n').workers_stall_timeout, 0);
  assert.throws(() => applyOverrides(defaultConfig(), ['workers_stall_timeout=-1']), /'workers_stall_timeout' must be a non-negative number/);
});

test('bad overrides and values are refused', () => {
  assert.throws(() => applyOverrides(defaultConfig(), ['nokey']), /expected key=value/);
  assert.throws(() => applyOverrides(defaultConfig(), ['api.nope=1']), /unknown key 'api.nope'/);
  assert.throws(() => applyOverrides(defaultConfig(), ['priority=loud']), /'priority' must be one of/);
  assert.throws(() => applyOverrides(defaultConfig(), ['api.listen=nowhere']), /HOST:PORT/);
  assert.throws(() => applyOverrides(defaultConfig(), ['webhook_output.enabled=true']), /webhook_output.url/);
});

test('listen addresses', () => {
  assert.deepEqual(parseListen('127.0.0.1:8765'), { host: '127.0.0.1', port: 8765 });
  assert.deepEqual(parseListen('[::1]:80'), { host: '::1', port: 80 });
  assert.equal(parseListen('localhost'), undefined);
  assert.equal(parseListen('h:70000'), undefined);
});
