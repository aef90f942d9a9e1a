import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deprecatedFieldWarning } from '../../src/falco/deprecations.js';

test('deprecated fields by name, in conditions and outputs', () => {
  assert.equal(
    deprecatedFieldWarning('evt.dir', 'condition'),
    "usage of deprecated field 'evt.dir' has been detected in the rule condition: only exit events are delivered, so 'evt.dir = <' is always true and 'evt.dir = >' is always false",
  );
  assert.equal(deprecatedFieldWarning('evt.dir', 'output'), "usage of deprecated field 'evt.dir' has been detected in the rule output: only exit events are delivered, so it always prints '<'");
  for (const name of ['evt.latency', 'evt.latency.ns', 'evt.wait_latency']) {
    assert.equal(deprecatedFieldWarning(name, 'output'), `usage of deprecated field '${name}' has been detected in the rule output`);
  }
});

test('other fields warn only when the field table marks them', () => {
  assert.equal(deprecatedFieldWarning('proc.name', 'condition'), undefined);
  assert.equal(deprecatedFieldWarning('evt.dirx', 'condition'), undefined);
  assert.equal(deprecatedFieldWarning('container.info', 'condition', true), "usage of deprecated field 'container.info' has been detected in the rule condition");
});
