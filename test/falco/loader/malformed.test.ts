/**
 * Table of malformed rules files (test/cases/falco/malformed/*.yaml). Each file opens with
 *   # expect: CODE LINE:COL message fragment            (the first error the load must report)
 *   # expect-warning: CODE LINE:COL message fragment    (a warning the load must report, and no error)
 * and optionally `# sources: a,b` for the event sources the engine knows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { locate } from '../../../src/diagnostics/index.js';
import { loadFalcoRules } from '../../../src/falco/index.js';

const DIR = join(import.meta.dirname, '../../cases/falco/malformed');
const EXPECT = /^# (expect|expect-warning): (\w+) (\d+):(\d+) (.*)$/m;
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

test('there are at least 40 malformed files that must fail', () => {
  const errors = files.filter((f) => readFileSync(join(DIR, f), 'utf8').startsWith('# expect:'));
  assert.ok(errors.length >= 40, `only ${errors.length}`);
});

for (const file of files) {
  test(file, () => {
    const text = readFileSync(join(DIR, file), 'utf8');
    const m = EXPECT.exec(text);
    assert.ok(m, 'missing # expect header');
    const [, kind, code, line, col, fragment] = m;
    const sources = /^# sources: (.*)$/m.exec(text)?.[1]?.split(',');
    const result = loadFalcoRules([{ name: file, text }], { sources });
    const located = result.diagnostics.map(locate);
    const errors = located.filter((d) => d.severity === 'error');
    if (kind === 'expect') {
      assert.equal(result.ruleset, undefined);
      const first = errors[0];
      assert.ok(first, 'no error reported');
      assert.deepEqual([first.code, first.file, first.line, first.col], [code, file, Number(line), Number(col)], first.message);
      assert.ok(first.message.includes(fragment!.trim()), `${first.message} does not contain ${fragment}`);
    } else {
      assert.deepEqual(errors, []);
      assert.ok(result.ruleset);
      const hit = located.find((d) => d.code === code && d.line === Number(line) && d.col === Number(col));
      assert.ok(hit, `no ${code} at ${line}:${col} in ${JSON.stringify(located)}`);
      assert.ok(hit.message.includes(fragment!.trim()));
    }
  });
}
