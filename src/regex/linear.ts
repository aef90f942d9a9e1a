import v8 from 'node:v8';

/**
 * Regexes written by rule authors (Falco `regex`, Rego `regex.match`, globs) run on every event, so a
 * pathological pattern must not be able to stall a worker. V8's experimental linear-time engine
 * (flag `l`) guarantees O(pattern × input) matching; it refuses what needs backtracking
 * (backreferences, lookarounds) — the same subset RE2 refuses — and, in node 20, the `i` and `u`
 * flags and large bounded repetitions. Callers that need case folding expand it into classes.
 */
v8.setFlagsFromString('--enable-experimental-regexp-engine');

/** Compile `source` for the linear engine; throws SyntaxError when it is invalid or not linear. */
export function linearRegExp(source: string, flags = ''): RegExp {
  return new RegExp(source, `l${flags}`);
}

/** Like linearRegExp, but returns the engine's complaint instead of throwing. */
export function tryLinearRegExp(source: string, flags = ''): RegExp | string {
  try {
    return linearRegExp(source, flags);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

/** A regex that matches the whole input only (RE2 FullMatch semantics). */
export function tryFullMatchRegExp(source: string): RegExp | string {
  return tryLinearRegExp(`^(?:${source})$`);
}

/** Escape text so it matches itself inside a regex. */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
