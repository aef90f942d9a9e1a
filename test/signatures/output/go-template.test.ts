import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GoStruct } from '../../../src/signatures/output/go-format.js';
import { parseGoTemplate, TemplateError } from '../../../src/signatures/output/go-template.js';
import { TEMPLATE_FUNCTIONS } from '../../../src/signatures/output/template-functions.js';

const render = (text: string, data: unknown = {}) => parseGoTemplate('t.tmpl', text, TEMPLATE_FUNCTIONS).execute(data);
const data = new GoStruct({ Name: 'n', Items: ['a', 'b'], Map: { k: 'v', j: 'w' }, Empty: [], N: 3, Nested: new GoStruct({ X: 'x' }, () => ({})) }, () => ({}));

describe('Go templates', () => {
  it('prints text, fields and %v values', () => {
    assert.equal(render('hi {{ .Name }} {{.N}} {{ .Items }} {{ .Map }} {{ .Nested.X }}', data), 'hi n 3 [a b] map[j:w k:v] x');
    assert.equal(render('{{ .Map.k }} {{ .Map.missing }}', data), 'v <no value>');
  });

  it('trims spaces around trim markers and drops comments', () => {
    assert.equal(render('a  {{- .Name -}}  b {{/* note */}}c', data), 'anb c');
    assert.equal(render('x\n{{- /* c */ -}}\ny', data), 'xy');
  });

  it('runs if / else if / else, with and range', () => {
    assert.equal(render('{{ if .Empty }}A{{ else if .N }}B{{ else }}C{{ end }}', data), 'B');
    assert.equal(render('{{ if not .N }}A{{ else }}C{{ end }}', data), 'C');
    const chain = '{{ range .Items }}{{ if eq . "x" }}X{{ else if eq . "a" }}A{{ else if eq . "b" }}B{{ else }}?{{ end }}{{ end }}!';
    assert.equal(render(chain, data), 'AB!');
    assert.equal(render('{{ with .Nested }}{{ .X }}{{ end }}{{ with .Empty }}no{{ else }}none{{ end }}', data), 'xnone');
    assert.equal(render('{{ range .Items }}[{{ . }}]{{ end }}', data), '[a][b]');
    assert.equal(render('{{ range $i, $v := .Items }}{{ $i }}={{ $v }},{{ end }}', data), '0=a,1=b,');
    assert.equal(render('{{ range $k, $v := .Map }}{{ $k }}{{ $v }}{{ end }}', data), 'jwkv');
    assert.equal(render('{{ range .Empty }}x{{ else }}empty{{ end }}', data), 'empty');
  });

  it('evaluates pipelines, variables, parentheses and functions', () => {
    assert.equal(render('{{ .Name | upper | printf "<%s>" }}', data), '<N>');
    assert.equal(render('{{ $x := .N }}{{ $x }}{{ $x = 4 }}{{ $x }}', data), '34');
    assert.equal(render('{{ (index .Map "k") | upper }} {{ len .Items }} {{ eq .N 1 2 3 }} {{ and 1 0 }} {{ or 0 "z" }}', data), 'V 2 true 0 z');
    assert.equal(render('{{ toJson .Map }} {{ join "," .Items }} {{ default "d" .Empty }} {{ quote "q" }}', data), '{"j":"w","k":"v"} a,b d "q"');
    assert.equal(render('{{ $.Name }}{{ range .Items }}{{ $.N }}{{ end }}', data), 'n33');
    assert.equal(render('{{ eq .N .N }} {{ printf "%s-%s" .Name .Nested.X }} {{ (.Nested).X }}', data), 'true n-x x');
    assert.match(render('{{ dateInZone "2006-01-02" (now) "UTC" }}'), /^\d{4}-\d\d-\d\d$/);
  });

  it('reports parse errors with the template name and line', () => {
    assert.throws(() => render('a\n{{ if .X }}'), (e: Error) => e instanceof TemplateError && /t\.tmpl: unexpected EOF/.test(e.message));
    assert.throws(() => render('a\n{{ nosuchfunc 1 }}'), /t\.tmpl:2: function "nosuchfunc" not defined/);
    assert.throws(() => render('{{ end }}'), /unexpected \{\{end\}\}/);
    assert.throws(() => render('{{ "open }}'), /unterminated/);
  });

  it('reports execution errors for unknown fields', () => {
    assert.throws(() => render('{{ .Nope }}', data), /can't evaluate field Nope/);
    assert.throws(() => render('{{ $nope }}', data), /undefined variable/);
  });
});
