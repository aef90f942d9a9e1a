import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FdTable } from '../../src/state/fd-table.js';
import { resolvePath } from '../../src/state/paths.js';
import type { ThreadInfo } from '../../src/state/types.js';

function thread(cwd: string): ThreadInfo {
  const fds = new FdTable();
  fds.set({ num: 4, type: 'directory', name: '/var/lib', nameRaw: '/var/lib', openFlags: 0 });
  fds.set({ num: 5, type: 'directory', name: '/', nameRaw: '/', openFlags: 0 });
  return { cwd, fds } as unknown as ThreadInfo;
}

test('paths resolve against the cwd or a dirfd and normalise without touching the filesystem', () => {
  const t = thread('/home/ann');
  const cases: [string, number | undefined, string][] = [
    ['a', undefined, '/home/ann/a'],
    ['a', -100, '/home/ann/a'],
    ['../b/./c//d', undefined, '/home/b/c/d'],
    ['..', undefined, '/home'],
    ['../../..', undefined, '/'],
    ['/etc/../etc//passwd', undefined, '/etc/passwd'],
    ['/etc/', undefined, '/etc'],
    ['/', undefined, '/'],
    ['/a/.', undefined, '/a'],
    ['/a/..', undefined, '/'],
    ['/.hidden', undefined, '/.hidden'],
    ['/a/.b/..c', undefined, '/a/.b/..c'],
    ['x/', 4, '/var/lib/x'],
    ['x', 5, '/x'],
    ['x', 99, 'x'],
    ['', undefined, ''],
  ];
  for (const [raw, dirfd, want] of cases) assert.equal(resolvePath(raw, t, dirfd), want, `${raw} @ ${dirfd}`);
});

test('a thread without a known cwd keeps relative paths as given', () => {
  assert.equal(resolvePath('a/b', thread('<NA>'), undefined), 'a/b');
});
