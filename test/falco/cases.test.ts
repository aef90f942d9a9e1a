/** Runs the semantic cases of test/cases/falco/*.yaml through the real loader, state tables and rule set. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locate } from '../../src/diagnostics/index.js';
import { loadFalcoRules } from '../../src/falco/index.js';
import { StateTables } from '../../src/state/index.js';
import { parseSemanticCase } from './helpers/case-events.js';

const DIR = join(import.meta.dirname, '../cases/falco');

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()) {
  const text = readFileSync(join(DIR, file), 'utf8');
  // `# todo: reason` marks a case that documents behaviour another part does not have yet.
  const todo = /^# todo: (.*)$/m.exec(text)?.[1];
  test(file, todo ? { todo } : {}, () => {
    const c = parseSemanticCase(text);
    const loaded = loadFalcoRules([{ name: file, text: c.rules }]);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map(locate);
    assert.deepEqual(errors, []);
    const ruleset = loaded.ruleset!;
    const state = new StateTables({ hostRoot: '/nonexistent' });
    c.events.forEach(({ evt, expect, output, note }, i) => {
      const { thread, fd } = state.apply(evt);
      const alerts = ruleset.evaluate({ evt, num: i + 1, thread, fd, state, epoch: i + 1 });
      state.finish(evt);
      const where = `event #${i + 1} (${evt.name} pid ${evt.pid}${note ? `: ${note}` : ''})`;
      assert.deepEqual(alerts.map((a) => a.rule), expect, where);
      if (output !== undefined) assert.equal(alerts[0]?.output, output, where);
    });
  });
}
