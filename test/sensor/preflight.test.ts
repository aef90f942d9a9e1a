import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SensorStartError } from '../../src/sensor/errors.js';
import { parseKernelRelease, preflight, type PreflightInput } from '../../src/sensor/preflight.js';

const ok: PreflightInput = {
  platform: 'linux',
  kernelRelease: '6.18.44-fc',
  uid: 0,
  capEff: '',
  btfPath: '/btf',
  objectPath: '/obj',
  addonPath: '/addon',
  exists: () => true,
};

function codeOf(input: Partial<PreflightInput>): string | undefined {
  try {
    preflight({ ...ok, ...input });
    return undefined;
  } catch (err) {
    assert.ok(err instanceof SensorStartError);
    assert.ok(err.message.length > 20, 'says what to do');
    return err.code;
  }
}

test('a root process on a recent kernel with BTF and built artefacts passes', () => {
  assert.equal(codeOf({}), undefined);
});

test('each missing prerequisite has its own code', () => {
  assert.equal(codeOf({ platform: 'darwin' }), 'unsupported-platform');
  assert.equal(codeOf({ kernelRelease: '5.4.0-150-generic' }), 'kernel-too-old');
  assert.equal(codeOf({ kernelRelease: '5.17.0' }), undefined);
  assert.equal(codeOf({ uid: 1000, capEff: '0' }), 'permission');
  assert.equal(codeOf({ exists: (p) => p !== '/btf' }), 'no-btf');
  assert.equal(codeOf({ exists: (p) => p !== '/obj' }), 'object-missing');
  assert.equal(codeOf({ exists: (p) => p !== '/addon' }), 'addon-missing');
});

test('a non-root process with CAP_BPF and CAP_PERFMON may load the sensor', () => {
  const both = ((1n << 39n) | (1n << 38n)).toString(16);
  assert.equal(codeOf({ uid: 1000, capEff: both }), undefined);
  assert.match(String((() => { try { preflight({ ...ok, uid: 1000, capEff: (1n << 39n).toString(16) }); } catch (e) { return (e as Error).message; } })()), /CAP_PERFMON/);
});

test('kernel releases parse to major.minor', () => {
  assert.deepEqual(parseKernelRelease('6.1.0-28-amd64'), [6, 1]);
  assert.equal(parseKernelRelease('weird'), undefined);
});
