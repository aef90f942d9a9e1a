/** The operators under their builtin names (`equal(a, b)`, `plus(a, b)` …), as OPA also exposes them. */
import type { BuiltinImpl } from './impl.js';
import { divide, equal, gt, gte, lt, lte, minus, plus, remainder, times } from '../runtime/ops.js';

export const COMPARISON: Record<string, BuiltinImpl> = {
  equal: (a, b) => equal(a, b),
  neq: (a, b) => !equal(a, b),
  lt: (a, b) => lt(a, b),
  lte: (a, b) => lte(a, b),
  gt: (a, b) => gt(a, b),
  gte: (a, b) => gte(a, b),
  plus,
  minus,
  mul: times,
  div: divide,
  rem: remainder,
};
