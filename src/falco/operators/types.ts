/**
 * What every operator family shares: the value categories Falco's field types fall into, which
 * operators each category allows (libsinsp's per-type whitelist) and the matcher shape. A matcher
 * is built once at compile time from the right-hand side and called per event with a value that is
 * never undefined (the compiler applies the null rule before calling it).
 */
import type { Operator } from '../condition/ast.js';
import type { FieldType, FieldValue } from '../fields/field.js';

export type Matcher = (value: FieldValue) => boolean;

/** Either a matcher or the compile error message explaining why there is none. */
export type MatcherOrError = Matcher | string;

export type ValueCategory = 'string' | 'numeric' | 'bool' | 'ipaddr' | 'ipnet' | 'bytes';

export function categoryOf(type: FieldType): ValueCategory {
  switch (type) {
    case 'charbuf':
    case 'fspath':
      return 'string';
    case 'bool':
      return 'bool';
    case 'ipaddr':
      return 'ipaddr';
    case 'ipnet':
      return 'ipnet';
    case 'bytebuf':
      return 'bytes';
    default:
      return 'numeric';
  }
}

const NUMERIC_OPS: readonly Operator[] = ['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects', 'exists'];
const EQUALITY_OPS: readonly Operator[] = ['=', '==', '!=', 'in', 'intersects', 'exists'];
const BYTES_OPS: readonly Operator[] = ['=', '==', '!=', 'contains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'in', 'intersects', 'exists'];
const LIST_FIELD_OPS: readonly Operator[] = ['in', 'intersects', 'exists'];

const ALLOWED: Record<ValueCategory, readonly Operator[]> = {
  string: ['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', 'exists'],
  numeric: NUMERIC_OPS,
  bool: EQUALITY_OPS,
  ipaddr: EQUALITY_OPS,
  ipnet: EQUALITY_OPS,
  bytes: BYTES_OPS,
};

const FILTER_KIND: Record<ValueCategory, string> = {
  string: 'string',
  numeric: 'numeric',
  bool: 'boolean',
  ipaddr: 'IP address',
  ipnet: 'IP network',
  bytes: 'buffer',
};

/** undefined when `op` is allowed on a field of this category, else Falco's complaint. */
export function operatorError(op: Operator, category: ValueCategory, isList: boolean): string | undefined {
  if (isList) return LIST_FIELD_OPS.includes(op) ? undefined : `'${op}' operator not supported for list filters`;
  return ALLOWED[category].includes(op) ? undefined : `'${op}' operator not supported for ${FILTER_KIND[category]} filters`;
}

/** Operators whose right-hand side is a set of values. */
export function isSetOperator(op: Operator): boolean {
  return op === 'in' || op === 'intersects' || op === 'pmatch';
}
