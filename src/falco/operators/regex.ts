/**
 * regex: a full (anchored) match, RE2 style, run by V8's linear-time engine so a rule's pattern
 * cannot hang the engine. Also the compiler hint of spec 4.1 step 7: a pattern that is only a
 * literal with optional leading/trailing `.*` is better written with =, startswith, endswith or
 * contains.
 */
import { tryFullMatchRegExp } from '../../regex/linear.js';
import type { MatcherOrError } from './types.js';

export function regexMatcher(pattern: string): MatcherOrError {
  const re = tryFullMatchRegExp(pattern);
  if (typeof re === 'string') return `invalid regular expression '${pattern}': ${re}`;
  return (v) => re.test(v as string);
}

const META = /[\\^$.|?*+()[\]{}]/;

/** The cheaper operator a regex could be replaced with, if any. */
export function simplerOperatorFor(pattern: string): string | undefined {
  const lead = pattern.startsWith('.*');
  const trail = pattern.endsWith('.*') && pattern.length >= (lead ? 4 : 2);
  const core = pattern.slice(lead ? 2 : 0, trail ? pattern.length - 2 : pattern.length);
  if (core.length === 0 || META.test(core)) return undefined;
  if (lead && trail) return 'contains';
  if (lead) return 'endswith';
  if (trail) return 'startswith';
  return '=';
}
