/**
 * Numeric operators and the parsing of numeric right-hand sides by the field's type (spec 4.4):
 * the whole text must be a number (decimal, or 0x hex), unsigned types refuse a sign, ports also
 * take service names, abstime values are bigint. Values from extractors may be number or bigint;
 * loose equality and relational operators compare those by value.
 */
import type { Operator } from '../condition/ast.js';
import type { FieldType, FieldValue } from '../fields/field.js';
import { SERVICE_PORTS } from './services.js';
import type { Matcher } from './types.js';

type Num = number | bigint;

const SIGNED = /^[+-]?[0-9]+$/;
const UNSIGNED = /^\+?[0-9]+$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;
const DOUBLE = /^[+-]?[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?$/;

const BIGINT_TYPES: ReadonlySet<FieldType> = new Set(['abstime']);
const UNSIGNED_TYPES: ReadonlySet<FieldType> = new Set(['uint8', 'uint16', 'uint32', 'uint64', 'port', 'l4proto', 'mode', 'abstime', 'reltime']);

/** The numeric value of `text` for a field of `type`, or the error message. */
export function parseNumber(type: FieldType, text: string): Num | string {
  const invalid = `${text} is not a valid number`;
  if (type === 'port') {
    const service = SERVICE_PORTS.get(text);
    if (service !== undefined) return service;
  }
  if (type === 'double') return DOUBLE.test(text) ? Number(text) : invalid;
  let big: bigint;
  if (HEX.test(text)) big = BigInt(text);
  else if ((UNSIGNED_TYPES.has(type) ? UNSIGNED : SIGNED).test(text)) big = BigInt(text);
  else return invalid;
  if (BIGINT_TYPES.has(type)) return big;
  return Number(big);
}

export function numericMatcher(op: Operator, rhs: Num): Matcher | undefined {
  switch (op) {
    case '=':
    case '==':
      // eslint-disable-next-line eqeqeq -- number vs bigint compare by value
      return (v) => (v as Num) == rhs;
    case '!=':
      // eslint-disable-next-line eqeqeq
      return (v) => (v as Num) != rhs;
    case '<':
      return (v) => (v as Num) < rhs;
    case '<=':
      return (v) => (v as Num) <= rhs;
    case '>':
      return (v) => (v as Num) > rhs;
    case '>=':
      return (v) => (v as Num) >= rhs;
    default:
      return undefined;
  }
}

export function numericSetMatcher(values: readonly Num[]): Matcher {
  const set = new Set(values.map(Number));
  return (v: FieldValue) => set.has(typeof v === 'bigint' ? Number(v) : (v as number));
}

export function numericComparator(op: Operator): ((l: Num, r: Num) => boolean) | undefined {
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      // eslint-disable-next-line eqeqeq
      return (l, r) => l == r;
    case '!=':
      // eslint-disable-next-line eqeqeq
      return (l, r) => l != r;
    case '<':
      return (l, r) => l < r;
    case '<=':
      return (l, r) => l <= r;
    case '>':
      return (l, r) => l > r;
    case '>=':
      return (l, r) => l >= r;
    default:
      return undefined;
  }
}

export function parseBool(text: string): boolean | string {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return `${text} is not a valid boolean: expected true or false`;
}
