/** Shared shape of builtin implementations: values in, a value or undefined (= builtin error) out. */
import type { Value } from '../runtime/value.js';

export type BuiltinImpl = (...args: Value[]) => Value | undefined;

export const isString = (v: Value): v is string => typeof v === 'string';
export const isNumber = (v: Value): v is number => typeof v === 'number';

/** Unicode code points, as Go's string ranging counts them. */
export const codePoints = (s: string): string[] => Array.from(s);
