import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCompiler } from '../../src/falco/compiler.js';
import type { FieldOperand } from '../../src/falco/condition/ast.js';
import { parseCondition } from '../../src/falco/condition/parser.js';
import { SourceText } from '../../src/diagnostics/index.js';
import { contextOf, extractions, fakeResolver } from './fixtures/condition-fields.js';
import { compile, evaluate, firstError, warnings } from './fixtures/condition-harness.js';

describe('compiler: the null rule', () => {
  // Every operator on a field with no value is false; `not` makes it true; only `exists` differs.
  const checks = [
    'proc.name = bash',
    'proc.name == bash',
    'proc.name != bash',
    'proc.name contains a',
    'proc.name icontains a',
    'proc.name startswith a',
    'proc.name endswith a',
    'proc.name glob "*"',
    'proc.name iglob "*"',
    'proc.name regex ".*"',
    'proc.name in (a, b)',
    'proc.name intersects (a, b)',
    'proc.name pmatch (/)',
    'proc.name < 5',
    'proc.name >= 5',
    'proc.name startswith anyof (a, b)',
    'proc.name = val(proc.pname)',
    'tolower(proc.name) = a',
    'fd.num = 3',
    'fd.num != 3',
    'fd.num < 3',
    'fd.num in (1, 2)',
    'container.privileged = true',
    'container.privileged != true',
    'fd.sip = 10.0.0.1',
    'fd.sip != 10.0.0.1',
    'fd.snet = 10.0.0.0/8',
    'fd.snet != 10.0.0.0/8',
    'evt.buffer bcontains 41',
    'evt.buffer != x',
    'fd.types in (ipv4)',
    'fd.types intersects (ipv4)',
    'fd.ip = 10.0.0.1',
    'fd.ip != 10.0.0.1',
    'fd.port in (22, ssh)',
    'len(proc.name) > 0',
  ];
  for (const check of checks) {
    test(check, () => {
      const field = check.match(/[a-z]+\.[a-z_.]+/)![0];
      assert.equal(evaluate(check, { [field]: undefined, 'proc.pname': 'x' }), false);
      assert.equal(evaluate(`not ${check}`, { [field]: undefined, 'proc.pname': 'x' }), true);
    });
  }

  test('exists is the one test of presence', () => {
    assert.equal(evaluate('proc.pname exists', {}), false);
    assert.equal(evaluate('not proc.pname exists', {}), true);
    assert.equal(evaluate('proc.pname exists', { 'proc.pname': '' }), true);
  });

  test('val(): a missing right-hand side is false too', () => {
    assert.equal(evaluate('proc.name = val(proc.pname)', { 'proc.name': 'a' }), false);
    assert.equal(evaluate('proc.name != val(proc.pname)', { 'proc.name': 'a' }), false);
  });

  test('spec 8.1: not proc.pname = sshd is true without a parent, proc.pname != sshd is false', () => {
    assert.equal(evaluate('not proc.pname = sshd', {}), true);
    assert.equal(evaluate('proc.pname != sshd', {}), false);
  });
});

describe('compiler: boolean structure', () => {
  const values = (a: boolean, b: boolean, c: boolean) => ({ 'proc.name': a ? 'a' : '-', 'proc.pname': b ? 'b' : '-', 'proc.cmdline': c ? 'c' : '-' });
  const A = 'proc.name = a';
  const B = 'proc.pname = b';
  const C = 'proc.cmdline = c';
  for (const [a, b, c] of [[true, false, false], [false, true, false], [false, false, true], [false, true, true], [true, true, true]] as const) {
    test(`a=${a} b=${b} c=${c}`, () => {
      const v = values(a, b, c);
      assert.equal(evaluate(`${A} or ${B} and ${C}`, v), a || (b && c));
      assert.equal(evaluate(`not ${A} and ${B}`, v), !a && b);
      assert.equal(evaluate(`not (${A} and ${B})`, v), !(a && b));
      assert.equal(evaluate(`not(${A}) and ${B}`, v), !a && b);
      assert.equal(evaluate(`${A} and ${B} and ${C} and ${A}`, v), a && b && c);
      assert.equal(evaluate(`${A} or ${B} or ${C} or ${A}`, v), a || b || c);
    });
  }

  test('a macro keeps its grouping: m and c with m = a or b', () => {
    const macros = { m: 'proc.name = a or proc.pname = b' };
    assert.equal(evaluate('m and proc.cmdline = c', { 'proc.name': 'a', 'proc.pname': '-', 'proc.cmdline': '-' }, macros), false);
    assert.equal(evaluate('m and proc.cmdline = c', { 'proc.name': 'a', 'proc.pname': '-', 'proc.cmdline': 'c' }, macros), true);
  });

  test('and/or short-circuit left to right', () => {
    extractions.clear();
    evaluate('proc.name = x and proc.pname = y', { 'proc.name': 'no' });
    assert.equal(extractions.get('proc.pname'), undefined);
    evaluate('proc.name = no or proc.pname = y', { 'proc.name': 'no' });
    assert.equal(extractions.get('proc.pname'), undefined);
  });
});

describe('compiler: values by type', () => {
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['fd.num >= 0', { 'fd.num': 0 }, true],
    ['fd.num >= 0', { 'fd.num': -1 }, false],
    ['fd.num = -1', { 'fd.num': -1 }, true],
    ['fd.num = 0x10', { 'fd.num': 16 }, true],
    ['fd.num in (1, 2, 3)', { 'fd.num': 2 }, true],
    ['fd.num intersects (1, 2, 3)', { 'fd.num': 4 }, false],
    ['proc.tty != 0', { 'proc.tty': 34816 }, true],
    ['proc.tty != 0', { 'proc.tty': 0 }, false],
    ['evt.rawtime > 1700000000000000000', { 'evt.rawtime': 1800000000000000000n }, true],
    ['evt.rawtime = 5', { 'evt.rawtime': 5n }, true],
    ['fd.sport in (22, ssh)', { 'fd.sport': 22 }, true],
    ['fd.sport = https', { 'fd.sport': 443 }, true],
    ['fd.sport = http', { 'fd.sport': 443 }, false],
    ['container.privileged = true', { 'container.privileged': true }, true],
    ['container.privileged = false', { 'container.privileged': true }, false],
    ['container.privileged != false', { 'container.privileged': true }, true],
    ['container.privileged in (true)', { 'container.privileged': true }, true],
    ['fd.sip = 10.0.0.1', { 'fd.sip': '10.0.0.1' }, true],
    ['fd.sip = 10.0.0.1', { 'fd.sip': '10.0.0.2' }, false],
    ['fd.sip in (10.0.0.1, "::1")', { 'fd.sip': '::1' }, true],
    ['fd.sip = "::ffff:10.0.0.1"', { 'fd.sip': '10.0.0.1' }, true],
    ['fd.snet = 10.0.0.0/8', { 'fd.snet': '10.1.2.3' }, true],
    ['fd.snet = 10.0.0.0/8', { 'fd.snet': '11.1.2.3' }, false],
    ['fd.snet in (192.168.0.0/16, 127.0.0.0/8)', { 'fd.snet': '127.0.0.1' }, true],
    ['fd.snet != 10.0.0.0/8', { 'fd.snet': '11.0.0.1' }, true],
    ['fd.snet = "fd00::/8"', { 'fd.snet': 'fd12::1' }, true],
    ['evt.res startswith E', { 'evt.res': 'ENOENT' }, true],
    ['evt.res = EINPROGRESS', { 'evt.res': 'SUCCESS' }, false],
    ['proc.name > 5', { 'proc.name': 'abc' }, true], // strcmp order on strings
    ['proc.name < 5', { 'proc.name': '10' }, true],
    ['evt.buffer bcontains 454c46', { 'evt.buffer': new Uint8Array([0x7f, 0x45, 0x4c, 0x46]) }, true],
    ['evt.buffer bstartswith 7f45', { 'evt.buffer': new Uint8Array([0x7f, 0x45, 0x4c, 0x46]) }, true],
    ['evt.buffer bstartswith 45', { 'evt.buffer': new Uint8Array([0x7f, 0x45]) }, false],
    ['evt.buffer contains EL', { 'evt.buffer': new Uint8Array([0x7f, 0x45, 0x4c, 0x46]) }, true],
    ['evt.buffer = ab', { 'evt.buffer': new TextEncoder().encode('ab') }, true],
    ['proc.duration > 1000', { 'proc.duration': 2000 }, true],
  ];
  for (const [condition, values, expected] of cases) {
    test(`${condition} on ${JSON.stringify(values, (_, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v))}`, () => {
      assert.equal(evaluate(condition, values as never), expected);
    });
  }
});

describe('compiler: values with quotes, backslashes and line breaks', () => {
  const odd = ['a"b', "it's", 'back\\slash', 'line\nbreak', '\u2028', '${x}', '`tick`', '*/ //'];
  for (const value of odd) {
    test(JSON.stringify(value), () => {
      const quoted = `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
      for (const op of ['=', '!=', 'startswith', 'endswith', 'contains']) {
        const expected = op === '!=' ? false : true;
        assert.equal(evaluate(`proc.name ${op} ${quoted}`, { 'proc.name': value }), expected, `${op} ${quoted}`);
      }
      assert.equal(evaluate(`proc.name in (${quoted}, other)`, { 'proc.name': value }), true);
    });
  }
});

describe('compiler: list fields and endpoint fields', () => {
  test('in: every value of a list field is in the set (vacuously true when empty)', () => {
    assert.equal(evaluate('fd.types in (ipv4, ipv6)', { 'fd.types': ['ipv4', 'ipv6'] }), true);
    assert.equal(evaluate('fd.types in (ipv4, ipv6)', { 'fd.types': ['ipv4', 'file'] }), false);
    assert.equal(evaluate('fd.types in (ipv4)', { 'fd.types': [] }), true);
  });

  test('intersects: any value of a list field is in the set', () => {
    assert.equal(evaluate('fd.types intersects (ipv4, ipv6)', { 'fd.types': ['file', 'ipv6'] }), true);
    assert.equal(evaluate('fd.types intersects (ipv4)', { 'fd.types': ['file'] }), false);
    assert.equal(evaluate('fd.types intersects (ipv4)', { 'fd.types': [] }), false);
  });

  test('fd.ip / fd.net / fd.port: = and in match either endpoint, != neither', () => {
    const v = { 'fd.ip': ['10.0.0.1', '10.0.0.2'], 'fd.net': ['10.0.0.1', '192.168.1.1'], 'fd.port': [40000, 22] };
    assert.equal(evaluate('fd.ip = 10.0.0.2', v), true);
    assert.equal(evaluate('fd.ip = 10.0.0.1', v), true);
    assert.equal(evaluate('fd.ip = 10.0.0.3', v), false);
    assert.equal(evaluate('fd.ip in (10.0.0.3, 10.0.0.1)', v), true);
    assert.equal(evaluate('fd.ip != 10.0.0.1', v), false);
    assert.equal(evaluate('fd.ip != 10.0.0.3', v), true);
    assert.equal(evaluate('fd.net = 192.168.0.0/16', v), true);
    assert.equal(evaluate('fd.net != 192.168.0.0/16', v), false);
    assert.equal(evaluate('fd.port = ssh', v), true);
    assert.equal(evaluate('fd.port != 22', v), false);
    assert.equal(evaluate('fd.port > 30000', v), true);
  });

  test('other filter-only multi-value fields match when any value does, != included', () => {
    const v = { 'proc.anames': ['bash', 'sshd', 'systemd'] };
    assert.equal(evaluate('proc.anames = sshd', v), true);
    assert.equal(evaluate('proc.anames in (nginx, systemd)', v), true);
    assert.equal(evaluate('proc.anames = nginx', v), false);
    // Some ancestor is not bash (libs' any-ancestor compare), unlike the endpoint fields.
    assert.equal(evaluate('proc.anames != bash', v), true);
    assert.equal(evaluate('proc.anames != bash', { 'proc.anames': ['bash'] }), false);
    assert.equal(evaluate('proc.anames startswith sys', v), true);
    assert.equal(evaluate('proc.anames = sshd', { 'proc.anames': [] }), false);
    assert.equal(evaluate('not proc.anames = sshd', { 'proc.anames': [] }), true);
  });
});

describe('compiler: field comparisons and transformers', () => {
  test('val() compares with another field of the same type', () => {
    assert.equal(evaluate('proc.name = val(proc.pname)', { 'proc.name': 'a', 'proc.pname': 'a' }), true);
    assert.equal(evaluate('proc.name != val(proc.pname)', { 'proc.name': 'a', 'proc.pname': 'b' }), true);
    assert.equal(evaluate('proc.cmdline contains val(proc.name)', { 'proc.cmdline': 'bash -c', 'proc.name': 'bash' }), true);
    assert.equal(evaluate('proc.cmdline glob val(proc.name)', { 'proc.cmdline': 'bash -c', 'proc.name': 'bash*' }), true);
    assert.equal(evaluate('fd.num < val(proc.pid)', { 'fd.num': 3, 'proc.pid': 10 }), true);
    assert.equal(evaluate('fd.sip = val(fd.cip)', { 'fd.sip': '10.0.0.1', 'fd.cip': '10.0.0.1' }), true);
  });

  test('transformers on either side', () => {
    assert.equal(evaluate('tolower(proc.name) = bash', { 'proc.name': 'BaSh' }), true);
    assert.equal(evaluate('toupper(proc.name) = BASH', { 'proc.name': 'bash' }), true);
    assert.equal(evaluate('proc.name = tolower(proc.pname)', { 'proc.name': 'bash', 'proc.pname': 'BASH' }), true);
    assert.equal(evaluate('basename(proc.exepath) = bash', { 'proc.exepath': '/usr/bin/bash' }), true);
    assert.equal(evaluate('len(proc.name) = 4', { 'proc.name': 'bash' }), true);
    assert.equal(evaluate('len(fd.types) = 2', { 'fd.types': ['a', 'b'] }), true);
    assert.equal(evaluate('b64(proc.cmdline) = hello', { 'proc.cmdline': 'aGVsbG8=' }), true);
    assert.equal(evaluate('b64(proc.cmdline) exists', { 'proc.cmdline': 'not base64!' }), false);
    assert.equal(evaluate('toupper(tolower(proc.name)) = BASH', { 'proc.name': 'BaSh' }), true);
    assert.equal(evaluate('evt.num < len(proc.name)', { 'evt.num': 3, 'proc.name': 'bash' }), true);
  });
});

describe('compiler: modifiers', () => {
  const v = { 'proc.cmdline': 'curl http://x | sh' };
  test('anyof / allof / oneof', () => {
    assert.equal(evaluate('proc.cmdline contains anyof (wget, curl)', v), true);
    assert.equal(evaluate('proc.cmdline contains allof (curl, sh)', v), true);
    assert.equal(evaluate('proc.cmdline contains allof (curl, wget)', v), false);
    assert.equal(evaluate('proc.cmdline contains oneof (curl, wget)', v), true);
    assert.equal(evaluate('proc.cmdline contains oneof (curl, sh)', v), false);
    assert.equal(evaluate('proc.cmdline startswith anyof (curl, wget)', v), true);
    assert.equal(evaluate('proc.cmdline != allof (a, b)', v), true);
  });
});

/** condition → `CODE message @line:col` of the first error. */
const REJECTED: [string, string][] = [
  ['proc.nme = x', 'LOAD_ERR_COMPILE_CONDITION filter_check called with nonexistent field proc.nme @1:1'],
  ['proc.name = a and\n  no.such = 1', 'LOAD_ERR_COMPILE_CONDITION filter_check called with nonexistent field no.such @2:3'],
  ['evt.type = opne', 'LOAD_ERR_COMPILE_CONDITION unknown event type opne @1:12'],
  ['evt.type in (open, nope, close)', 'LOAD_ERR_COMPILE_CONDITION unknown event type nope @1:20'],
  ['fd.num contains 3', "LOAD_ERR_COMPILE_CONDITION 'contains' operator not supported for numeric filters @1:8"],
  ['fd.num pmatch (/x)', "LOAD_ERR_COMPILE_CONDITION 'pmatch' operator not supported for numeric filters @1:8"],
  ['container.privileged > 1', "LOAD_ERR_COMPILE_CONDITION '>' operator not supported for boolean filters @1:22"],
  ['fd.sip startswith 10', "LOAD_ERR_COMPILE_CONDITION 'startswith' operator not supported for IP address filters @1:8"],
  ['fd.snet glob 10*', "LOAD_ERR_COMPILE_CONDITION 'glob' operator not supported for IP network filters @1:9"],
  ['proc.name bcontains 41', "LOAD_ERR_COMPILE_CONDITION 'bcontains' operator not supported for string filters @1:11"],
  ['evt.buffer icontains a', "LOAD_ERR_COMPILE_CONDITION 'icontains' operator not supported for buffer filters @1:12"],
  ['fd.types = ipv4', "LOAD_ERR_COMPILE_CONDITION '=' operator not supported for list filters @1:10"],
  ['fd.num = abc', 'LOAD_ERR_COMPILE_CONDITION abc is not a valid number @1:10'],
  ['fd.num in (1, x)', 'LOAD_ERR_COMPILE_CONDITION x is not a valid number @1:15'],
  ['proc.tty = -1', 'LOAD_ERR_COMPILE_CONDITION -1 is not a valid number @1:12'],
  ['fd.num = 1.5', 'LOAD_ERR_COMPILE_CONDITION 1.5 is not a valid number @1:10'],
  ['fd.sport = nosuchservice', 'LOAD_ERR_COMPILE_CONDITION nosuchservice is not a valid number @1:12'],
  ['container.privileged = True', 'LOAD_ERR_COMPILE_CONDITION True is not a valid boolean: expected true or false @1:24'],
  ['fd.sip = 10.0.0', 'LOAD_ERR_COMPILE_CONDITION 10.0.0 is not a valid IP address @1:10'],
  ['fd.snet = 10.0.0.1', 'LOAD_ERR_COMPILE_CONDITION 10.0.0.1 is not a valid network: expected address/length @1:11'],
  ['fd.snet = 10.0.0.0/33', 'LOAD_ERR_COMPILE_CONDITION 10.0.0.0/33 is not a valid network @1:11'],
  ['evt.buffer bcontains 4g', 'LOAD_ERR_COMPILE_CONDITION 4g is not a valid hex string @1:22'],
  ['proc.name regex "a(b"', "LOAD_ERR_COMPILE_CONDITION invalid regular expression 'a(b': Unterminated group @1:17"],
  ['proc.name regex "(a)\\\\1"', "LOAD_ERR_COMPILE_CONDITION invalid regular expression '(a)\\1': Cannot be executed in linear time @1:17"],
  ['proc.name = val(fd.num)', 'LOAD_ERR_COMPILE_CONDITION field types do not match: proc.name is charbuf, fd.num is int64 @1:13'],
  ['proc.name = val(proc.aname[1])', "LOAD_ERR_COMPILE_CONDITION field 'proc.aname[1]' cannot be used on the right-hand side of a comparison @1:13"],
  ['proc.name pmatch val(proc.pname)', "LOAD_ERR_COMPILE_CONDITION 'pmatch' operator does not accept a field on the right-hand side @1:11"],
  ['tolower(fd.num) = 1', "LOAD_ERR_COMPILE_CONDITION transformer 'tolower' is not supported on fields of type int64 @1:1"],
  ['tolower(proc.aname[1]) = a', "LOAD_ERR_COMPILE_CONDITION field 'proc.aname[1]' does not support transformers @1:1"],
  ['proc.aname[x] = a', 'LOAD_ERR_COMPILE_CONDITION proc.aname index must be a number @1:1'],
  ['a_macro', "LOAD_ERR_VALIDATE Undefined macro 'a_macro' used in filter. @1:1"],
  ['m', 'LOAD_ERR_COMPILE_CONDITION filter_check called with nonexistent field bad.field @1:1'],
];

describe('compiler: rejected conditions', () => {
  for (const [condition, expected] of REJECTED) {
    test(JSON.stringify(condition), () => {
      assert.equal(firstError(condition, { m: 'bad.field = 1' }), expected);
    });
  }

  test('an error inside a macro points into the macro', () => {
    const d = compile('m', { m: 'proc.name = a and bad.field = 1' }).diagnostics[0]!;
    assert.equal(d.span?.source.name, 'macro m');
    assert.equal(d.span?.start, 18);
  });
});

describe('compiler: robustness', () => {
  test('a field binding that throws becomes a diagnostic', () => {
    const compiler = createCompiler({
      resolve: (name) => ({ name, type: 'charbuf', desc: '', arg: 'none', state: 'E', bind: () => { throw new Error('boom'); } }),
    });
    const expr = parseCondition('x.y = 1').ast!;
    const r = compiler.compileCondition(expr, { source: new SourceText('t', 'x.y = 1') });
    assert.equal(r.matches, undefined);
    assert.equal(r.diagnostics[0]?.message, 'internal error compiling the condition: boom');
  });
});

describe('compiler: random conditions', () => {
  test('compile to a function or diagnostics, and the function never throws on sparse events', () => {
    const checks = [
      'proc.name = a', 'proc.name in (a, b)', 'fd.num > 3', 'fd.sip = 10.0.0.1', 'fd.snet in (10.0.0.0/8)',
      'container.privileged = true', 'fd.types intersects (ipv4)', 'fd.ip != 10.0.0.1', 'proc.name glob "a*"',
      'proc.name regex "a+"', 'tolower(proc.name) = a', 'proc.name = val(proc.pname)', 'evt.buffer bcontains 41',
      'proc.name icontains oneof (a, b)', 'fd.name pmatch (/etc)', 'len(proc.name) > 1', 'fd.num = x', 'no.field = 1',
      'evt.type = nope', 'm1', 'm2', 'proc.anames != a',
    ];
    const glue = [' and ', ' or ', ' and not ', ' or not '];
    const macros = { m1: 'proc.name = a or fd.num < 0', m2: 'not m1 and proc.pname exists' };
    const events = [{}, { 'proc.name': 'a' }, { 'proc.name': 'A', 'proc.pname': 'a', 'fd.num': 5, 'fd.sip': '10.0.0.1', 'fd.snet': '10.1.1.1', 'fd.types': [], 'fd.ip': [], 'evt.buffer': new Uint8Array([0x41]), 'fd.name': '/etc/x', 'proc.anames': ['a', 'b'] }];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    let compiled = 0;
    for (let i = 0; i < 400; i++) {
      let text = checks[next() % checks.length]!;
      for (let j = next() % 4; j > 0; j--) text += glue[next() % glue.length]! + checks[next() % checks.length]!;
      if (next() % 3 === 0) text = `not (${text})`;
      const r = compile(text, macros);
      assert.ok(r.matches !== undefined || r.diagnostics.some((d) => d.severity === 'error'), text);
      if (!r.matches) continue;
      compiled++;
      for (const values of events) assert.equal(typeof r.matches(contextOf(values as never)), 'boolean', text);
    }
    assert.ok(compiled > 50);
  });
});

describe('compiler: warnings', () => {
  const cases: [string, string[]][] = [
    ['proc.name regex bash', ["LOAD_COMPILE_CONDITION regex check with 'bash' may be optimized by using the '=' operator @1:17"]],
    ['proc.name regex "ba.*"', ["LOAD_COMPILE_CONDITION regex check with 'ba.*' may be optimized by using the 'startswith' operator @1:17"]],
    ['proc.name regex ".*sh"', ["LOAD_COMPILE_CONDITION regex check with '.*sh' may be optimized by using the 'endswith' operator @1:17"]],
    ['proc.name regex ".*as.*"', ["LOAD_COMPILE_CONDITION regex check with '.*as.*' may be optimized by using the 'contains' operator @1:17"]],
    ['proc.name regex "ba[sh]+"', []],
    ['proc.name = proc.pname', ["LOAD_COMPILE_CONDITION 'proc.pname' may be a valid field misused as a const string value @1:13"]],
    ['proc.name in (a, proc.aname[2])', ["LOAD_COMPILE_CONDITION 'proc.aname[2]' may be a valid field misused as a const string value @1:18"]],
    ['proc.name = no.field', []],
    ['proc.name = "tolower(proc.pname)"', ["LOAD_COMPILE_CONDITION 'tolower(proc.pname)' may be a valid field transformer misused as a const string value @1:13"]],
    ['evt.dir = >', ["LOAD_DEPRECATED_ITEM usage of deprecated field 'evt.dir' has been detected in the rule condition: only exit events are delivered, so 'evt.dir = <' is always true and 'evt.dir = >' is always false @1:1"]],
    ['ka.user.name = "<NA>"', ["LOAD_UNSAFE_NA_CHECK comparing 'ka.user.name' with '<NA>' is unsafe: a missing value never compares equal @1:16"]],
    ['proc.name = "<NA>"', []],
  ];
  for (const [condition, expected] of cases) {
    test(condition, () => assert.deepEqual(warnings(condition), expected));
  }
});

describe('compiler: per-event sharing of macros', () => {
  test('a macro used by many rules is computed once per event', () => {
    const compiler = createCompiler(fakeResolver);
    const macros = { open_write: 'evt.type in (open, openat) and proc.cmdline contains w' };
    const rules = ['open_write and proc.name = a', 'open_write and proc.name = b', 'proc.name = c and open_write', 'not open_write'];
    const fns = rules.map((r) => compile(r, macros, compiler).matches!);
    extractions.clear();
    const ctx = contextOf({ 'evt.type': 'open', 'proc.cmdline': 'w', 'proc.name': 'c' });
    assert.deepEqual(fns.map((f) => f(ctx)), [false, false, true, false]);
    assert.equal(extractions.get('proc.cmdline'), 1);
    // A new event (new epoch) computes it again.
    const next = contextOf({ 'evt.type': 'close', 'proc.cmdline': 'w', 'proc.name': 'a' });
    assert.deepEqual(fns.map((f) => f(next)), [false, false, false, true]);
    assert.equal(extractions.get('evt.type'), 2);
  });

  test('every rule using a macro reports the macro`s warnings', () => {
    const compiler = createCompiler(fakeResolver);
    const macros = { old_exec: 'evt.type = execve and evt.dir = <' };
    const one = compile('old_exec and proc.name = a', macros, compiler).diagnostics;
    const two = compile('old_exec and proc.name = b', macros, compiler).diagnostics;
    assert.deepEqual(one.map((d) => d.code), ['LOAD_DEPRECATED_ITEM']);
    assert.deepEqual(two, one);
    assert.equal(one[0]!.span?.source.name, 'macro old_exec');
  });

  test('compilers do not share slots', () => {
    const macros = { m: 'proc.name = a or proc.name = b' };
    const one = compile('m', macros).matches!;
    const two = compile('m', macros).matches!;
    const ctx = contextOf({ 'proc.name': 'a' });
    assert.equal(one(ctx), true);
    assert.equal(two({ ...ctx, values: { 'proc.name': 'z' } } as never), false);
  });

  test('more macros than one slot chunk still work', () => {
    const compiler = createCompiler(fakeResolver);
    const macros: Record<string, string> = {};
    for (let i = 0; i < 600; i++) macros[`m${i}`] = `proc.name = n${i} or proc.pname = n${i}`;
    const fn = compile(Object.keys(macros).join(' or '), macros, compiler).matches!;
    assert.equal(fn(contextOf({ 'proc.name': 'n599' })), true);
    assert.equal(fn(contextOf({ 'proc.name': 'n600' })), false);
  });
});

describe('compileOperand', () => {
  const operand = (text: string) => parseCondition(`${text} exists`).ast as unknown as { left: FieldOperand };
  test('compiles fields and transformers into extractors', () => {
    const compiler = createCompiler(fakeResolver);
    const op = compiler.compileOperand(operand('tolower(proc.name)').left);
    assert.ok(typeof op !== 'string');
    assert.equal(op.name, 'tolower(proc.name)');
    assert.equal(op.type, 'charbuf');
    assert.equal(op.extract(contextOf({ 'proc.name': 'AB' })), 'ab');
    const indexed = compiler.compileOperand(operand('proc.aname[2]').left);
    assert.ok(typeof indexed !== 'string' && indexed.name === 'proc.aname[2]');
    assert.equal(compiler.compileOperand(operand('no.field').left), 'filter_check called with nonexistent field no.field');
  });
});
