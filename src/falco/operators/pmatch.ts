/**
 * pmatch: path-prefix match by components. Both sides split on '/', empty components dropped, so
 * leading and repeated slashes do not matter; true when some pattern's components are a prefix of
 * the value's (`/var/run` matches `/var/run/x` and `var//run`, not `/var/running`). A pattern
 * component may be a glob (`/var/*` + `/*.txt`). The value is walked in place: no splitting per event.
 */
import { compileGlob, matchGlob } from './glob.js';
import type { Matcher } from './types.js';

type Component = string | ReturnType<typeof compileGlob>;

const GLOB_CHARS = /[*?[\\]/;

function compilePath(path: string): Component[] {
  return path
    .split('/')
    .filter((c) => c.length > 0)
    .map((c) => (GLOB_CHARS.test(c) ? compileGlob(c) : c));
}

function matchesPrefix(value: string, pattern: readonly Component[]): boolean {
  let pos = 0;
  for (const component of pattern) {
    while (pos < value.length && value.charCodeAt(pos) === 47) pos++;
    if (pos >= value.length) return false;
    let end = value.indexOf('/', pos);
    if (end === -1) end = value.length;
    if (typeof component === 'string') {
      if (end - pos !== component.length || !value.startsWith(component, pos)) return false;
    } else if (!matchGlob(component, value.slice(pos, end), false)) {
      return false;
    }
    pos = end;
  }
  return true;
}

export function pmatchMatcher(paths: readonly string[]): Matcher {
  const patterns = paths.map(compilePath);
  return (v) => {
    const value = v as string;
    for (const p of patterns) if (matchesPrefix(value, p)) return true;
    return false;
  };
}
