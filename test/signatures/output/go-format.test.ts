import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatData, formatGoTime, formatGoValue, goJson, GoStruct, GoTime } from '../../../src/signatures/output/go-format.js';

describe('Go value formatting', () => {
  it('prints %v like fmt: sorted maps, lists with spaces, <nil>', () => {
    assert.equal(formatData(null), 'map[]');
    assert.equal(formatData({}), 'map[]');
    assert.equal(formatGoValue({ port: '53', ip: '10.0.0.1', fd: 0 }), 'map[fd:0 ip:10.0.0.1 port:53]');
    assert.equal(formatGoValue({ 'File Path': '/x', 'File Flags': 'O_WRONLY' }), 'map[File Flags:O_WRONLY File Path:/x]');
    assert.equal(formatGoValue(['a', 1, true, null, { b: [2] }]), '[a 1 true <nil> map[b:[2]]]');
    assert.equal(formatGoValue(new Set(['x'])), '[x]');
    assert.equal(formatGoValue(new GoStruct({ A: 1, B: 'x' }, () => ({}))), '{1 x}');
  });

  it('encodes JSON like encoding/json', () => {
    assert.equal(goJson({ b: 1, a: '<&>' }), '{"a":"\\u003c\\u0026\\u003e","b":1}');
    assert.equal(goJson(null), 'null');
    assert.equal(goJson(new GoStruct({}, () => ({ Z: 1, A: 2 }))), '{"Z":1,"A":2}', 'struct fields keep their order');
    assert.equal(goJson({ a: [1, { c: 2 }] }, '  '), '{\n  "a": [\n    1,\n    {\n      "c": 2\n    }\n  ]\n}');
    assert.equal(goJson({ a: [] }, '  '), '{\n  "a": []\n}');
  });

  it('formats times with Go layouts', () => {
    const t = new GoTime(new Date(Date.UTC(2022, 2, 28, 9, 5, 7, 120)), 'UTC');
    assert.equal(formatGoTime(t, '2006-01-02T15:04:05Z'), '2022-03-28T09:05:07Z');
    assert.equal(formatGoTime(t, 'Mon Jan _2 03:04:05 PM MST 2006'), 'Mon Mar 28 09:05:07 AM UTC 2022');
    assert.equal(formatGoTime(t, '2006-01-02T15:04:05.000Z07:00'), '2022-03-28T09:05:07.120Z');
    assert.equal(formatGoTime(t, '02/01/06 -0700'), '28/03/22 +0000');
  });
});
