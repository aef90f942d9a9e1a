import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGroup, parsePasswd, UserTable } from '../../src/state/users.js';

function fakeRoot(passwd: string, group: string): string {
  const root = mkdtempSync(join(tmpdir(), 'vigil-users-'));
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/passwd'), passwd);
  writeFileSync(join(root, 'etc/group'), group);
  return root;
}

test('passwd and group files parse; the first entry of an id wins; junk lines are skipped', () => {
  const users = parsePasswd('root:x:0:0:root:/root:/bin/bash\n# comment\nbroken line\nann:x:1000:1000:Ann:/home/ann:/bin/zsh\ntoor:x:0:0::/:/bin/sh\n:x::0::/:\n');
  assert.deepEqual(users.get(0), { uid: 0, gid: 0, name: 'root', home: '/root', shell: '/bin/bash' });
  assert.equal(users.get(1000)?.name, 'ann');
  assert.equal(users.size, 2);
  const groups = parseGroup('root:x:0:\nwheel:x:10:ann,bob\nbad\n');
  assert.equal(groups.get(10)?.name, 'wheel');
  assert.equal(groups.size, 2);
});

test('host and per-container databases are separate', () => {
  const host = fakeRoot('root:x:0:0::/root:/bin/sh\nann:x:1000:1000::/home/ann:/bin/sh\n', 'root:x:0:\n');
  const inContainer = fakeRoot('root:x:0:0::/root:/bin/sh\nwww-data:x:1000:1000::/var/www:/usr/sbin/nologin\n', 'www-data:x:1000:\n');
  const table = new UserTable({ hostRoot: host, containerRoot: (id) => (id === 'c1' ? inContainer : undefined) });
  assert.equal(table.user(1000, 'host')?.name, 'ann');
  assert.equal(table.user(1000, 'c1')?.name, 'www-data');
  assert.equal(table.group(1000, 'c1')?.name, 'www-data');
  assert.equal(table.user(1000, 'unknown-container'), undefined);
  assert.equal(table.user(4242, 'host'), undefined);
});

test('an id missing from a stale database triggers one re-read', () => {
  const host = fakeRoot('root:x:0:0::/root:/bin/sh\n', 'root:x:0:\n');
  const table = new UserTable({ hostRoot: host, refreshMs: 0 });
  assert.equal(table.user(1001, 'host'), undefined);
  appendFileSync(join(host, 'etc/passwd'), 'newbie:x:1001:1001::/home/newbie:/bin/sh\n');
  assert.equal(table.user(1001, 'host')?.name, 'newbie');
});

test("this machine's own /etc/passwd has root", () => {
  assert.equal(new UserTable().user(0, 'host')?.name, 'root');
});
