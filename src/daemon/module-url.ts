import { fileURLToPath } from 'node:url';

/**
 * A module next to the caller, as a file URL: `.ts` when vigil runs from its sources (tsx),
 * `.js` when it runs from dist/. Piscina and dynamic imports need the real file name.
 */
export function moduleUrl(relative: string, base: string): string {
  const ext = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(relative.replace(/\.js$/, ext), base).href;
}

/** A path inside the package (rules/, …), from src/daemon when run from sources or dist/src/daemon. */
export function packagePath(relative: string): string {
  const depth = import.meta.url.includes('/dist/src/') ? '../../../' : '../../';
  return fileURLToPath(new URL(depth + relative, import.meta.url));
}
