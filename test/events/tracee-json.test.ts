import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTraceeJson, encodeTraceeJson } from '../../src/events/tracee-json.js';

function decode(obj: unknown) {
  return decodeTraceeJson(typeof obj === 'string' ? obj : JSON.stringify(obj));
}

function ok(obj: unknown) {
  const r = decode(obj);
  if (!r.ok) assert.fail(r.error);
  return r;
}

function rejected(obj: unknown): string {
  const r = decode(obj);
  assert.equal(r.ok, false, 'line should be rejected');
  return (r as { error: string }).error;
}

describe('decodeTraceeJson', () => {
  it('fills every field with its zero value and keeps eventId a string', () => {
    const { event } = ok({ eventId: '1018', eventName: 'security_file_open' });
    assert.deepEqual(Object.keys(event), ['timestamp', 'processorId', 'processId', 'threadId', 'parentProcessId', 'hostProcessId',
      'hostThreadId', 'hostParentProcessId', 'userId', 'mountNamespace', 'pidNamespace', 'processName', 'hostName', 'containerId',
      'eventId', 'eventName', 'argsNum', 'returnValue', 'stackAddresses', 'args']);
    assert.equal(event.eventId, '1018');
    assert.equal(event.processName, '');
    assert.equal(event.args, null);
    assert.equal(event.stackAddresses, null);
  });

  it('matches keys without regard to case and ignores unknown keys', () => {
    const { event } = ok({ processid: 7, HOSTPROCESSID: 8, ProcessName: 'x', EVENTNAME: 'close', extra: 1 });
    assert.equal(event.processId, 7);
    assert.equal(event.hostProcessId, 8);
    assert.equal(event.processName, 'x');
    assert.equal(event.eventName, 'close');
  });

  it('requires a quoted integer eventId', () => {
    assert.match(rejected({ eventId: 101 }), /eventId/);
    assert.match(rejected({ eventId: 'abc' }), /eventId/);
    assert.equal(ok({ eventId: '-3' }).event.eventId, '-3');
  });

  it('rejects wrong types in integer and string fields', () => {
    assert.match(rejected({ processId: '7' }), /processId/);
    assert.match(rejected({ processId: 1.5 }), /processId/);
    assert.match(rejected({ processName: 3 }), /processName/);
    assert.match(rejected({ timestamp: 1e19 }), /timestamp: .* not a 64-bit integer/);
    assert.match(rejected('{"processId": 1'), /JSON|Expected|Unexpected/);
    assert.match(rejected('[1,2]'), /not a JSON object/);
  });

  it('checks numeric arguments against their type', () => {
    const args = (type: string, value: unknown) => ({ args: [{ name: 'a', type, value }] });
    assert.equal(ok(args('int', -5)).event.args![0]!.value, -5);
    assert.match(rejected(args('int', 2 ** 31)), /out of range/);
    assert.match(rejected(args('unsigned int', -1)), /out of range/);
    assert.match(rejected(args('u32', 1.5)), /not an integer/);
    assert.equal(ok(args('unsigned long', 2 ** 40)).event.args![0]!.value, 2 ** 40);
    assert.equal(ok(args('float', 1.5)).event.args![0]!.value, 1.5);
    assert.match(rejected(args('unsigned short', 70000)), /out of range/);
  });

  it('keeps a number of an unrecognized type and warns (decision 1)', () => {
    const r = ok({ args: [{ name: 'stdin_type', type: 'umode_t', value: 8592 }] });
    assert.equal(r.event.args![0]!.value, 8592);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /umode_t/);
  });

  it('turns string-list arguments into arrays of strings with Go formatting', () => {
    const r = ok({ args: [{ name: 'argv', type: 'const char*const*', value: ['ls', 3, null] }] });
    assert.deepEqual(r.event.args![0]!.value, ['ls', '3', '<nil>']);
    assert.match(rejected({ args: [{ name: 'argv', type: 'const char**', value: 'ls' }] }), /array/);
    assert.equal(ok({ args: [{ name: 'envp', type: 'const char*const*', value: null }] }).event.args![0]!.value, null);
  });

  it('makes sockaddr objects string maps (decision 2)', () => {
    const r = ok({ args: [{ name: 'remote_addr', type: 'struct sockaddr*', value: { sa_family: 'AF_INET', sin_port: 53, sin_addr: '10.0.0.1' } }] });
    assert.deepEqual(r.event.args![0]!.value, { sa_family: 'AF_INET', sin_port: '53', sin_addr: '10.0.0.1' });
  });

  it('keeps other values generic and argument keys case-insensitive', () => {
    const r = ok({ args: [{ Name: 'bytes', TYPE: 'bytes', Value: 'f0VMRg==' }, { name: 'cred', type: 'slim_cred_t', value: { Uid: 0 } }] });
    assert.deepEqual(r.event.args, [{ name: 'bytes', type: 'bytes', value: 'f0VMRg==' }, { name: 'cred', type: 'slim_cred_t', value: { Uid: 0 } }]);
  });

  it('rejects malformed args and stack addresses', () => {
    assert.match(rejected({ args: {} }), /args/);
    assert.match(rejected({ args: [1] }), /args\[0\]/);
    assert.match(rejected({ stackAddresses: [-1] }), /stackAddresses/);
    assert.deepEqual(ok({ stackAddresses: [1, 2] }).event.stackAddresses, [1, 2]);
  });

  it('encodes back to the same JSON keys', () => {
    const { event } = ok({ eventId: '3', eventName: 'close', args: [{ name: 'fd', type: 'int', value: 3 }] });
    const again = ok(encodeTraceeJson(event)).event;
    assert.deepEqual(again, event);
  });
});
