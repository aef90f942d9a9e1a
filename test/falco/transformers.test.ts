import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvalContext, FieldType, FieldValue } from '../../src/falco/fields/field.js';
import { compileTransformer, type OperandInfo, type TransformerArg } from '../../src/falco/transformers.js';

const ctx = {} as EvalContext;

function constant(value: FieldValue | undefined, type: FieldType = 'charbuf', isList = false): OperandInfo {
  return { extract: () => value, type, isList, text: 'f' };
}

function run(name: Parameters<typeof compileTransformer>[0], ...args: TransformerArg[]): FieldValue | undefined | string {
  const t = compileTransformer(name, args);
  return typeof t === 'string' ? `error: ${t}` : t.extract(ctx);
}

describe('transformers', () => {
  const cases: [string, () => unknown, unknown][] = [
    ['tolower', () => run('tolower', constant('BaSh É')), 'bash É'],
    ['tolower keeps a lowercase value', () => run('tolower', constant('bash')), 'bash'],
    ['toupper', () => run('toupper', constant('bash-1')), 'BASH-1'],
    ['tolower of a missing value', () => run('tolower', constant(undefined)), undefined],
    ['basename', () => run('basename', constant('/usr/bin/bash', 'fspath')), 'bash'],
    ['basename without a slash', () => run('basename', constant('bash')), 'bash'],
    ['basename of a trailing slash', () => run('basename', constant('/usr/bin/')), ''],
    ['b64 decodes', () => run('b64', constant('aGVsbG8=')), 'hello'],
    ['b64 of invalid input is missing', () => run('b64', constant('a$$=')), undefined],
    ['b64 of bytes gives bytes', () => [...(run('b64', constant(new TextEncoder().encode('aGk='), 'bytebuf')) as Uint8Array)], [0x68, 0x69]],
    ['len of a string counts bytes', () => run('len', constant('é')), 2],
    ['len of a list counts items', () => run('len', constant(['a', 'b', 'c'], 'charbuf', true)), 3],
    ['len of bytes', () => run('len', constant(new Uint8Array(4), 'bytebuf')), 4],
    ['join', () => run('join', { literal: ':' }, constant('a'), constant(['b', 'c'], 'charbuf', true)), 'a:b:c'],
    ['join with a missing part is missing', () => run('join', { literal: ':' }, constant('a'), constant(undefined)), undefined],
    ['concat', () => run('concat', constant('a'), { literal: '-' }, constant(7, 'int64')), 'a-7'],
    ['getopt separate', () => run('getopt', constant('nc -e /bin/sh -l'), { literal: 'e' }), '/bin/sh'],
    ['getopt joined', () => run('getopt', constant('nc -e/bin/sh'), { literal: 'e' }), '/bin/sh'],
    ['getopt absent', () => run('getopt', constant('nc -l'), { literal: 'e' }), undefined],
  ];
  for (const [name, got, expected] of cases) test(name, () => assert.deepEqual(got(), expected));

  test('types are checked at compile time', () => {
    assert.equal(run('tolower', constant(1, 'int64')), "error: transformer 'tolower' is not supported on fields of type int64");
    assert.equal(run('basename', constant(['a'], 'charbuf', true)), "error: transformer 'basename' is not supported on fields of type charbuf");
    assert.equal(run('len', constant(true, 'bool')), "error: transformer 'len' is not supported on fields of type bool");
    assert.equal(run('b64', constant('10.0.0.1', 'ipaddr')), "error: transformer 'b64' is not supported on fields of type ipaddr");
    assert.equal(run('join', constant('a')), "error: transformer 'join' needs a separator string as its first argument");
    assert.equal(run('tolower', constant('a'), constant('b')), "error: transformer 'tolower' takes exactly one field");
  });

  test('results carry their type and text', () => {
    const t = compileTransformer('len', [constant('x')]);
    assert.ok(typeof t !== 'string');
    assert.equal(t.type, 'uint64');
    assert.equal(t.text, 'len(f)');
  });
});
