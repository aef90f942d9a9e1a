import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTraceeBlock } from '../../src/outputs/format.js';
import { findingToAlert } from '../../src/signatures/alert.js';
import { envelopeOf, type Finding } from '../../src/signatures/signature.js';
import { inContainer, traceeEvent } from '../fixtures/tracee-events.js';

const meta = (severity: unknown) => ({ ID: 'TRC-11', Version: '0.1.0', Name: 'Container Device Mount Detected', Description: '', Tags: ['container'], Properties: { Severity: severity } });

describe('findingToAlert', () => {
  it('maps a finding to an alert with priority from the severity', () => {
    const event = inContainer(traceeEvent('security_sb_mount', {}, { timestamp: 1_650_000_000_000_000_000, processName: 'mount' }));
    const finding: Finding = { Data: { 'mounted device': '/dev/sda1' }, Event: envelopeOf(event, 'container'), SigMetadata: meta(3) };
    const alert = findingToAlert(finding, { rulesetVersion: 2, eventNum: 17 });
    assert.equal(alert.engine, 'tracee');
    assert.equal(alert.ruleId, 'TRC-11');
    assert.equal(alert.rule, 'Container Device Mount Detected');
    assert.equal(alert.priority, 'Error');
    assert.equal(alert.priorityNum, 3);
    assert.equal(alert.containerId, event.containerId);
    assert.equal(alert.ts, BigInt(event.timestamp));
    assert.deepEqual(alert.fields, { 'mounted device': '/dev/sda1' });
    assert.equal(alert.processName, 'mount');
    assert.match(alert.output, /^Container Device Mount Detected: map\[mounted device:\/dev\/sda1\] \(command=mount pid=100\)$/);
    assert.deepEqual([alert.rulesetVersion, alert.eventNum], [2, 17]);
  });

  it('maps every severity and defaults to Warning', () => {
    const priority = (s: unknown) => findingToAlert({ Data: null, Event: envelopeOf(traceeEvent('x'), 'host'), SigMetadata: meta(s) }, { rulesetVersion: 1, eventNum: 1 }).priority;
    assert.deepEqual([0, 1, 2, 3, 4, 9, 'high', undefined].map(priority), ['Informational', 'Notice', 'Warning', 'Error', 'Critical', 'Critical', 'Warning', 'Warning']);
    const host = findingToAlert({ Data: null, Event: envelopeOf(traceeEvent('x'), 'host'), SigMetadata: meta(0) }, { rulesetVersion: 1, eventNum: 1 });
    assert.equal(host.containerId, undefined);
    assert.deepEqual(host.fields, {});
  });

  it("carries the event's process name and hostname into the daemon's detection block", () => {
    const event = traceeEvent('security_sb_mount', {}, { timestamp: 1_650_000_000_000_000_000, processName: 'mount', hostName: 'node-7' });
    const alert = findingToAlert({ Data: { dev: '/dev/sda1' }, Event: envelopeOf(event, 'host'), SigMetadata: meta(3) }, { rulesetVersion: 1, eventNum: 1 });
    const block = renderTraceeBlock(alert).split('\n');
    assert.deepEqual(block.slice(2), ['Signature ID: TRC-11', 'Signature: Container Device Mount Detected', 'Data: map[dev:/dev/sda1]', 'Command: mount', 'Hostname: node-7']);
  });
});
