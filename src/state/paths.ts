import { posix } from 'node:path';
import { AT_FDCWD } from '../events/event.js';
import type { ThreadInfo } from './types.js';

/** Paths as the kernel resolves them for a thread: against a directory fd or the cwd, normalised (symlinks not followed). */

/** `//`, `.` or `..` components, or a trailing slash: only such paths need normalising (most do not). */
const NOT_NORMAL = /\/(?:\.{1,2})?(?:\/|$)/;

/** A path as the process meant it: relative paths resolved against the dirfd's path or the cwd, then normalised. */
export function resolvePath(raw: string, thread: ThreadInfo, dirfd: number | undefined): string {
  if (raw === '') return raw;
  let path = raw;
  if (!raw.startsWith('/')) {
    const base = dirfd === undefined || dirfd === AT_FDCWD ? thread.cwd : thread.fds.get(dirfd)?.name;
    if (!base || !base.startsWith('/')) return raw;
    path = base.endsWith('/') ? base + raw : `${base}/${raw}`;
  }
  if (!NOT_NORMAL.test(path) || path === '/') return path;
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}
