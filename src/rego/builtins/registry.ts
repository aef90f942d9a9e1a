/** Builtin implementations by name; each family registers its own table. */
import { AGGREGATES } from './aggregates.js';
import { ARRAYS } from './arrays.js';
import { COMPARISON } from './comparison.js';
import { BUILTIN_DECLS } from './decls.js';
import { ENCODING } from './encoding.js';
import type { BuiltinImpl } from './impl.js';
import { NUMBERS } from './numbers.js';
import { OBJECTS } from './objects.js';
import { REGEX } from './regex.js';
import { SETS } from './sets.js';
import { STRINGS } from './strings.js';
import { TYPES } from './types.js';

export const BUILTINS: Readonly<Record<string, BuiltinImpl>> = Object.freeze({
  ...COMPARISON, ...STRINGS, ...REGEX, ...ENCODING, ...AGGREGATES, ...ARRAYS, ...OBJECTS, ...SETS, ...NUMBERS, ...TYPES,
});

const missing = Object.keys(BUILTIN_DECLS).filter((n) => !(n in BUILTINS));
if (missing.length > 0) throw new Error(`builtins declared without an implementation: ${missing.join(', ')}`);
