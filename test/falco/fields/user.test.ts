import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateTables } from '../../../src/state/index.js';
import { evaluate, makeEvent } from '../../state/make-event.js';

function hostRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'vigil-user-fields-'));
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\nann:x:1000:1000:Ann:/home/ann:/bin/zsh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nstaff:x:1000:\n');
  return root;
}

const FIELDS = ['user.uid', 'user.name', 'user.homedir', 'user.shell', 'user.loginuid', 'user.loginname', 'group.gid', 'group.name'];

test('a known user and group, with a login user', () => {
  const s = new StateTables({ hostRoot: hostRoot() });
  const v = evaluate(s, makeEvent('execve', { pid: 3, comm: 'zsh', uid: 1000, gid: 1000, loginuid: 1000 }, { exe: 'zsh', comm: 'zsh', uid: 1000, gid: 1000, loginuid: 1000 }), FIELDS);
  assert.deepEqual(v, {
    'user.uid': 1000, 'user.name': 'ann', 'user.homedir': '/home/ann', 'user.shell': '/bin/zsh', 'user.loginuid': 1000, 'user.loginname': 'ann', 'group.gid': 1000, 'group.name': 'staff',
  });
});

test('sentinels: unknown ids are <NA>, uid 0 is root even without a database, unset loginuid is -1', () => {
  const s = new StateTables({ hostRoot: '/nonexistent' });
  const root = evaluate(s, makeEvent('close', { pid: 3, comm: 'x', uid: 0, gid: 0 }, { fd: 0 }), FIELDS);
  assert.deepEqual(root, {
    'user.uid': 0, 'user.name': 'root', 'user.homedir': '/root', 'user.shell': '<NA>', 'user.loginuid': -1, 'user.loginname': '<NA>', 'group.gid': 0, 'group.name': 'root',
  });
  const stranger = evaluate(s, makeEvent('close', { pid: 4, comm: 'x', uid: 4242, gid: 4242, loginuid: 4242 }, { fd: 0 }), ['user.name', 'user.loginname', 'group.name']);
  assert.deepEqual(stranger, { 'user.name': '<NA>', 'user.loginname': '<NA>', 'group.name': '<NA>' });
});

test("a container's users come from the container's own /etc/passwd", () => {
  const containerRoot = hostRoot();
  writeFileSync(join(containerRoot, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\nwww-data:x:1000:1000::/var/www:/usr/sbin/nologin\n');
  // /proc/<pid>/root of the container's process is where its files are: a fake /proc points there.
  const proc = mkdtempSync(join(tmpdir(), 'vigil-fake-proc-'));
  mkdirSync(join(proc, '77'));
  symlinkSync(containerRoot, join(proc, '77', 'root'));
  const s = new StateTables({ hostRoot: hostRoot(), procRoot: proc });
  const cgroup = `/docker/${'c'.repeat(64)}`;
  const v = evaluate(s, makeEvent('execve', { pid: 77, comm: 'php', uid: 1000, cgroup }, { exe: 'php', comm: 'php', uid: 1000 }), ['user.name', 'container.id']);
  assert.deepEqual(v, { 'user.name': 'www-data', 'container.id': 'c'.repeat(12) });
});
