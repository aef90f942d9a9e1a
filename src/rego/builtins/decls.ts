/**
 * Built-in declarations: name, parameter types and result type, kept apart from the implementations
 * (one family per file) so the compiler can check calls without loading the runtime (as OPA does).
 */
export type BuiltinType = 'any' | 'string' | 'number' | 'boolean' | 'array' | 'object' | 'set' | 'collection' | 'null';

export interface BuiltinDecl {
  args: BuiltinType[];
  result: BuiltinType;
}

const d = (args: BuiltinType[], result: BuiltinType): BuiltinDecl => ({ args, result });
const S: BuiltinType = 'string';
const N: BuiltinType = 'number';
const B: BuiltinType = 'boolean';
const A: BuiltinType = 'any';

export const BUILTIN_DECLS: Record<string, BuiltinDecl> = {
  // comparison and arithmetic under their builtin names
  equal: d([A, A], B),
  neq: d([A, A], B),
  lt: d([A, A], B),
  lte: d([A, A], B),
  gt: d([A, A], B),
  gte: d([A, A], B),
  plus: d([N, N], N),
  minus: d([A, A], A),
  mul: d([N, N], N),
  div: d([N, N], N),
  rem: d([N, N], N),
  // strings
  startswith: d([S, S], B),
  endswith: d([S, S], B),
  contains: d([S, S], B),
  lower: d([S], S),
  upper: d([S], S),
  concat: d([S, 'collection'], S),
  split: d([S, S], 'array'),
  trim: d([S, S], S),
  trim_left: d([S, S], S),
  trim_right: d([S, S], S),
  trim_prefix: d([S, S], S),
  trim_suffix: d([S, S], S),
  trim_space: d([S], S),
  replace: d([S, S, S], S),
  'strings.replace_n': d(['object', S], S),
  indexof: d([S, S], N),
  substring: d([S, N, N], S),
  sprintf: d([S, 'array'], S),
  format_int: d([N, N], S),
  'strings.reverse': d([S], S),
  // regex
  'regex.match': d([S, S], B),
  'regex.is_valid': d([A], B),
  'regex.find_n': d([S, S, N], 'array'),
  'regex.split': d([S, S], 'array'),
  // encoding
  'base64.encode': d([S], S),
  'base64.decode': d([S], S),
  'base64url.encode': d([S], S),
  'base64url.decode': d([S], S),
  'json.marshal': d([A], S),
  'json.unmarshal': d([S], A),
  'json.is_valid': d([S], B),
  // aggregates
  count: d([A], N),
  sum: d(['collection'], N),
  product: d(['collection'], N),
  max: d(['collection'], A),
  min: d(['collection'], A),
  sort: d(['collection'], 'array'),
  all: d(['collection'], B),
  any: d(['collection'], B),
  // arrays
  'array.concat': d(['array', 'array'], 'array'),
  'array.slice': d(['array', N, N], 'array'),
  'array.reverse': d(['array'], 'array'),
  // objects
  'object.get': d(['object', A, A], A),
  'object.keys': d(['object'], 'set'),
  'object.remove': d(['object', 'collection'], 'object'),
  'object.union': d(['object', 'object'], 'object'),
  // sets
  union: d(['set'], 'set'),
  intersection: d(['set'], 'set'),
  // numbers
  to_number: d([A], N),
  abs: d([N], N),
  round: d([N], N),
  ceil: d([N], N),
  floor: d([N], N),
  'numbers.range': d([N, N], 'array'),
  'bits.and': d([N, N], N),
  'bits.or': d([N, N], N),
  'bits.xor': d([N, N], N),
  'bits.negate': d([N], N),
  'bits.lsh': d([N, N], N),
  'bits.rsh': d([N, N], N),
  'net.cidr_contains': d([S, S], B),
  // types
  is_string: d([A], B),
  is_number: d([A], B),
  is_boolean: d([A], B),
  is_array: d([A], B),
  is_set: d([A], B),
  is_object: d([A], B),
  is_null: d([A], B),
  type_name: d([A], S),
};

/** Whether a constant argument can have the declared type (only scalars are known at compile time). */
export function constantFits(type: BuiltinType, value: null | boolean | number | string): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'collection':
      return false;
    default:
      return false;
  }
}
