/**
 * Field transformers (spec 4.5): tolower, toupper, b64 (decode), basename, len, and the
 * multi-argument join, concat and getopt. Each checks its argument types when the condition or
 * output is compiled and returns an extractor that applies it per event; a missing input (or a b64
 * decode failure) is a missing output, so the null rule carries through.
 */
import type { TransformerCall } from './condition/ast.js';
import type { Extractor, FieldType, FieldValue } from './fields/field.js';

/** A compiled field or transformer expression: how to get its value and what type it has. */
export interface OperandInfo {
  extract: Extractor;
  type: FieldType;
  /** Yields several values (list fields). */
  isList: boolean;
  /** Text used in messages: `proc.name`, `tolower(proc.name)`. */
  text: string;
}

/** A transformer argument: a compiled operand or a literal string (join's separator, concat parts). */
export type TransformerArg = OperandInfo | { literal: string };

const isString = (t: FieldType) => t === 'charbuf' || t === 'fspath';
const isLiteral = (a: TransformerArg): a is { literal: string } => 'literal' in a;

function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

function asciiUpper(s: string): string {
  return /[a-z]/.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string): Buffer | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
}

function textOf(v: FieldValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

/** Compile a transformer over already compiled arguments; a string is the compile error. */
export function compileTransformer(name: TransformerCall['name'], args: readonly TransformerArg[]): OperandInfo | string {
  const text = `${name}(${args.map((a) => (isLiteral(a) ? JSON.stringify(a.literal) : a.text)).join(', ')})`;
  const single = args.length === 1 && !isLiteral(args[0]!) ? args[0] : undefined;
  const wrongType = (t: FieldType) => `transformer '${name}' is not supported on fields of type ${t}`;
  switch (name) {
    case 'tolower':
    case 'toupper': {
      if (!single) return `transformer '${name}' takes exactly one field`;
      if (!isString(single.type) || single.isList) return wrongType(single.type);
      const map = name === 'tolower' ? asciiLower : asciiUpper;
      const inner = single.extract;
      return { text, type: single.type, isList: false, extract: (ctx) => mapString(inner(ctx), map) };
    }
    case 'basename': {
      if (!single) return `transformer '${name}' takes exactly one field`;
      if (!isString(single.type) || single.isList) return wrongType(single.type);
      const inner = single.extract;
      return { text, type: single.type, isList: false, extract: (ctx) => mapString(inner(ctx), (s) => s.slice(s.lastIndexOf('/') + 1)) };
    }
    case 'b64': {
      if (!single) return `transformer '${name}' takes exactly one field`;
      if ((!isString(single.type) && single.type !== 'bytebuf') || single.isList) return wrongType(single.type);
      const inner = single.extract;
      const asBytes = single.type === 'bytebuf';
      return {
        text,
        type: single.type,
        isList: false,
        extract: (ctx) => {
          const v = inner(ctx);
          if (v === undefined) return undefined;
          const decoded = decodeBase64(textOf(v));
          if (!decoded) return undefined;
          return asBytes ? new Uint8Array(decoded) : decoded.toString('latin1');
        },
      };
    }
    case 'len': {
      if (!single) return `transformer '${name}' takes exactly one field`;
      if (!single.isList && !isString(single.type) && single.type !== 'bytebuf') return wrongType(single.type);
      const inner = single.extract;
      return {
        text,
        type: 'uint64',
        isList: false,
        extract: (ctx) => {
          const v = inner(ctx);
          if (v === undefined) return undefined;
          if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
          if (v instanceof Uint8Array || Array.isArray(v)) return v.length;
          return undefined;
        },
      };
    }
    case 'join':
    case 'concat': {
      const [first, ...rest] = args;
      const sepArg = name === 'join' ? first : undefined;
      if (name === 'join' && (!sepArg || !isLiteral(sepArg))) return "transformer 'join' needs a separator string as its first argument";
      const separator = sepArg && isLiteral(sepArg) ? sepArg.literal : '';
      const parts = name === 'join' ? rest : args;
      if (parts.length === 0) return `transformer '${name}' needs at least one field`;
      const getters = parts.map((p) => (isLiteral(p) ? () => p.literal : p.extract));
      return {
        text,
        type: 'charbuf',
        isList: false,
        extract: (ctx) => {
          const out: string[] = [];
          for (const get of getters) {
            const v = get(ctx);
            if (v === undefined) return undefined;
            if (Array.isArray(v)) for (const item of v) out.push(String(item));
            else out.push(textOf(v));
          }
          return out.join(separator);
        },
      };
    }
    case 'getopt': {
      // getopt(field, "x"): the argument of option -x in a command line or argument list.
      const [source, option] = args;
      if (!source || isLiteral(source) || !option || !isLiteral(option) || args.length !== 2) {
        return "transformer 'getopt' takes a field and an option letter";
      }
      if (!isString(source.type) && !source.isList) return wrongType(source.type);
      const flag = `-${option.literal}`;
      const inner = source.extract;
      return {
        text,
        type: 'charbuf',
        isList: false,
        extract: (ctx) => {
          const v = inner(ctx);
          if (v === undefined) return undefined;
          const words = Array.isArray(v) ? v.map(String) : textOf(v).split(/\s+/);
          for (let i = 0; i < words.length; i++) {
            const w = words[i]!;
            if (w === flag) return words[i + 1];
            if (w.startsWith(flag) && w.length > flag.length) return w.slice(flag.length);
          }
          return undefined;
        },
      };
    }
  }
}

function mapString(v: FieldValue | undefined, map: (s: string) => string): FieldValue | undefined {
  return typeof v === 'string' ? map(v) : v === undefined ? undefined : map(textOf(v));
}
