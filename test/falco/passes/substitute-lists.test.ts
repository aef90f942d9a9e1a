import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { quoteListItem, substituteLists, type ListDef } from '../../../src/falco/passes/substitute-lists.js';

const shells: ListDef = { name: 'shell_binaries', items: ['bash', 'sh', 'zsh'] };
const spaced: ListDef = { name: 'spaced', items: ['a b', '"quoted x"', "'single y'", 'plain'] };
const empty: ListDef = { name: 'empty_list', items: [] };

function sub(text: string, lists: ListDef[] = [shells, spaced, empty]): string {
  return substituteLists(text, lists).text;
}

describe('substituteLists', () => {
  const cases: [string, string][] = [
    ['proc.name in (shell_binaries)', 'proc.name in ( bash, sh, zsh )'],
    ['proc.name in (shell_binaries, ksh)', 'proc.name in ( bash, sh, zsh , ksh)'],
    ['proc.name in (ksh, shell_binaries)', 'proc.name in (ksh, bash, sh, zsh )'],
    ['shell_binaries', 'bash, sh, zsh '],
    // Delimited by '=' too: a list after '=' is substituted (and then no longer parses as meant).
    ['proc.name=shell_binaries', 'proc.name= bash, sh, zsh '],
    // Not delimited: left alone.
    ['proc.name in (my_shell_binaries)', 'proc.name in (my_shell_binaries)'],
    ['proc.name in (shell_binaries_x)', 'proc.name in (shell_binaries_x)'],
    ['proc.name = "shell_binaries"', 'proc.name = "shell_binaries"'],
    // Inside a quoted string, delimited by blanks: substituted anyway (Falco's pitfall).
    ['proc.cmdline contains "run shell_binaries now"', 'proc.cmdline contains "run bash, sh, zsh now"'],
    // Items with a space are double-quoted unless they already start with a quote.
    ['x in (spaced)', 'x in ( "a b", "quoted x", \'single y\', plain )'],
    // Empty lists remove one neighbouring comma (left first).
    ['x in (a, empty_list)', 'x in (a  )'],
    ['x in (empty_list, a)', 'x in (   a)'],
    ['x in (empty_list)', 'x in (  )'],
    ['x in (a, empty_list, b)', 'x in (a  , b)'],
    // Blanks around the name are consumed and replaced by one space on each side.
    ['x in (\n  shell_binaries\n)', 'x in ( bash, sh, zsh )'],
    // Several occurrences.
    ['a in (shell_binaries) or b in (shell_binaries)', 'a in ( bash, sh, zsh ) or b in ( bash, sh, zsh )'],
  ];
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => assert.equal(sub(input), expected));
  }

  test('lists are applied in definition order, so a later list named in an earlier one is expanded too', () => {
    const outer: ListDef = { name: 'outer', items: ['x', 'inner'] };
    const inner: ListDef = { name: 'inner', items: ['y', 'z'] };
    assert.equal(sub('a in (outer)', [outer, inner]), 'a in ( x, y, z )');
    // The other order leaves the literal item in place.
    assert.equal(sub('a in (outer)', [inner, outer]), 'a in ( x, inner )');
  });

  test('a list name at the start of the text is followed by Falco`s one-character skip', () => {
    // After a substitution at offset 0 the scan resumes one character late.
    assert.equal(sub('shell_binaries shell_binaries'), 'bash, sh, zsh shell_binaries');
  });

  test('undefined list names stay literal', () => {
    assert.equal(sub('proc.name in (no_such_list)'), 'proc.name in (no_such_list)');
  });

  test('reports which lists were used', () => {
    const r = substituteLists('a in (shell_binaries) and b in (empty_list)', [shells, spaced, empty]);
    assert.deepEqual([...r.used].sort(), ['empty_list', 'shell_binaries']);
  });

  test('maps offsets back to the original text', () => {
    const original = 'a in (shell_binaries) and b';
    const r = substituteLists(original, [shells]);
    assert.equal(r.text, 'a in ( bash, sh, zsh ) and b');
    // Copied text before the list maps to itself.
    assert.equal(r.toOriginal(2), 2);
    // Inserted items map to the list name.
    assert.equal(r.toOriginal(r.text.indexOf('zsh')), original.indexOf('shell_binaries'));
    // Text after the list maps to its original place.
    assert.equal(r.toOriginal(r.text.indexOf('b', r.text.indexOf(')'))), original.lastIndexOf('b'));
    assert.equal(r.toOriginal(r.text.length), original.length);
  });

  test('maps through several substitutions', () => {
    const other: ListDef = { name: 'L2', items: ['q'] };
    const original = 'x in (shell_binaries) and y in (L2) and zz';
    const r = substituteLists(original, [shells, other]);
    assert.equal(r.toOriginal(r.text.indexOf('q')), original.indexOf('L2'));
    assert.equal(r.toOriginal(r.text.indexOf('zz')), original.indexOf('zz'));
  });

  test('quoteListItem', () => {
    assert.equal(quoteListItem('a b'), '"a b"');
    assert.equal(quoteListItem('"a b"'), '"a b"');
    assert.equal(quoteListItem("'a b'"), "'a b'");
    assert.equal(quoteListItem('ab'), 'ab');
    assert.equal(quoteListItem(''), '');
  });
});
