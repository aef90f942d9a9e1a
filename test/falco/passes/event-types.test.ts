import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCondition } from '../../../src/falco/condition/parser.js';
import { standaloneLocation } from '../../../src/falco/condition/location.js';
import { eventTypes, matchesTooManyEventTypes } from '../../../src/falco/passes/event-types.js';
import { createMacroResolver, macroTable } from '../../../src/falco/passes/resolve-macros.js';
import { KNOWN_EVENT_NAMES } from '../../../src/events/event-table.js';

function types(text: string, macros: Record<string, string> = {}): 'all' | string[] {
  const defs = Object.entries(macros).map(([name, t]) => ({ name, ast: parseCondition(t).ast!, location: standaloneLocation(t) }));
  const expr = createMacroResolver(macroTable(defs)).resolve(parseCondition(text).ast!, undefined, standaloneLocation(text)).expr!;
  const r = eventTypes(expr);
  return r === 'all' ? 'all' : [...r].sort();
}

function complementSize(text: string): number {
  const r = types(text);
  assert.notEqual(r, 'all');
  return KNOWN_EVENT_NAMES.size - (r as string[]).length;
}

describe('eventTypes', () => {
  const cases: [string, 'all' | string[]][] = [
    ['evt.type = open', ['open']],
    ['evt.type == open', ['open']],
    ['evt.type in (open, openat)', ['open', 'openat']],
    ['evt.type intersects (open, openat)', ['open', 'openat']],
    ['evt.type in ()', []],
    ['evt.type = open and proc.name = x', ['open']],
    ['evt.type = open or evt.type = close', ['close', 'open']],
    ['evt.type in (open, close) and evt.type in (close, read)', ['close']],
    ['evt.type = open and evt.type = close', []],
    ['proc.name = x', 'all'],
    ['evt.type = open or proc.name = x', 'all'],
    ['not (evt.type = open and proc.name = x)', 'all'],
    ['not not evt.type = open', ['open']],
    ['evt.type startswith open', 'all'],
    ['evt.type exists', 'all'],
    ['tolower(evt.type) = open', 'all'],
    ['(evt.type = open or evt.type = openat) and not proc.name = x', ['open', 'openat']],
    ['spawned_process and proc.name = x', ['execve', 'execveat']],
    ['never_true', []],
  ];
  const macros = { spawned_process: 'evt.type in (execve, execveat)', never_true: 'evt.num = 0 and evt.type in ()' };
  for (const [text, expected] of cases) {
    test(text, () => assert.deepEqual(types(text, macros), expected));
  }

  test('negations complement against every known event name', () => {
    assert.equal(complementSize('not evt.type = open'), 1);
    assert.equal(complementSize('evt.type != open'), 1);
    assert.equal(complementSize('not evt.type in (open, close)'), 2);
    assert.equal(complementSize('not evt.type = open and not evt.type = close'), 2);
    assert.deepEqual(types('not evt.type != open'), ['open']);
  });

  test('LOAD_NO_EVTTYPE threshold: more than 100 types, an empty set does not count', () => {
    assert.equal(matchesTooManyEventTypes('all'), true);
    assert.equal(matchesTooManyEventTypes(new Set(['open'])), false);
    assert.equal(matchesTooManyEventTypes(new Set()), false);
    const many = new Set(Array.from({ length: 101 }, (_, i) => `e${i}`));
    assert.equal(matchesTooManyEventTypes(many), true);
  });
});
