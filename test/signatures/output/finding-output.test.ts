import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileOutputTemplate, renderDetection, renderFindingJson } from '../../../src/signatures/output/finding-output.js';
import { envelopeOf, type Finding } from '../../../src/signatures/signature.js';
import { traceeEvent } from '../../fixtures/tracee-events.js';

const finding: Finding = {
  Data: { 'File Path': '/tmp/cgrp/release_agent', 'File Flags': 'O_WRONLY|O_CREAT' },
  Event: envelopeOf(traceeEvent('security_file_open', { pathname: ['const char*', '/tmp/cgrp/release_agent'] }, { processName: 'sh', hostName: 'web-1', returnValue: 0, eventId: '1018' }), 'container'),
  SigMetadata: { ID: 'TRC-14', Version: '0.1.0', Name: 'CGroups Release Agent File Modification', Description: 'd', Tags: null, Properties: { Severity: 3, 'MITRE ATT&CK': 'Privilege Escalation: Escape to Host' } },
};

describe('finding output', () => {
  it('prints the default detection block', () => {
    const text = renderDetection(finding, new Date(Date.UTC(2022, 2, 28, 12, 0, 0)));
    assert.equal(text, '\n*** Detection ***\nTime: 2022-03-28T12:00:00Z\nSignature ID: TRC-14\nSignature: CGroups Release Agent File Modification\n'
      + 'Data: map[File Flags:O_WRONLY|O_CREAT File Path:/tmp/cgrp/release_agent]\nCommand: sh\nHostname: web-1\n');
    assert.match(renderDetection({ ...finding, Data: null }), /Data: map\[\]\n/);
  });

  it('prints JSON findings with Go field names and tracee event keys', () => {
    const json = JSON.parse(renderFindingJson(finding));
    assert.deepEqual(Object.keys(json), ['Data', 'Event', 'SigMetadata']);
    assert.equal(json.Event.Headers.Origin, 'tracee/container');
    assert.equal(json.Event.Payload.processName, 'sh');
    assert.equal(json.Event.Payload.eventId, '1018');
    assert.deepEqual(Object.keys(json.SigMetadata), ['ID', 'Version', 'Name', 'Description', 'Tags', 'Properties']);
    assert.match(renderFindingJson(finding), /MITRE ATT\\u0026CK/);
  });

  it('renders templates written for v0.7 (.Event.Payload) and v0.6 (.Context)', () => {
    const rawjson = compileOutputTemplate('rawjson.tmpl', '{"Data": {{ toJson .Data }}, "Context": {{ toJson .Event.Payload }}, "SigMetadata": {{ toJson .SigMetadata }}}\n');
    const parsed = JSON.parse(rawjson(finding));
    assert.equal(parsed.Context.hostName, 'web-1');
    assert.equal(parsed.SigMetadata.ID, 'TRC-14');
    const sidekick = compileOutputTemplate('falcosidekick.tmpl',
      '{"output":"Rule \\"{{ .SigMetadata.Name }}\\" detection:\\n {{ .Data }}","rule":"{{ .SigMetadata.Name }}","time":"{{ dateInZone "2006-01-02T15:04:05Z" (now) "UTC" }}","output_fields":{"value":{{ .Event.Payload.ReturnValue }}}}');
    assert.equal(JSON.parse(sidekick(finding)).output_fields.value, 0);
    const v06 = compileOutputTemplate('v06.tmpl', '{{ .Context.ProcessName }}@{{ .Context.HostName }} {{ range .Context.Args }}{{ .Name }}={{ .Value }}{{ end }}');
    assert.equal(v06(finding), 'sh@web-1 pathname=/tmp/cgrp/release_agent');
  });

  it('treats a boolean match\'s null Data as a nil Go map', () => {
    const t = compileOutputTemplate('nil.tmpl', '{{ .Data }}|{{ toJson .Data }}|{{ if .Data }}some{{ else }}none{{ end }}|{{ .Data.x }}');
    assert.equal(t({ ...finding, Data: null }), 'map[]|null|none|<no value>');
    assert.equal(JSON.parse(renderFindingJson({ ...finding, Data: null })).Data, null);
  });

  it('fails on fields trace.Event does not have, as Go does', () => {
    assert.throws(() => compileOutputTemplate('x.tmpl', '{{ .Event.Payload.processName }}')(finding), /can't evaluate field processName/);
  });
});
