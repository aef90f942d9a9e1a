/**
 * "No rules file, however broken, makes the loader throw": every prefix of a valid rules file (cut
 * at each line and in the middle of each line), and a few byte-level manglings, load without an
 * exception and either give a rule set or at least one error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFalcoRules } from '../../../src/falco/index.js';

const VALID = readFileSync(join(import.meta.dirname, '../../cases/falco/constructs.yaml'), 'utf8');
const rulesPart = VALID.split('\n---\n# events')[0]!;

function loadsCleanly(text: string): void {
  let result;
  try {
    result = loadFalcoRules([{ name: 'mangled.yaml', text }]);
  } catch (e) {
    assert.fail(`threw on:\n${text}\n${String(e)}`);
  }
  assert.ok(result.ruleset || result.diagnostics.some((d) => d.severity === 'error'));
}

test('truncations at every line and mid-line load without throwing', () => {
  const lines = rulesPart.split('\n');
  for (let i = 0; i <= lines.length; i++) {
    const head = lines.slice(0, i).join('\n');
    loadsCleanly(head);
    const line = lines[i] ?? '';
    loadsCleanly(`${head}\n${line.slice(0, Math.floor(line.length / 2))}`);
  }
});

test('deleted characters, swapped brackets and stray quotes load without throwing', () => {
  const specials = ['(', ')', '"', "'", '[', ']', ':', '-', '%', ',', '\t', '{', '\\'];
  for (let i = 0; i < rulesPart.length; i += 31) {
    loadsCleanly(rulesPart.slice(0, i) + rulesPart.slice(i + 1));
    loadsCleanly(rulesPart.slice(0, i) + specials[i % specials.length] + rulesPart.slice(i));
  }
});

/** Anchors referencing anchors, doubling at each level ("billion laughs"). */
const LAUGHS = `- list: l0\n  items: &l0 [lol, lol]\n${Array.from({ length: 30 }, (_, i) => `- list: l${i + 1}\n  items: &l${i + 1} [*l${i}, *l${i}]\n`).join('')}`;

test('non-YAML and odd inputs', () => {
  for (const text of ['', '\u0000\u0001', '[', '- [', '- {rule: }', '{{{{', '- rule:\n  - a', '- list: x\n  items: [[[', '*alias', '- &a x\n- *a', '---\n---\n', '- macro: m\n  condition: ' + '('.repeat(5000), LAUGHS]) {
    loadsCleanly(text);
  }
});
