import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Expr, FieldOperand } from '../../../src/falco/condition/ast.js';
import { parseCondition, parseOperandAt } from '../../../src/falco/condition/parser.js';
import { locate } from '../../../src/diagnostics/index.js';

/** A compact rendering of the AST: and/or/not in prefix form, checks as `field op value`. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${e.kind} ${e.items.map(show).join(' ')})`;
    case 'not':
      return `(not ${show(e.expr)})`;
    case 'macro':
      return e.name;
    case 'check': {
      const left = operand(e.left);
      const mod = e.modifier ? ` ${e.modifier}` : '';
      if (!e.value) return `[${left} ${e.op}]`;
      const v = e.value;
      const right = v.kind === 'string' ? JSON.stringify(v.value) : v.kind === 'list' ? `(${v.items.map((i) => JSON.stringify(i.value)).join(',')})` : `val:${operand(v.operand)}`;
      return `[${left} ${e.op}${mod} ${right}]`;
    }
  }
}

function operand(o: FieldOperand): string {
  if (o.kind === 'field') return o.arg === undefined ? o.name : `${o.name}[${o.arg}]`;
  return `${o.name}(${o.args.map((a) => (a.kind === 'string' ? JSON.stringify(a.value) : operand(a))).join(',')})`;
}

function parsed(text: string): string {
  const r = parseCondition(text);
  assert.deepEqual(r.diagnostics, [], `unexpected error for ${text}: ${r.diagnostics[0]?.message}`);
  return show(r.ast!);
}

const ACCEPTED: [string, string][] = [
  ['a', 'a'],
  ['a or b and c', '(or a (and b c))'],
  ['not a and b', '(and (not a) b)'],
  ['not not a', 'a'],
  ['not (a or b)', '(not (or a b))'],
  ['not(a or b)', '(not (or a b))'],
  ['a and not(b)', '(and a (not b))'],
  ['a and(b)', '(and a b)'],
  ['a or(b)', '(or a b)'],
  ['(a)', 'a'],
  ['a and b and c', '(and a b c)'],
  ['a or b or c', '(or a b c)'],
  ['notable', 'notable'],
  ['evt.type=execve', '[evt.type = "execve"]'],
  ['evt.type = execve', '[evt.type = "execve"]'],
  ['evt.type==execve', '[evt.type == "execve"]'],
  ['proc.name != bash', '[proc.name != "bash"]'],
  ['fd.num>=0', '[fd.num >= "0"]'],
  ['fd.num<=-1', '[fd.num <= "-1"]'],
  ['fd.num < 0x10', '[fd.num < "0x10"]'],
  ['fd.num > 1.5e+3', '[fd.num > "1.5e+3"]'],
  ['proc.name exists', '[proc.name exists]'],
  ['(proc.name exists)', '[proc.name exists]'],
  ['proc.name contains "a b"', '[proc.name contains "a b"]'],
  ["proc.name icontains 'x'", '[proc.name icontains "x"]'],
  ['proc.name startswith /usr', '[proc.name startswith "/usr"]'],
  ['proc.name endswith .sh', '[proc.name endswith ".sh"]'],
  ['proc.name glob /usr/bin/*', '[proc.name glob "/usr/bin/*"]'],
  ['proc.name iglob *SH', '[proc.name iglob "*SH"]'],
  ['proc.name regex "^a.*"', '[proc.name regex "^a.*"]'],
  ['evt.buffer bcontains 7f454c46', '[evt.buffer bcontains "7f454c46"]'],
  ['evt.buffer bstartswith 7f', '[evt.buffer bstartswith "7f"]'],
  ['proc.name in (a, b, "c d")', '[proc.name in ("a","b","c d")]'],
  ['proc.name in(a,b)', '[proc.name in ("a","b")]'],
  ['proc.name in ()', '[proc.name in ()]'],
  ['proc.name in ( )', '[proc.name in ()]'],
  ['proc.name in my_list', '[proc.name in "my_list"]'],
  ['fd.types intersects (ipv4, ipv6)', '[fd.types intersects ("ipv4","ipv6")]'],
  ['fd.name pmatch (/etc, /var/run)', '[fd.name pmatch ("/etc","/var/run")]'],
  ['proc.name = runc:[0:PARENT]', '[proc.name = "runc:[0:PARENT]"]'],
  ['fd.snet = 127.0.0.0/8', '[fd.snet = "127.0.0.0/8"]'],
  ['proc.args = -c', '[proc.args = "-c"]'],
  ['proc.aname[2]=sshd', '[proc.aname[2] = "sshd"]'],
  ['proc.env[HOME] = /root', '[proc.env[HOME] = "/root"]'],
  ['proc.env["A B"] = x', '[proc.env[A B] = "x"]'],
  ['container.mount.dest[/proc*] exists', '[container.mount.dest[/proc*] exists]'],
  ['evt.arg.flags contains O_TRUNC', '[evt.arg.flags contains "O_TRUNC"]'],
  ['tolower(proc.name) = bash', '[tolower(proc.name) = "bash"]'],
  ['toupper(tolower(proc.name)) = BASH', '[toupper(tolower(proc.name)) = "BASH"]'],
  ['proc.name = val(proc.pname)', '[proc.name = val:proc.pname]'],
  ['proc.name = tolower(proc.pname)', '[proc.name = val:tolower(proc.pname)]'],
  ['fd.num > len(proc.name)', '[fd.num > val:len(proc.name)]'],
  ['proc.name in tolower(proc.pname)', '[proc.name in val:tolower(proc.pname)]'],
  ['basename(proc.exepath) = bash', '[basename(proc.exepath) = "bash"]'],
  ['join(",", proc.name, proc.pname) = "a,b"', '[join(",",proc.name,proc.pname) = "a,b"]'],
  ['proc.name startswith oneof (a, b)', '[proc.name startswith oneof ("a","b")]'],
  ['proc.name = anyof(a, b)', '[proc.name = anyof ("a","b")]'],
  ['proc.name contains allof my_list', '[proc.name contains allof "my_list"]'],
  ['proc.name = oneof', '[proc.name = "oneof"]'],
  ['evt.type in (open, openat) and not proc.name in (a, b) or fd.num >= 3', '(or (and [evt.type in ("open","openat")] (not [proc.name in ("a","b")])) [fd.num >= "3"])'],
  ['proc.name = "a\\"b"', '[proc.name = "a\\"b"]'],
  ["proc.name = 'it\\'s'", '[proc.name = "it\'s"]'],
  ['proc.name = "tab\\there"', '[proc.name = "tab\\there"]'],
  ['proc.name = "\\x41\\/"', '[proc.name = "A/"]'],
  ['proc.name = "back\\ slash"', '[proc.name = "back\\\\slash"]'],
];

describe('parser: accepted conditions', () => {
  for (const [text, expected] of ACCEPTED) {
    test(text, () => {
      assert.equal(parsed(text), expected);
    });
  }

  // libsinsp reruns every accepted input with its blanks turned into other blanks.
  for (const blank of ['\n', '\t', '\r\n', '  \n\t ']) {
    test(`every accepted condition parses the same with blanks as ${JSON.stringify(blank)}`, () => {
      for (const [text, expected] of ACCEPTED) {
        if (/["']/.test(text)) continue; // blanks inside quoted strings are values
        assert.equal(parsed(text.replace(/ /g, blank)), expected, text);
      }
    });
  }
});

describe('parser: spans', () => {
  test('checks and macros carry offsets into the text', () => {
    const r = parseCondition('a and proc.name = bash');
    const and = r.ast!;
    assert.equal(and.kind, 'and');
    if (and.kind !== 'and') return;
    assert.deepEqual([and.items[0]!.start, and.items[0]!.end], [0, 1]);
    const check = and.items[1]!;
    assert.equal(check.kind, 'check');
    if (check.kind !== 'check') return;
    assert.deepEqual([check.start, check.opStart, check.end], [6, 16, 22]);
    assert.deepEqual([check.value!.start, check.value!.end], [18, 22]);
  });
});

/** condition → expected `message @line:col` (1-based, into the condition text). */
const REJECTED: [string, string][] = [
  ['', 'filter input string is empty @1:1'],
  ['a b', "unexpected token after 'a', expecting 'or', 'and' @1:3"],
  ['proc.name = bash )', "unexpected token after 'bash', expecting 'or', 'and' @1:18"],
  ['(a', "expected a ')' token @1:3"],
  ['(a and\n  (b or c)', "expected a ')' token @2:11"],
  ['a orx', "expected blank or '(' after 'or' @1:5"],
  ['a andb', "expected blank or '(' after 'and' @1:6"],
  ['not ', "expected a '(' token, a field check, or an identifier @1:5"],
  ['a and', "expected blank or '(' after 'and' @1:6"],
  ['a and ', "expected a '(' token, a field check, or an identifier @1:7"],
  ['a and 123', "expected a '(' token, a field check, or an identifier @1:7"],
  ['proc.name', "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch' @1:10"],
  ['proc.name containsx', "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch' @1:11"],
  ['proc.name < abc', "expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt' @1:13"],
  ['proc.name =', "expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt' @1:12"],
  ['proc.name = (a)', "expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt' @1:13"],
  ['proc.name in', "expected a list, an identifier, or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt' @1:13"],
  ['proc.name in (a,', 'expected a string value @1:17'],
  ['proc.name in (a,,b)', 'expected a string value @1:17'],
  ['proc.name in (a b)', "expected a ')' token @1:17"],
  ['proc.name in (a', "expected a ')' token @1:16"],
  ['proc.name in ("a" "b")', "expected a ')' token @1:19"],
  ['proc.name = "abc', "expected a string value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt' @1:13"],
  ['proc.name = "a\\qb"', "invalid escape sequence '\\q' in quoted string @1:15"],
  ["proc.name = 'a\\\"'", "invalid escape sequence '\\\"' in quoted string @1:15"],
  ['proc.aname[2 = x', "expected a ']' token @1:13"],
  ['proc.aname[] = x', 'expected a valid field argument: a quoted string or a bare string @1:12'],
  ['tolower(proc.name = x', "expected a ')' token closing the transformer @1:19"],
  ['tolower(abc) = x', "expected a field or a nested valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt' @1:9"],
  ['proc.name = val(abc)', "expected a field within 'val' transformer @1:17"],
  ['proc.name = val(proc.pname', "expected a ')' token closing the transformer @1:27"],
  ['a and\n  proc.name <\n  x', "expected a number value or a field with a valid transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt' @3:3"],
];

describe('parser: rejected conditions', () => {
  for (const [text, expected] of REJECTED) {
    test(JSON.stringify(text), () => {
      const r = parseCondition(text);
      assert.equal(r.ast, undefined);
      assert.equal(r.diagnostics.length, 1);
      const d = r.diagnostics[0]!;
      assert.equal(d.code, 'LOAD_ERR_COMPILE_CONDITION');
      assert.equal(d.severity, 'error');
      const at = locate(d);
      assert.equal(`${d.message} @${at.line}:${at.col}`, expected);
    });
  }

  test('nesting deeper than the limit is a diagnostic, not a stack overflow', () => {
    const deep = `${'('.repeat(5000)}a${')'.repeat(5000)}`;
    const r = parseCondition(deep);
    assert.equal(r.diagnostics[0]?.message, 'exceeded max depth limit of 1000');
    const nots = `${'not '.repeat(100000)}a`;
    assert.ok(parseCondition(nots).ast);
  });

  test('moderate nesting is fine', () => {
    assert.ok(parseCondition(`${'('.repeat(150)}a${')'.repeat(150)}`).ast);
  });

  test('never throws on arbitrary input', () => {
    const alphabet = ['a', 'proc.name', ' ', '(', ')', '"', "'", '\\', ',', '=', 'in', 'not', 'and', 'or', '[', ']', 'val(', 'tolower(', '<', '0x', '\n', 'oneof'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 3000; i++) {
      let text = '';
      const len = next() % 20;
      for (let j = 0; j < len; j++) text += alphabet[next() % alphabet.length];
      const r = parseCondition(text);
      assert.ok(r.ast !== undefined || r.diagnostics.length === 1, text);
    }
  });
});

describe('parseOperandAt', () => {
  test('parses a field or transformer prefix and reports where it ends', () => {
    const f = parseOperandAt('x %proc.aname[2]) y', 3);
    assert.ok('operand' in f && f.operand.kind === 'field' && f.end === 16);
    const t = parseOperandAt('%tolower(proc.name)!', 1);
    assert.ok('operand' in t && t.operand.kind === 'transformer' && t.end === 19);
  });

  test('reports what is missing', () => {
    const r = parseOperandAt('%nofield', 1);
    assert.ok('error' in r);
  });
});
