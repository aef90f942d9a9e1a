/**
 * The 0.44 operator modifiers: `OP oneof|anyof|allof (v1, v2, …)` applies OP with each value;
 * exactly one / at least one / every application must hold.
 */
import type { Modifier } from '../condition/ast.js';
import type { Matcher } from './types.js';

export function modifierMatcher(modifier: Modifier, matchers: readonly Matcher[]): Matcher {
  switch (modifier) {
    case 'anyof':
      return (v) => {
        for (const m of matchers) if (m(v)) return true;
        return false;
      };
    case 'allof':
      return (v) => {
        for (const m of matchers) if (!m(v)) return false;
        return true;
      };
    case 'oneof':
      return (v) => {
        let hits = 0;
        for (const m of matchers) if (m(v) && ++hits > 1) return false;
        return hits === 1;
      };
  }
}
