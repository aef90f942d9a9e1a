/**
 * Micro-benchmark of compiled Falco conditions (tinybench): events/s through
 *   1. single conditions of the common shapes (evt.type + string set, startswith chains, macros),
 *   2. a stable-style rule set of 25 rules sharing macros, evaluated per event with the rules
 *      indexed by event type (as the rule set does) and, for comparison, without the index.
 * Fields come from the test fake registry (a property read per extraction), so this measures the
 * compiled closures, not field extraction or state. Run: `npx tsx bench/falco/condition.bench.ts`.
 */
import { Bench } from 'tinybench';
import { createCompiler, type Predicate } from '../../src/falco/compiler.js';
import { standaloneLocation } from '../../src/falco/condition/location.js';
import { parseCondition } from '../../src/falco/condition/parser.js';
import { eventTypes } from '../../src/falco/passes/event-types.js';
import { createMacroResolver, macroTable } from '../../src/falco/passes/resolve-macros.js';
import { substituteLists, type ListDef } from '../../src/falco/passes/substitute-lists.js';
import type { EvalContext } from '../../src/falco/fields/field.js';
import { counting, fakeResolver, type Values } from '../../test/falco/fixtures/condition-fields.js';

counting.enabled = false;

const LISTS: ListDef[] = [
  { name: 'shell_binaries', items: ['ash', 'bash', 'csh', 'ksh', 'sh', 'tcsh', 'zsh', 'dash'] },
  { name: 'package_mgmt_binaries', items: ['dpkg', 'apt', 'apt-get', 'yum', 'rpm', 'dnf', 'apk', 'pip', 'npm'] },
  { name: 'sensitive_file_names', items: ['/etc/shadow', '/etc/sudoers', '/etc/pam.conf', '/etc/security/pwquality.conf'] },
  { name: 'known_setup_procs', items: ['runc', 'containerd-shim', 'dockerd', 'kubelet', 'systemd', 'sshd'] },
];

const MACROS: Record<string, string> = {
  open_write: 'evt.type in (open, openat, openat2) and proc.cmdline contains w and fd.typechar = f and fd.num >= 0',
  open_read: 'evt.type in (open, openat, openat2) and proc.cmdline contains r and fd.typechar = f and fd.num >= 0',
  spawned_process: 'evt.type in (execve, execveat)',
  container: 'container.id != host',
  shell_procs: 'proc.name in (shell_binaries)',
  etc_dir: 'fd.name startswith /etc/',
  bin_dir: 'fd.directory in (/bin, /sbin, /usr/bin, /usr/sbin)',
  sensitive_files: 'fd.name in (sensitive_file_names) or fd.directory in (/etc/sudoers.d, /etc/pam.d)',
  package_mgmt_procs: 'proc.name in (package_mgmt_binaries)',
  setup_parent: 'proc.pname in (known_setup_procs) or proc.aname[2] in (known_setup_procs)',
  outbound: 'evt.type = connect and fd.typechar in (4, 6) and fd.sip != 127.0.0.1',
};

const RULES: string[] = [
  'open_write and etc_dir and not package_mgmt_procs and not setup_parent',
  'open_read and sensitive_files and not proc.name in (sshd, sudo, su, login) and not setup_parent',
  'open_write and bin_dir and not package_mgmt_procs',
  'spawned_process and shell_procs and container and not setup_parent',
  'spawned_process and proc.name in (nc, ncat, netcat) and proc.cmdline contains "-e"',
  'spawned_process and proc.pname in (shell_binaries) and proc.cmdline icontains base64',
  'spawned_process and proc.exepath startswith /tmp/',
  'spawned_process and proc.name = curl and proc.cmdline contains "| sh"',
  'outbound and fd.sport in (4444, 1337, 31337) and container',
  'outbound and proc.name in (shell_binaries)',
  'evt.type in (ptrace) and proc.name != gdb and not setup_parent',
  'evt.type in (symlink, symlinkat) and fd.name in (sensitive_file_names)',
  'evt.type in (link, linkat) and fd.name startswith /etc/',
  'evt.type in (init_module, finit_module) and not proc.name in (modprobe, insmod)',
  'evt.type in (dup, dup2, dup3) and fd.typechar in (4, 6) and proc.name in (shell_binaries)',
  'evt.type in (sendmsg, sendto) and fd.sport = 53 and proc.name in (shell_binaries)',
  'evt.type = socket and proc.cmdline contains AF_PACKET and container',
  'open_write and fd.name startswith /root/.ssh and not proc.name in (sshd, ssh-keygen)',
  'open_read and fd.name glob "/proc/*/environ" and not setup_parent',
  'open_write and fd.name pmatch (/var/log, /var/run/secrets) and container',
  'spawned_process and proc.cmdline contains history and proc.cmdline contains "-c"',
  'spawned_process and proc.name in (package_mgmt_binaries) and container',
  'open_write and fd.name endswith .sh and container and not package_mgmt_procs',
  'spawned_process and proc.tty != 0 and container and shell_procs',
  'open_read and fd.name startswith /etc/kubernetes and not proc.name in (kubelet, kube-apiserver)',
];

function parse(text: string) {
  const substituted = substituteLists(text, LISTS).text;
  const r = parseCondition(substituted, standaloneLocation(substituted));
  if (!r.ast) throw new Error(`${text}: ${r.diagnostics[0]?.message}`);
  return r.ast;
}

function buildRuleSet() {
  const compiler = createCompiler(fakeResolver);
  const defs = Object.entries(MACROS).map(([name, text]) => ({ name, ast: parse(text), location: standaloneLocation(text) }));
  const resolver = createMacroResolver(macroTable(defs));
  const byType = new Map<string, Predicate[]>();
  const anyType: Predicate[] = [];
  const all: Predicate[] = [];
  for (const text of RULES) {
    const loc = standaloneLocation(text);
    const expr = resolver.resolve(parse(text), undefined, loc).expr!;
    const compiled = compiler.compileCondition(expr, loc);
    if (!compiled.matches) throw new Error(`${text}: ${compiled.diagnostics[0]?.message}`);
    all.push(compiled.matches);
    const types = eventTypes(expr);
    if (types === 'all') anyType.push(compiled.matches);
    else for (const t of types) byType.set(t, [...(byType.get(t) ?? []), compiled.matches]);
  }
  return { all, byType, anyType, compiler };
}

/** A mixed corpus with realistic proportions: open-heavy, then exec, connect and the rest. */
function corpus(size: number): (EvalContext & { values: Values })[] {
  const shapes: [number, Values][] = [
    [40, { 'evt.type': 'openat', 'proc.cmdline': 'nginx -g daemon off;', 'proc.name': 'nginx', 'fd.typechar': 'f', 'fd.num': 5, 'fd.name': '/var/log/nginx/access.log', 'fd.directory': '/var/log/nginx', 'container.id': 'host', 'proc.pname': 'nginx' }],
    [15, { 'evt.type': 'open', 'proc.cmdline': 'cat /etc/passwd', 'proc.name': 'cat', 'fd.typechar': 'f', 'fd.num': 3, 'fd.name': '/etc/passwd', 'fd.directory': '/etc', 'container.id': 'abc123', 'proc.pname': 'bash' }],
    [10, { 'evt.type': 'openat', 'proc.cmdline': 'python3 w.py', 'proc.name': 'python3', 'fd.typechar': 'f', 'fd.num': 7, 'fd.name': '/etc/app/conf', 'fd.directory': '/etc/app', 'container.id': 'abc123', 'proc.pname': 'runc', 'proc.aname[2]': 'containerd-shim' }],
    [10, { 'evt.type': 'execve', 'proc.cmdline': 'bash -c ls', 'proc.name': 'bash', 'proc.exepath': '/usr/bin/bash', 'proc.tty': 0, 'container.id': 'abc123', 'proc.pname': 'sshd', 'proc.aname[2]': 'systemd' }],
    [5, { 'evt.type': 'execve', 'proc.cmdline': 'curl http://x', 'proc.name': 'curl', 'proc.exepath': '/usr/bin/curl', 'proc.tty': 34816, 'container.id': 'host', 'proc.pname': 'bash' }],
    [8, { 'evt.type': 'connect', 'proc.cmdline': 'curl http://x', 'proc.name': 'curl', 'fd.typechar': '4', 'fd.sip': '10.0.0.5', 'fd.sport': 443, 'container.id': 'abc123' }],
    [7, { 'evt.type': 'read', 'proc.name': 'nginx', 'fd.typechar': 'f', 'fd.num': 5 }],
    [3, { 'evt.type': 'sendto', 'proc.name': 'dig', 'fd.typechar': '4', 'fd.sport': 53 }],
    [2, { 'evt.type': 'close', 'proc.name': 'nginx', 'fd.num': 5 }],
  ];
  // Give every event's values the same keys in the same order, so reads stay monomorphic as
  // real extractors' reads of typed state are.
  const keys = [...new Set(shapes.flatMap(([, v]) => Object.keys(v)))];
  for (const shape of shapes) {
    const full: Values = {};
    for (const k of keys) full[k] = shape[1][k];
    shape[1] = full;
  }
  const total = shapes.reduce((n, [w]) => n + w, 0);
  const out: (EvalContext & { values: Values })[] = [];
  for (let i = 0; i < size; i++) {
    let pick = (i * 7919) % total;
    const shape = shapes.find(([w]) => (pick -= w) < 0)![1];
    out.push({ evt: { name: shape['evt.type'] } as never, num: i + 1, thread: undefined, fd: undefined, state: undefined as never, epoch: 0, values: shape });
  }
  return out;
}

const EVENTS = corpus(10_000);
let epoch = 0;
let matches = 0;

function single(condition: string, macros: Record<string, string> = {}): Predicate {
  const compiler = createCompiler(fakeResolver);
  const defs = Object.entries(macros).map(([name, text]) => ({ name, ast: parse(text), location: standaloneLocation(text) }));
  const loc = standaloneLocation(condition);
  const expr = createMacroResolver(macroTable(defs)).resolve(parse(condition), undefined, loc).expr!;
  return compiler.compileCondition(expr, loc).matches!;
}

function perEvent(fn: (ctx: EvalContext) => void): () => void {
  return () => {
    for (let i = 0; i < EVENTS.length; i++) {
      const ctx = EVENTS[i]!;
      ctx.epoch = ++epoch;
      fn(ctx);
    }
  };
}

const ruleSet = buildRuleSet();
const bench = new Bench({ time: 1000, warmupTime: 200 });

const typeCheck = single('evt.type in (open, openat, openat2) and fd.name startswith /etc/');
bench.add('evt.type in (…) and startswith', perEvent((ctx) => void (typeCheck(ctx) && matches++)));
// The same check written by hand: the floor the compiled closure is measured against, which also
// shows how loaded the machine was during the run.
const openTypes = new Set(['open', 'openat', 'openat2']);
bench.add('  same, hand-written closure', perEvent((ctx) => {
  const values = (ctx as unknown as { values: Values }).values;
  const name = values['fd.name'];
  if (openTypes.has(values['evt.type'] as string) && typeof name === 'string' && name.startsWith('/etc/')) matches++;
}));
const setCheck = single('proc.name in (shell_binaries) and not proc.pname in (known_setup_procs)');
bench.add('string set + not set', perEvent((ctx) => void (setCheck(ctx) && matches++)));
const macroCheck = single('open_write and etc_dir and not package_mgmt_procs', MACROS);
bench.add('macros (open_write and etc_dir …)', perEvent((ctx) => void (macroCheck(ctx) && matches++)));

const indexedRuleSet = perEvent((ctx) => {
  const rules = ruleSet.byType.get((ctx as unknown as { values: Values }).values['evt.type'] as string);
  if (rules) for (let r = 0; r < rules.length; r++) if (rules[r]!(ctx)) matches++;
  for (let r = 0; r < ruleSet.anyType.length; r++) if (ruleSet.anyType[r]!(ctx)) matches++;
});
bench.add('25 rules, indexed by event type', indexedRuleSet);
bench.add('25 rules, no index (every rule on every event)', perEvent((ctx) => {
  for (let r = 0; r < ruleSet.all.length; r++) if (ruleSet.all[r]!(ctx)) matches++;
}));

await bench.run();
console.log(`corpus: ${EVENTS.length} events per iteration; rules: ${RULES.length}, macros: ${Object.keys(MACROS).length}`);
console.table(
  bench.tasks.map((t) => {
    const r = t.result as { latency?: { mean: number }; throughput?: { mean: number } } | undefined;
    const msPerBatch = r?.latency?.mean ?? NaN;
    return { task: t.name, 'events/s (M)': (EVENTS.length / msPerBatch / 1000).toFixed(2), 'ns/event': ((msPerBatch * 1e6) / EVENTS.length).toFixed(1) };
  }),
);
console.log(`(matches counted: ${matches})`);
