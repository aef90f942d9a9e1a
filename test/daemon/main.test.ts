/** Reload triggers besides the API: SIGHUP, and opt-in watching of the rules files. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { startTestDaemon } from './helpers.js';

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

test('SIGHUP reloads the rules', async () => {
  const t = await startTestDaemon('A: openat\n');
  try {
    await writeFile(t.rulesFile, 'B: openat\n');
    process.kill(process.pid, 'SIGHUP');
    await until(() => t.daemon.rules.currentVersion === 2);
    assert.deepEqual(t.daemon.rules.rules().map((r) => r.name), ['B']);
    assert.equal(t.daemon.rules.reloadHistory().at(-1)!.trigger, 'SIGHUP');
  } finally {
    await t.daemon.stop();
  }
});

test('with watch_rules, editing a rules file reloads it; a broken edit is refused', async () => {
  const t = await startTestDaemon('A: openat\n', ['watch_rules=true']);
  try {
    await writeFile(t.rulesFile, 'C: execve\n');
    await until(() => t.daemon.rules.currentVersion === 2);
    assert.deepEqual(t.daemon.rules.rules().map((r) => r.name), ['C']);
    await writeFile(t.rulesFile, '!broken\n');
    await until(() => t.daemon.rules.reloadHistory().some((r) => !r.ok));
    assert.equal(t.daemon.rules.currentVersion, 2);
  } finally {
    await t.daemon.stop();
  }
});
