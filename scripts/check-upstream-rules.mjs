#!/usr/bin/env node
// Loads the published Falco rules files kept in DIR (falco_rules.yaml, falco-incubating_rules.yaml,
// falco-sandbox_rules.yaml) through vigil's loader, each alone and then all present ones together in
// that order (as `falco -r` loads them), and prints per run: the required engine version, counts,
// how many rules compiled (enabled/disabled), errors and warnings by code. Exit 1 when a run has an
// error or a rule that did not compile. The files themselves stay outside the repository.
// Run with tsx: `node --import tsx scripts/check-upstream-rules.mjs DIR` (or the .sh wrapper).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDiagnostic } from '../src/diagnostics/index.ts';
import { loadFalcoRules } from '../src/falco/index.ts';

const FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];
const SHOWN_ERRORS = 5;

const dir = process.argv[2];
if (!dir || process.argv.length > 3) {
  console.error('usage: check-upstream-rules DIR   (DIR holds the upstream rules files)');
  process.exit(2);
}
const sources = FILES.filter((f) => existsSync(join(dir, f))).map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
if (sources.length === 0) {
  console.error(`no rules files in ${dir} (looked for ${FILES.join(', ')})`);
  process.exit(2);
}

function engineVersionOf(text) {
  return /^- required_engine_version:\s*(\S+)/m.exec(text)?.[1] ?? '-';
}

function check(label, inputs) {
  const loaded = loadFalcoRules(inputs);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  const warnings = new Map();
  for (const d of loaded.diagnostics) if (d.severity === 'warning') warnings.set(d.code, (warnings.get(d.code) ?? 0) + 1);
  const compiled = loaded.ruleset?.rules ?? [];
  const enabled = compiled.filter((r) => r.enabled).length;
  const { rules, macros, lists } = loaded.counts;
  const allCompiled = errors.length === 0 && compiled.length === rules;
  console.log(`${label}`);
  console.log(`  engine ${inputs.map((s) => engineVersionOf(s.text)).join(', ')}; plugins ${loaded.requiredPlugins.map((p) => `${p.name} ${p.version}`).join(', ') || '-'}`);
  console.log(`  ${rules} rules (${compiled.length} compiled: ${enabled} enabled, ${compiled.length - enabled} disabled), ${macros} macros, ${lists} lists`);
  console.log(`  ${errors.length} errors; warnings: ${[...warnings].map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}`);
  for (const d of errors.slice(0, SHOWN_ERRORS)) console.log(renderDiagnostic(d).replace(/^/gm, '    '));
  if (errors.length > SHOWN_ERRORS) console.log(`    … ${errors.length - SHOWN_ERRORS} more (see \`vigil validate\`)`);
  if (errors.length === 0 && !allCompiled) console.log(`  ${rules - compiled.length} rule(s) were dropped without an error`);
  return allCompiled;
}

let ok = true;
for (const source of sources) ok = check(source.name, [source]) && ok;
if (sources.length > 1) ok = check(`together: ${sources.map((s) => s.name.split('/').pop()).join(' + ')}`, sources) && ok;
console.log(ok ? 'OK: no errors, every rule compiled' : 'FAILED');
process.exit(ok ? 0 : 1);
