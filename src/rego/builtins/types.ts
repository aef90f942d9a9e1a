import type { BuiltinImpl } from './impl.js';
import { typeName } from '../runtime/value.js';

const is = (name: string): BuiltinImpl => (v) => typeName(v) === name;

export const TYPES: Record<string, BuiltinImpl> = {
  is_string: is('string'),
  is_number: is('number'),
  is_boolean: is('boolean'),
  is_array: is('array'),
  is_set: is('set'),
  is_object: is('object'),
  is_null: is('null'),
  type_name: (v) => typeName(v),
};
