/**
 * Operator dispatch: from a field's type, an operator and its literal right-hand side(s) to one
 * matcher (built once at compile time), or from a type and an operator to a comparator for a
 * right-hand-side field. The per-family files hold the semantics; this file only routes and
 * parses literals by the left-hand type (spec 4.4).
 */
import type { Operator } from '../condition/ast.js';
import type { FieldType, FieldValue } from '../fields/field.js';
import { bytesMatcher } from './bytes.js';
import { dynamicGlob, globMatcher } from './glob.js';
import { ipMatcher, networkMatcher, parseIp, parseNetwork, type IpKey, type Network } from './ip.js';
import { numericComparator, numericMatcher, numericSetMatcher, parseBool, parseNumber } from './numeric.js';
import { pmatchMatcher } from './pmatch.js';
import { regexMatcher } from './regex.js';
import { stringComparator, stringMatcher, stringSetMatcher } from './strings.js';
import { categoryOf, isSetOperator, type Matcher, type MatcherOrError } from './types.js';

export { categoryOf, operatorError, isSetOperator, type Matcher, type MatcherOrError, type ValueCategory } from './types.js';
export { modifierMatcher } from './modifiers.js';
export { simplerOperatorFor } from './regex.js';

/** Parse every value with `parse`; the first failure's message wins. */
function parseAll<T>(values: readonly string[], parse: (text: string) => T | string): T[] | string {
  const out: T[] = [];
  for (const v of values) {
    const parsed = parse(v);
    if (typeof parsed === 'string') return parsed;
    out.push(parsed);
  }
  return out;
}

const unsupported = (op: Operator, type: FieldType) => `'${op}' operator not supported for ${type} values`;

/**
 * A matcher for `field OP values` where `values` has one element for scalar operators and the
 * list items for in / intersects / pmatch.
 */
export function literalMatcher(type: FieldType, op: Operator, values: readonly string[]): MatcherOrError {
  const single = values[0] ?? '';
  switch (categoryOf(type)) {
    case 'string':
      if (op === 'in' || op === 'intersects') return stringSetMatcher(values);
      if (op === 'pmatch') return pmatchMatcher(values);
      if (op === 'regex') return regexMatcher(single);
      if (op === 'glob' || op === 'iglob') return globMatcher(single, op === 'iglob');
      return stringMatcher(op, single) ?? unsupported(op, type);
    case 'numeric': {
      const nums = parseAll(values, (t) => parseNumber(type, t));
      if (typeof nums === 'string') return nums;
      if (isSetOperator(op)) return numericSetMatcher(nums);
      return numericMatcher(op, nums[0]!) ?? unsupported(op, type);
    }
    case 'bool': {
      const bools = parseAll(values, parseBool);
      if (typeof bools === 'string') return bools;
      if (op === '!=') return (v) => v !== bools[0];
      return (v) => bools.includes(v as boolean);
    }
    case 'ipaddr': {
      const ips = parseAll<IpKey>(values, (t) => parseIp(t) ?? `${t} is not a valid IP address`);
      if (typeof ips === 'string') return ips;
      return ipMatcher(op, ips) ?? unsupported(op, type);
    }
    case 'ipnet': {
      const nets = parseAll<Network>(values, parseNetwork);
      if (typeof nets === 'string') return nets;
      return networkMatcher(op, nets) ?? unsupported(op, type);
    }
    case 'bytes': {
      if (!isSetOperator(op)) return bytesMatcher(op, single) ?? unsupported(op, type);
      const each = values.map((v) => bytesMatcher('=', v) as Matcher);
      return (v) => each.some((m) => m(v));
    }
  }
}

export type Comparator = (left: FieldValue, right: FieldValue) => boolean;

/** A comparator for `field OP val(other)`; both sides have the same type. */
export function fieldComparator(type: FieldType, op: Operator): Comparator | string {
  const category = categoryOf(type);
  if (op === 'pmatch' || op === 'regex') return `'${op}' operator does not accept a field on the right-hand side`;
  switch (category) {
    case 'string': {
      if (op === 'glob' || op === 'iglob') {
        const glob = dynamicGlob(op === 'iglob');
        return (l, r) => glob(l as string, r as string);
      }
      const cmp = stringComparator(op);
      return cmp ? (l, r) => cmp(l as string, r as string) : unsupported(op, type);
    }
    case 'numeric': {
      const cmp = numericComparator(op);
      return cmp ? (l, r) => cmp(l as number, r as number) : unsupported(op, type);
    }
    case 'ipaddr': {
      const same = (l: FieldValue, r: FieldValue) => {
        const a = parseIp(l as string);
        return a !== undefined && a === parseIp(r as string);
      };
      return op === '!=' ? (l, r) => !same(l, r) : same;
    }
    default:
      if (op === '!=') return (l, r) => !sameValue(l, r);
      if (op === '=' || op === '==' || op === 'in' || op === 'intersects') return sameValue;
      return unsupported(op, type);
  }
}

function sameValue(l: FieldValue, r: FieldValue): boolean {
  if (l instanceof Uint8Array && r instanceof Uint8Array) return l.length === r.length && l.every((b, i) => b === r[i]);
  return l === r;
}
