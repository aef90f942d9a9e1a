/**
 * Runs the table-driven cases under test/cases/rego/<family>/*.yaml, in OPA's case shape:
 *   cases: [{ note, modules: [text…], data?, input?, query: "data.x.p = x",
 *             want_result: [{ x: value }] (empty list = undefined)
 *           | want_error_code: code, want_error_position?: "line:col" (first module is mod0.rego),
 *           strict_error?: true (compile in strict mode) }]
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { locate } from '../../src/diagnostics/index.js';
import { compileRego, RegoEvalError } from '../../src/rego/index.js';

interface Case {
  note: string;
  modules: string[];
  data?: unknown;
  input?: unknown;
  query: string;
  want_result?: Record<string, unknown>[];
  want_error_code?: string;
  want_error_position?: string;
  /** OPA's flag: compile in strict mode. */
  strict_error?: boolean;
}

const ROOT = 'test/cases/rego';
const QUERY = /^\s*(.+?)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;

function runCase(c: Case): void {
  const sources = c.modules.map((text, i) => ({ name: `mod${i}.rego`, text }));
  const { program, diagnostics } = compileRego(sources, { strict: c.strict_error === true, ...(c.data === undefined ? {} : { data: c.data as never }) });
  const m = QUERY.exec(c.query);
  assert.ok(m, `query must be "REF = var": ${c.query}`);
  if (!program) {
    const first = locate(diagnostics[0]!);
    assert.equal(first.code, c.want_error_code, `unexpected compile error: ${first.file}:${first.line}:${first.col}: ${first.message}`);
    if (c.want_error_position) assert.equal(`${first.line}:${first.col}`, c.want_error_position, first.message);
    return;
  }
  assert.equal(c.want_error_code && !c.want_error_code.startsWith('eval_') ? c.want_error_code : undefined, undefined, 'expected a compile error');
  let value: unknown;
  try {
    value = program.evaluate(m[1]!, c.input);
  } catch (e) {
    if (!(e instanceof RegoEvalError)) throw e;
    assert.equal(e.code, c.want_error_code, e.message);
    return;
  }
  assert.equal(c.want_error_code, undefined, `expected ${c.want_error_code}, got ${JSON.stringify(value)}`);
  const got = value === undefined ? [] : [{ [m[2]!]: value }];
  assert.deepEqual(got, c.want_result ?? []);
}

for (const family of readdirSync(ROOT).sort()) {
  describe(`rego ${family}`, () => {
    for (const file of readdirSync(join(ROOT, family)).filter((f) => f.endsWith('.yaml')).sort()) {
      const doc = parse(readFileSync(join(ROOT, family, file), 'utf8')) as { cases: Case[] };
      for (const c of doc.cases) it(c.note, () => runCase(c));
    }
  });
}
