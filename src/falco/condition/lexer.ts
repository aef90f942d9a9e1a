/**
 * The scanning half of the condition parser. Falco's grammar is context dependent (the same text is
 * a bare string after `=`, a macro name at the start of a check and a list item inside `(...)`), so
 * there is no token stream: the parser asks the cursor for the token kind it expects at the current
 * offset, as libsinsp does. Each `lex*` method consumes on success, records the token text for
 * "unexpected token after 'X'" messages, and leaves the offset unchanged on failure.
 */

const BLANKS = ' \t\b\r\n';

/** POSIX [:space:] as used by the token classes (not the same set as the blanks skipped). */
const SPACE = ' \\t\\n\\v\\f\\r';

export const IDENTIFIER = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
export const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
export const FIELD_ARG_BARE = new RegExp(`[^\\]\\["'${SPACE}]+`, 'y');
export const HEX_NUMBER = /0[xX][0-9a-fA-F]+/y;
export const NUMBER = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
export const BARE_STRING = new RegExp(`[^()"'${SPACE}=,]+`, 'y');

export class LexError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

export interface QuotedString {
  value: string;
  start: number;
  end: number;
}

export class Cursor {
  pos = 0;
  /** Text of the last token consumed (blanks excluded). */
  last = '';

  constructor(readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  isBlankAt(offset: number): boolean {
    const c = this.text.charAt(offset);
    return c !== '' && BLANKS.includes(c);
  }

  /** Skip blanks; true if there was at least one. Does not change `last`. */
  lexBlank(): boolean {
    const start = this.pos;
    while (this.isBlankAt(this.pos)) this.pos++;
    return this.pos > start;
  }

  lexStr(s: string): boolean {
    if (!this.text.startsWith(s, this.pos)) return false;
    this.pos += s.length;
    this.last = s;
    return true;
  }

  /** The first of `options` the text continues with (order matters: '<=' before '<'). */
  lexOneOf<T extends string>(options: readonly T[]): T | undefined {
    for (const o of options) if (this.lexStr(o)) return o;
    return undefined;
  }

  lexRegex(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    this.last = m[0];
    return m[0];
  }

  /**
   * A '…' or "…" string. A delimiter preceded by a backslash never closes the string, even when
   * that backslash is itself escaped (`"a\\"` runs on) — Falco's scanner looks at the previous raw
   * character only. Returns undefined when no string starts here or it is unterminated.
   */
  lexQuoted(): QuotedString | undefined {
    const start = this.pos;
    const delimiter = this.text.charAt(start);
    if (delimiter !== '"' && delimiter !== "'") return undefined;
    let prev = delimiter; // the opening quote
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text.charAt(i);
      if (c === delimiter && prev !== '\\') {
        const value = unescapeQuoted(this.text, start + 1, i, delimiter);
        this.pos = i + 1;
        this.last = value;
        return { value, start, end: i + 1 };
      }
      prev = c;
    }
    return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '\\': '\\', '/': '/' };

/** Decode the body of a quoted string (between the delimiters); throws LexError on a bad escape. */
export function unescapeQuoted(text: string, from: number, to: number, delimiter: string): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const c = text.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = text.charAt(i + 1);
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (next === delimiter) {
      out += next;
      i++;
    } else if (next === ' ') {
      // Falco keeps the backslash and swallows the blank.
      out += '\\';
      i++;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4)) && i + 4 <= to) {
      out += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      throw new LexError(`invalid escape sequence '\\${next}' in quoted string`, i);
    }
  }
  return out;
}
