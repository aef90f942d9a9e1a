/**
 * vigil's helpers package (src/signatures/builtin/helpers.rego, data.tracee.helpers, spec 2.5) on the
 * real Rego engine: every function, its undefined and default cases, and get_tracee_argument's conflict.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRego, RegoEvalError } from '../../../src/rego/index.js';
import { embeddedHelpers } from '../../../src/signatures/registry.js';

const { program, diagnostics } = compileRego([
  embeddedHelpers(),
  {
    name: 'uses.rego',
    text: `package t
import data.tracee.helpers
flags := helpers.get_tracee_argument("flags")
from_test := v { v := helpers.get_tracee_argument("flags") with input as {"args": [{"name": "flags", "value": "O_RDWR"}]} }
`,
  },
]);
const helper = (call: string, input?: unknown): unknown => program!.evaluate(`data.tracee.helpers.${call}`, input);
const args = (...list: [string, unknown][]): { args: { name: string; type: string; value: unknown }[] } => ({ args: list.map(([name, value]) => ({ name, type: 'string', value })) });
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).toString('base64');

describe('helpers.rego (data.tracee.helpers)', () => {
  it('compiles', () => assert.deepEqual(diagnostics, []));

  it('get_tracee_argument gives the value of the named argument, from the current input', () => {
    assert.equal(helper('get_tracee_argument("flags")', args(['pathname', '/x'], ['flags', 'O_RDONLY'])), 'O_RDONLY');
    assert.deepEqual(helper('get_tracee_argument("argv")', args(['argv', ['ls', '-l']])), ['ls', '-l']);
    assert.equal(program!.evaluate('data.t.flags', args(['flags', 'O_WRONLY'])), 'O_WRONLY');
    assert.equal(program!.evaluate('data.t.from_test', args(['flags', 'O_WRONLY'])), 'O_RDWR');
  });

  it('get_tracee_argument is undefined without that argument, with null or missing args', () => {
    assert.equal(helper('get_tracee_argument("flags")', args(['pathname', '/x'])), undefined);
    assert.equal(helper('get_tracee_argument("flags")', { args: null }), undefined);
    assert.equal(helper('get_tracee_argument("flags")', {}), undefined);
    assert.equal(helper('get_tracee_argument("flags")', undefined), undefined);
  });

  it('get_tracee_argument: duplicates with equal values are fine, different values are a conflict', () => {
    assert.equal(helper('get_tracee_argument("fd")', args(['fd', 3], ['fd', 3])), 3);
    assert.throws(() => helper('get_tracee_argument("fd")', args(['fd', 3], ['fd', 4])),
      (e: unknown) => e instanceof RegoEvalError && e.code === 'eval_conflict_error' && /functions must not produce multiple outputs/.test(e.message));
  });

  it('is_file_write / is_file_read test the lower-cased flags; false by default and for non-strings', () => {
    for (const [flags, write, read] of [
      ['O_WRONLY|O_CREAT|O_TRUNC', true, false], ['O_RDWR', true, true], ['o_rdwr|o_append', true, true],
      ['O_RDONLY|O_CLOEXEC', false, true], ['', false, false], [2, false, false], [null, false, false],
    ] as const) {
      assert.equal(helper(`is_file_write(${JSON.stringify(flags)})`), write, `is_file_write(${String(flags)})`);
      assert.equal(helper(`is_file_read(${JSON.stringify(flags)})`), read, `is_file_read(${String(flags)})`);
    }
  });

  it('is_elf_file: base64 bytes starting with \\x7fELF; false for other bytes and invalid base64', () => {
    assert.equal(helper(`is_elf_file(${JSON.stringify(ELF)})`), true);
    assert.equal(helper(`is_elf_file(${JSON.stringify(Buffer.from('\x7felf').toString('base64'))})`), true, 'compared lower-cased');
    assert.equal(helper(`is_elf_file(${JSON.stringify(Buffer.from('#!/bin/sh\n').toString('base64'))})`), false);
    assert.equal(helper('is_elf_file("not base64!")'), false);
    assert.equal(helper('is_elf_file("f0VMRg")'), false, 'padding is required');
    assert.equal(helper('is_elf_file(7)'), false);
  });
});
