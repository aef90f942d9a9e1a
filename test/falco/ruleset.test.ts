import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFalcoRules } from '../../src/falco/index.js';
import type { RulesetOptions } from '../../src/falco/ruleset.js';
import { eventByName } from '../../src/events/event-table.js';
import { createStubBackend, stubContext } from './helpers/stub-backend.js';

const rule = (name: string, cond: string, priority = 'WARNING', extra = '') =>
  `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: "${name} %proc.name"\n  priority: ${priority}\n  warn_evttypes: false\n${extra}`;

const RULES =
  rule('any_bash', 'proc.name = bash', 'NOTICE') +
  rule('open_bash', 'evt.type in (open, openat) and proc.name = bash', 'CRITICAL') +
  rule('exec_bash', 'evt.type = execve and proc.name = bash', 'INFO') +
  rule('open_any', 'evt.type = openat', 'DEBUG') +
  rule('off', 'evt.type = openat', 'ERROR', '  enabled: false\n');

function ruleset(options: RulesetOptions = {}) {
  const r = loadFalcoRules([{ name: 'r.yaml', text: RULES }], { backend: createStubBackend(), ...options });
  assert.ok(r.ruleset, JSON.stringify(r.diagnostics.map((d) => d.message)));
  return r.ruleset;
}

const names = (alerts: readonly { rule: string }[]) => alerts.map((a) => a.rule);

test('rules are indexed by event type; type-agnostic rules come after the typed ones', () => {
  const rs = ruleset();
  assert.deepEqual(rs.rulesFor(eventByName('openat')!.id).map((r) => r.name), ['open_bash', 'open_any', 'any_bash']);
  assert.deepEqual(rs.rulesFor(eventByName('execve')!.id).map((r) => r.name), ['exec_bash', 'any_bash']);
  assert.deepEqual(rs.rulesFor(eventByName('connect')!.id).map((r) => r.name), ['any_bash']);
});

test('rule_matching all gives every matching rule, first stops at the first', () => {
  const ctx = () => stubContext({ 'evt.type': 'openat', 'proc.name': 'bash' });
  assert.deepEqual(names(ruleset().evaluate(ctx())), ['open_bash', 'open_any', 'any_bash']);
  assert.deepEqual(names(ruleset({ ruleMatching: 'first' }).evaluate(ctx())), ['open_bash']);
});

test('minimum priority drops less severe rules', () => {
  const rs = ruleset({ minPriority: 5 });
  assert.deepEqual(names(rs.evaluate(stubContext({ 'evt.type': 'openat', 'proc.name': 'bash' }))), ['open_bash', 'any_bash']);
  rs.setMinPriority(2);
  assert.deepEqual(names(rs.evaluate(stubContext({ 'evt.type': 'openat', 'proc.name': 'bash' }))), ['open_bash']);
});

test('enable and disable at run time; a rule enabled later goes to the end of its bucket', () => {
  const rs = ruleset();
  assert.equal(rs.isEnabled('off'), false);
  assert.equal(rs.setEnabled('off', true), true);
  assert.deepEqual(names(rs.evaluate(stubContext({ 'evt.type': 'openat', 'proc.name': 'bash' }))), ['open_bash', 'open_any', 'off', 'any_bash']);
  rs.setEnabled('open_bash', false);
  assert.deepEqual(names(rs.evaluate(stubContext({ 'evt.type': 'openat', 'proc.name': 'bash' }))), ['open_any', 'off', 'any_bash']);
  assert.equal(rs.setEnabled('nope', true), false);
});

test('alerts carry what outputs need', () => {
  const rs = ruleset({ hostname: 'h1', version: 7 });
  const ctx = stubContext({ 'evt.type': 'execve', 'proc.name': 'bash' }, 5n);
  const [a] = rs.evaluate(ctx);
  assert.deepEqual(
    { ...a, fields: { ...a!.fields } },
    {
      engine: 'falco', rule: 'exec_bash', priority: 'Informational', priorityNum: 6, source: 'syscall', tags: [], ts: 5n,
      output: 'exec_bash bash', fields: { 'proc.name': 'bash' }, hostname: 'h1', rulesetVersion: 7, eventNum: ctx.num,
    },
  );
});

test('no match allocates nothing new', () => {
  const rs = ruleset();
  const a = rs.evaluate(stubContext({ 'evt.type': 'close', 'proc.name': 'vim' }));
  const b = rs.evaluate(stubContext({ 'evt.type': 'open', 'proc.name': 'vim' }));
  assert.equal(a, b);
  assert.equal(a.length, 0);
});

test('a rule whose closure throws is counted and skipped', () => {
  const rs = ruleset();
  const ctx = stubContext({ 'evt.type': 'execve', 'proc.name': 'bash' });
  Object.defineProperty(ctx.evt.args, 'proc.name', { get() { throw new Error('boom'); } });
  assert.deepEqual(names(rs.evaluate(ctx)), []);
  assert.equal(rs.errors.get('exec_bash'), 1);
});
