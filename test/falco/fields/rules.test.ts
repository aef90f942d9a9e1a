import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFalcoRules } from '../../../src/falco/index.js';
import type { FalcoRuleset } from '../../../src/falco/ruleset.js';
import type { VigilEvent } from '../../../src/events/event.js';
import type { EvalContext } from '../../../src/falco/fields/field.js';
import { StateTables } from '../../../src/state/index.js';
import { makeEvent } from '../../state/make-event.js';

/**
 * Fields from state through the real loader and condition compiler: rules of our own, written in
 * the style of the upstream rulesets, over synthetic events applied to the state tables.
 */
const RULES = `
- list: shell_binaries
  items: [bash, sh, zsh]
- list: rfc_1918_addresses
  items: ['"10.0.0.0/8"', '"172.16.0.0/12"', '"192.168.0.0/16"']
- macro: spawned_process
  condition: (evt.type in (execve, execveat) and evt.dir=<)
- macro: open_write
  condition: (evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)
- macro: open_file_failed
  condition: (evt.type in (open,openat,openat2) and fd.typechar='f' and fd.num=-1 and evt.res startswith E)
- macro: container
  condition: (container.id != host)
- rule: Shell under an ssh daemon
  desc: t
  condition: spawned_process and proc.name in (shell_binaries) and proc.aname in (sshd)
  output: shell %proc.name parent=%proc.pname gparent=%proc.aname[2] user=%user.name
  priority: NOTICE
- rule: Write below etc
  desc: t
  condition: open_write and fd.name startswith /etc and not proc.pname exists
  output: file=%fd.name flags=%evt.arg.flags
  priority: ERROR
- rule: Write below etc by a known parent
  desc: t
  condition: open_write and fd.directory = /etc and proc.pname exists
  output: file=%fd.name parent=%proc.pname
  priority: WARNING
- rule: Failed open
  desc: t
  condition: open_file_failed and fd.name = /etc/shadow
  output: res=%evt.res name=%fd.name
  priority: INFO
- rule: Outbound public
  desc: t
  condition: evt.type = connect and (fd.typechar = 4 or fd.typechar = 6) and fd.ip != "0.0.0.0" and fd.net != "127.0.0.0/8" and not fd.snet in (rfc_1918_addresses) and (evt.rawres >= 0 or evt.res = EINPROGRESS)
  output: connection=%fd.name lport=%fd.lport rport=%fd.rport proto=%fd.l4proto
  priority: NOTICE
- rule: Ptrace attach
  desc: t
  condition: evt.type = ptrace and evt.arg.request in (PTRACE_ATTACH, PTRACE_POKETEXT)
  output: request=%evt.arg.request
  priority: WARNING
- rule: Container shell
  desc: t
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: container=%container.id
  priority: NOTICE
`;

function load(): FalcoRuleset {
  const { ruleset, diagnostics } = loadFalcoRules([{ name: 'mine.yaml', text: RULES }], { ruleMatching: 'all' });
  assert.ok(ruleset, diagnostics.map((d) => d.message).join('\n'));
  return ruleset;
}

let num = 0;
function run(rules: FalcoRuleset, state: StateTables, evt: VigilEvent): { rule: string; output: string }[] {
  const { thread, fd } = state.apply(evt);
  num++;
  const ctx: EvalContext = { evt, num, thread, fd, state, epoch: num };
  const alerts = rules.evaluate(ctx).map((a) => ({ rule: a.rule, output: a.output }));
  state.finish(evt);
  return alerts;
}

function sshSession(): StateTables {
  const s = new StateTables({ hostRoot: '/' });
  s.apply(makeEvent('execve', { pid: 1, ppid: 0, comm: 'systemd' }, { exe: '/sbin/init', comm: 'systemd' }));
  s.apply(makeEvent('clone', { pid: 1, ppid: 0, comm: 'systemd', ret: 100 }, { flags: 0, child_tid: 100, child_pid: 100 }));
  s.apply(makeEvent('execve', { pid: 100, ppid: 1, comm: 'sshd' }, { exe: '/usr/sbin/sshd', comm: 'sshd' }));
  s.apply(makeEvent('clone', { pid: 100, ppid: 1, comm: 'sshd', ret: 200 }, { flags: 0, child_tid: 200, child_pid: 200 }));
  s.apply(makeEvent('execve', { pid: 200, ppid: 100, comm: 'sshd' }, { exe: 'sshd: root@pts/0', comm: 'sshd' }));
  s.apply(makeEvent('clone', { pid: 200, ppid: 100, comm: 'sshd', ret: 300 }, { flags: 0, child_tid: 300, child_pid: 300 }));
  return s;
}

test('proc.aname without an index matches any ancestor; the output shows indexed ancestors', () => {
  const rules = load();
  const s = sshSession();
  const alerts = run(rules, s, makeEvent('execve', { pid: 300, ppid: 200, comm: 'bash' }, { exe: '-bash', comm: 'bash', cwd: '/root' }));
  assert.deepEqual(alerts, [{ rule: 'Shell under an ssh daemon', output: 'shell bash parent=sshd gparent=sshd user=root' }]);
  s.apply(makeEvent('clone', { pid: 300, ppid: 200, comm: 'bash', ret: 400 }, { flags: 0, child_tid: 400, child_pid: 400 }));
  const nested = run(rules, s, makeEvent('execve', { pid: 400, ppid: 300, comm: 'sh' }, { exe: 'sh', comm: 'sh' }));
  assert.equal(nested[0]?.rule, 'Shell under an ssh daemon', 'grand-ancestor sshd still counts');
  const fresh = new StateTables();
  assert.deepEqual(run(rules, fresh, makeEvent('execve', { pid: 9, ppid: 8, comm: 'bash' }, { exe: 'bash', comm: 'bash' })), [], 'no ancestors known: no match');
});

test('open_write with fd fields, the null rule on proc.pname, and symbolic flags in outputs', () => {
  const rules = load();
  const orphan = new StateTables();
  const alerts = run(rules, orphan, makeEvent('openat', { pid: 50, ppid: 49, comm: 'evil', ret: 3 }, { fd: 3, dirfd: -100, name: '/etc/ld.so.preload', flags: 0o1101 }));
  assert.deepEqual(alerts, [{ rule: 'Write below etc', output: 'file=/etc/ld.so.preload flags=O_TRUNC|O_CREAT|O_WRONLY' }]);
  const s = sshSession();
  s.apply(makeEvent('execve', { pid: 300, ppid: 200, comm: 'vi' }, { exe: 'vi', comm: 'vi', cwd: '/etc' }));
  const relative = run(rules, s, makeEvent('openat', { pid: 300, ppid: 200, comm: 'vi', ret: 4 }, { fd: 4, dirfd: -100, name: 'hosts', flags: 0o2 }));
  assert.deepEqual(relative, [{ rule: 'Write below etc by a known parent', output: 'file=/etc/hosts parent=sshd' }]);
  const reading = run(rules, s, makeEvent('openat', { pid: 300, ppid: 200, comm: 'vi', ret: 5 }, { fd: 5, dirfd: -100, name: 'hosts', flags: 0 }));
  assert.deepEqual(reading, []);
});

test('a failed open is seen with fd.num -1 and the errno name', () => {
  const alerts = run(load(), sshSession(), makeEvent('openat', { pid: 300, ppid: 200, comm: 'cat', ret: -13 }, { fd: -13, dirfd: -100, name: '/etc/shadow', flags: 0 }));
  assert.deepEqual(alerts, [{ rule: 'Failed open', output: 'res=EACCES name=/etc/shadow' }]);
});

test('filter-only fd.ip / fd.net and fd.snet on connect', () => {
  const rules = load();
  const s = sshSession();
  s.apply(makeEvent('socket', { pid: 300, ppid: 200, comm: 'curl', ret: 3 }, { fd: 3, domain: 2, type: 1, proto: 6 }));
  const out = run(rules, s, makeEvent('connect', { pid: 300, ppid: 200, comm: 'curl', ret: -115 }, { fd: 3, addr: { family: 2, addr: '93.184.216.34', port: 443 }, local: { family: 2, addr: '10.0.0.5', port: 50000 } }));
  assert.deepEqual(out, [{ rule: 'Outbound public', output: 'connection=10.0.0.5:50000->93.184.216.34:443 lport=50000 rport=443 proto=tcp' }]);
  s.apply(makeEvent('socket', { pid: 300, ppid: 200, comm: 'curl', ret: 4 }, { fd: 4, domain: 2, type: 1, proto: 6 }));
  const internal = run(rules, s, makeEvent('connect', { pid: 300, ppid: 200, comm: 'curl', ret: 0 }, { fd: 4, addr: { family: 2, addr: '10.1.2.3', port: 443 }, local: { family: 2, addr: '10.0.0.5', port: 50001 } }));
  assert.deepEqual(internal, [], 'server in RFC 1918');
  s.apply(makeEvent('socket', { pid: 300, ppid: 200, comm: 'curl', ret: 5 }, { fd: 5, domain: 2, type: 1, proto: 6 }));
  const loopback = run(rules, s, makeEvent('connect', { pid: 300, ppid: 200, comm: 'curl', ret: 0 }, { fd: 5, addr: { family: 2, addr: '127.0.0.1', port: 8080 }, local: { family: 2, addr: '127.0.0.1', port: 40000 } }));
  assert.deepEqual(loopback, [], 'an endpoint in 127.0.0.0/8: fd.net != fails');
});

test('ptrace requests compare by name; containers by cgroup', () => {
  const rules = load();
  const s = sshSession();
  assert.deepEqual(run(rules, s, makeEvent('ptrace', { pid: 300, ppid: 200, comm: 'gdb' }, { request: 16, pid: 1 })), [{ rule: 'Ptrace attach', output: 'request=PTRACE_ATTACH' }]);
  assert.deepEqual(run(rules, s, makeEvent('ptrace', { pid: 300, ppid: 200, comm: 'gdb' }, { request: 17, pid: 1 })), []);
  const cgroup = `/system.slice/docker-${'e'.repeat(64)}.scope`;
  assert.deepEqual(run(rules, s, makeEvent('execve', { pid: 600, ppid: 1, comm: 'sh', cgroup }, { exe: 'sh', comm: 'sh' })), [{ rule: 'Container shell', output: `container=${'e'.repeat(12)}` }]);
});
