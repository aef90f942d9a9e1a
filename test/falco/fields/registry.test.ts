import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD_CLASSES, FIELD_REGISTRY } from '../../../src/falco/fields/registry.js';

/**
 * Every field (with the argument form used) that the upstream stable, incubating and sandbox
 * rules files of falcosecurity/rules use in conditions and outputs, plus the 0.7.0-era ones.
 * The list was taken from reading those files; the files themselves are not part of vigil.
 */
const UPSTREAM_FIELDS: [string, string | undefined][] = [
  ['container.id', undefined], ['container.image', undefined], ['container.image.repository', undefined], ['container.info', undefined],
  ['container.mount.dest', '/proc*'], ['container.mount.dest', '/var/run/docker.sock'], ['container.mount.dest', '/'], ['container.mounts', undefined],
  ['container.name', undefined], ['container.privileged', undefined], ['container.start_ts', undefined],
  ['evt.arg', '0'], ['evt.arg', '1'], ['evt.arg.cmd', undefined], ['evt.arg.data', undefined], ['evt.arg.domain', undefined], ['evt.arg.fd', undefined],
  ['evt.arg.filename', undefined], ['evt.arg.flags', undefined], ['evt.arg.linkpath', undefined], ['evt.arg.mode', undefined], ['evt.arg.name', undefined],
  ['evt.arg.newpath', undefined], ['evt.arg.oldpath', undefined], ['evt.arg.path', undefined], ['evt.arg.request', undefined], ['evt.arg.target', undefined],
  ['evt.arg.uid', undefined], ['evt.args', undefined], ['evt.buffer', undefined], ['evt.dir', undefined], ['evt.hostname', undefined],
  ['evt.is_open_exec', undefined], ['evt.is_open_read', undefined], ['evt.is_open_write', undefined], ['evt.num', undefined], ['evt.rawres', undefined],
  ['evt.res', undefined], ['evt.type', undefined],
  ['fd.cip', undefined], ['fd.cip.name', undefined], ['fd.cnet', undefined], ['fd.connected', undefined], ['fd.directory', undefined], ['fd.filename', undefined],
  ['fd.ip', undefined], ['fd.l4proto', undefined], ['fd.lip.name', undefined], ['fd.lport', undefined], ['fd.name', undefined], ['fd.name_changed', undefined],
  ['fd.nameraw', undefined], ['fd.net', undefined], ['fd.num', undefined], ['fd.port', undefined], ['fd.rip', undefined], ['fd.rip.name', undefined],
  ['fd.rnet', undefined], ['fd.rport', undefined], ['fd.sip', undefined], ['fd.sip.name', undefined], ['fd.snet', undefined], ['fd.sockfamily', undefined],
  ['fd.sport', undefined], ['fd.type', undefined], ['fd.typechar', undefined],
  ['group.gid', undefined], ['group.name', undefined], ['k8s.ns.name', undefined], ['k8s.pod.name', undefined],
  ['proc.aexe', '2'], ['proc.aexepath', '2'], ['proc.aname', undefined], ['proc.aname', '1'], ['proc.aname', '2'], ['proc.aname', '3'], ['proc.aname', '4'],
  ['proc.aname', '5'], ['proc.aname', '6'], ['proc.aname', '7'], ['proc.args', undefined], ['proc.cmdline', undefined], ['proc.cwd', undefined],
  ['proc.duration', undefined], ['proc.env', undefined], ['proc.exe', undefined], ['proc.exe_ino.ctime', undefined], ['proc.exe_ino.ctime_duration_proc_start', undefined],
  ['proc.exe_ino.mtime', undefined], ['proc.exepath', undefined], ['proc.is_exe_from_memfd', undefined], ['proc.is_exe_upper_layer', undefined],
  ['proc.is_vpgid_leader', undefined], ['proc.name', undefined], ['proc.pcmdline', undefined], ['proc.pexe', undefined], ['proc.pexepath', undefined],
  ['proc.pname', undefined], ['proc.sname', undefined], ['proc.tty', undefined], ['proc.vpid', undefined],
  ['thread.cap_effective', undefined], ['thread.cap_permitted', undefined],
  ['user.loginname', undefined], ['user.loginuid', undefined], ['user.name', undefined], ['user.uid', undefined],
];

test('every field the upstream rulesets use resolves, with the argument form they use', () => {
  for (const [name, arg] of UPSTREAM_FIELDS) {
    const def = FIELD_REGISTRY.resolve(name, arg);
    assert.notEqual(typeof def, 'string', `${name}${arg === undefined ? '' : `[${arg}]`}: ${def as string}`);
  }
});

test('field types the operators depend on', () => {
  const typeOf = (name: string) => {
    const def = FIELD_REGISTRY.lookup(name);
    assert.notEqual(typeof def, 'string', name);
    return (def as { type: string }).type;
  };
  assert.equal(typeOf('evt.res'), 'charbuf');
  assert.equal(typeOf('evt.rawres'), 'int64');
  assert.equal(typeOf('fd.num'), 'int64');
  assert.equal(typeOf('fd.sport'), 'port');
  assert.equal(typeOf('fd.sip'), 'ipaddr');
  assert.equal(typeOf('fd.snet'), 'ipnet');
  assert.equal(typeOf('proc.tty'), 'uint32');
  assert.equal(typeOf('proc.duration'), 'reltime');
  assert.equal(typeOf('container.start_ts'), 'abstime');
  assert.equal(typeOf('evt.buffer'), 'bytebuf');
  assert.equal(typeOf('container.privileged'), 'bool');
  assert.equal(typeOf('evt.rawarg.flags'), 'uint32');
});

test('unknown names, misplaced and invalid arguments are reported, not thrown', () => {
  assert.equal(FIELD_REGISTRY.resolve('proc.nope', undefined), 'filter_check called with nonexistent field proc.nope');
  assert.equal(FIELD_REGISTRY.resolve('evt.arg.', undefined), 'filter_check called with nonexistent field evt.arg.');
  assert.equal(FIELD_REGISTRY.resolve('container.label', undefined), 'field container.label requires an argument');
  assert.equal(FIELD_REGISTRY.resolve('fd.name', 'x'), "field 'fd.name' does not take an argument");
  assert.match(FIELD_REGISTRY.resolve('proc.args', '-1') as string, /non-negative/);
});

test('the tables are well formed: unique names, a description, a state letter and a binder each', () => {
  const seen = new Set<string>();
  for (const cls of FIELD_CLASSES) {
    for (const f of cls.fields) {
      assert.ok(!seen.has(f.name), `duplicate ${f.name}`);
      seen.add(f.name);
      assert.ok(f.desc.length >= 8, `${f.name} has a description`);
      assert.ok(f.state.length > 0, `${f.name} names its state`);
      assert.equal(typeof f.bind, 'function');
      if (f.arg === 'none') assert.equal(typeof f.bind(undefined), 'function', f.name);
    }
  }
  assert.ok(seen.size > 150);
});
