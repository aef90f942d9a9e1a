import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../src/alerts/alert.js';
import { compileOutputFormat, formatLocalTime, formatJsonTime, renderJsonAlert, renderTextAlert, renderValue } from '../../src/falco/output/index.js';
import { createStubBackend, stubContext } from './helpers/stub-backend.js';

const backend = createStubBackend();

function fmt(format: string, fields: Record<string, string | number>): string {
  const r = compileOutputFormat(format, backend.compileOperand);
  assert.ok(r.format, r.error?.message);
  return r.format.format(stubContext(fields));
}

test('fields, literals and <NA> for missing values', () => {
  assert.equal(fmt('user=%user.name cmd=%proc.cmdline', { 'user.name': 'root' }), 'user=root cmd=<NA>');
});

test('tokens are greedy but forgiving', () => {
  assert.equal(fmt('(%proc.name)', { 'proc.name': 'bash' }), '(bash)');
  assert.equal(fmt('%proc.name_suffix', { 'proc.name': 'bash' }), 'bash_suffix');
  assert.equal(fmt('%proc.name.', { 'proc.name': 'bash' }), 'bash.');
  assert.equal(fmt('%proc.name,%fd.name:', { 'proc.name': 'a', 'fd.name': '/x' }), 'a,/x:');
});

test('field arguments', () => {
  assert.equal(fmt('%proc.aname[2]', { 'proc.aname[2]': 'init' }), 'init');
});

test('widths pad and truncate', () => {
  assert.equal(fmt('[%6proc.name]', { 'proc.name': 'ab' }), '[ab    ]');
  assert.equal(fmt('[%2proc.name]', { 'proc.name': 'abcdef' }), '[ab]');
});

test('errors: trailing %, unknown field', () => {
  assert.equal(compileOutputFormat('abc %', backend.compileOperand).error?.message, 'formatting cannot end with a %');
  const r = compileOutputFormat('a %nope.field b', backend.compileOperand);
  assert.match(r.error!.message, /unknown filter: filter_check called with nonexistent field nope.field/);
  assert.equal(r.error!.offset, 2);
});

test('%container.info prints nothing, warns, and adds container fields', () => {
  const r = compileOutputFormat('x %container.info y', backend.compileOperand);
  assert.equal(r.warnings.length, 1);
  const ctx = stubContext({ 'container.id': 'abc', 'container.name': 'web' });
  assert.equal(r.format!.format(ctx), 'x  y');
  assert.deepEqual(r.format!.values(ctx), { 'container.id': 'abc', 'container.name': 'web' });
});

test('a deprecated field in an output warns at its token and still prints', () => {
  const r = compileOutputFormat('d=%evt.dir n=%proc.name', backend.compileOperand);
  assert.deepEqual(r.warnings, [
    { message: "usage of deprecated field 'evt.dir' has been detected in the rule output: only exit events are delivered, so it always prints '<'", offset: 2 },
  ]);
  assert.equal(r.format!.format(stubContext({ 'evt.dir': '<', 'proc.name': 'a' })), 'd=< n=a');
});

test('typed values for JSON', () => {
  const r = compileOutputFormat('%proc.name %proc.tty %fd.name', backend.compileOperand);
  assert.deepEqual(r.format!.values(stubContext({ 'proc.name': 'a', 'proc.tty': 34816 })), { 'proc.name': 'a', 'proc.tty': 34816, 'fd.name': null });
});

test('value rendering', () => {
  assert.equal(renderValue(undefined), '<NA>');
  assert.equal(renderValue(true), 'true');
  assert.equal(renderValue(12n), '12');
  assert.equal(renderValue(['a', 'b']), '(a,b)');
  assert.equal(renderValue(['a', 'b'], false), 'a b');
  assert.equal(renderValue(new Uint8Array([0x41, 0, 0x42])), 'A.B');
});

const TS = 1_700_000_000_123_456_789n; // 2023-11-14T22:13:20.123456789Z

function alert(output: string): Alert {
  return {
    engine: 'falco', rule: 'Terminal shell', priority: 'Notice', priorityNum: 5, source: 'syscall', tags: ['shell', 'T1059'],
    ts: TS, output, fields: { 'proc.name': 'bash', 'proc.tty': 34816, 'fd.name': null }, hostname: 'node-1', rulesetVersion: 1, eventNum: 3,
  };
}

test('text alert line: local time with nanoseconds, canonical priority, JSON escaping pass', () => {
  const local = formatLocalTime(TS);
  assert.match(local, /^\d\d:\d\d:20\.123456789$/);
  const d = new Date(1_700_000_000_123);
  assert.equal(local.slice(0, 5), `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`);
  assert.equal(renderTextAlert(alert('shell "x"\tin\\dir\u001b')), `${local}: Notice shell \\"x\\"\\tin\\\\dir\\u001b`);
});

test('JSON alert as falcosidekick reads it', () => {
  const json = renderJsonAlert(alert('shell in container'));
  assert.equal(
    json,
    `{"hostname":"node-1","output":"${formatLocalTime(TS)}: Notice shell in container","output_fields":{"evt.time":1700000000123456789,"fd.name":null,"proc.name":"bash","proc.tty":34816},"priority":"Notice","rule":"Terminal shell","source":"syscall","tags":["shell","T1059"],"time":"2023-11-14T22:13:20.123456789Z"}`,
  );
  assert.equal(formatJsonTime(TS), '2023-11-14T22:13:20.123456789Z');
  assert.equal(JSON.parse(json).output_fields['proc.name'], 'bash');
});
