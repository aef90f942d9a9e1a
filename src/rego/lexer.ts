import { PUNCTUATORS, type Token } from './tokens.js';

export class LexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Splits Rego text into tokens; the whole module is lexed up front (modules are small). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let newlineBefore = false;
  const push = (kind: Token['kind'], value: string, start: number): void => {
    tokens.push({ kind, text: value, start, end: i, newlineBefore });
    newlineBefore = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      newlineBefore = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < text.length && isIdentPart(text[i]!)) i++;
      push('ident', text.slice(start, i), start);
    } else if (isDigit(c)) {
      const start = i;
      i = scanNumber(text, i);
      push('number', text.slice(start, i), start);
    } else if (c === '"') {
      const start = i;
      const value = scanString(text, i);
      i = value.end;
      push('string', value.text, start);
    } else if (c === '`') {
      const start = i;
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new LexError('unterminated raw string', start);
      i = close + 1;
      push('string', text.slice(start + 1, close), start);
    } else {
      const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
      if (!p) throw new LexError(`illegal token '${c}'`, i);
      const start = i;
      i += p.length;
      push('punct', p, start);
    }
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length, newlineBefore: true });
  return tokens;
}

function scanNumber(text: string, i: number): number {
  while (i < text.length && isDigit(text[i]!)) i++;
  if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
    i++;
    while (i < text.length && isDigit(text[i]!)) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (isDigit(text[j] ?? '')) {
      i = j;
      while (i < text.length && isDigit(text[i]!)) i++;
    }
  }
  return i;
}

/** A JSON string literal; JSON.parse does the escape decoding once the closing quote is found. */
function scanString(text: string, start: number): { text: string; end: number } {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') i += 2;
    else if (c === '"') break;
    else if (c === '\n') throw new LexError('non-terminated string', start);
    else i++;
  }
  if (i >= text.length) throw new LexError('non-terminated string', start);
  const raw = text.slice(start, i + 1);
  try {
    return { text: JSON.parse(raw) as string, end: i + 1 };
  } catch {
    throw new LexError('invalid string escape', start);
  }
}
