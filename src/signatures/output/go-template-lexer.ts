/**
 * The lexer of one template action (`{{ … }}` without its delimiters) for go-template.ts: fields,
 * variables, Go string/raw-string/char/number literals, identifiers and punctuation.
 */

export class TemplateError extends Error {}

export interface Token {
  kind: 'field' | 'var' | 'string' | 'number' | 'ident' | 'punct';
  text: string;
  value?: unknown;
  /** Written directly after the previous token (no space), which is how field chains are told apart. */
  joined: boolean;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[-+]?(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+)/y;

/** Split the inside of one action into tokens; `where` (`name:line`) prefixes error messages. */
export function lexAction(src: string, where: string): Token[] {
  const tokens: Token[] = [];
  let lastEnd = -1;
  const push = (token: Omit<Token, 'joined'>, start: number, end: number): void => {
    tokens.push({ ...token, joined: start === lastEnd });
    lastEnd = end;
  };
  let i = 0;
  const fail = (msg: string): never => {
    throw new TemplateError(`${where}: ${msg}`);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    // `.5` is a number; any other `.` starts a field (or is dot itself), `$` a variable.
    if (c === '$' || (c === '.' && !/[0-9]/.test(src[i + 1] ?? ''))) {
      IDENT.lastIndex = i + 1;
      const name = IDENT.exec(src)?.[0] ?? '';
      push({ kind: c === '.' ? 'field' : 'var', text: name }, i, i + 1 + name.length);
      i += 1 + name.length;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) fail('unterminated quoted string');
      const text = src.slice(i, j + 1);
      let value: unknown;
      try { value = JSON.parse(text.replace(/\\([abfv'])/g, (_, e: string) => ({ a: '\\u0007', b: '\\b', f: '\\f', v: '\\u000b', "'": "'" })[e]!)); } catch { fail(`bad string ${text}`); }
      push({ kind: 'string', text, value }, i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) fail('unterminated raw quoted string');
      push({ kind: 'string', text: src.slice(i, j + 1), value: src.slice(i + 1, j) }, i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === "'") {
      const j = src.indexOf("'", i + 1);
      if (j < 0) fail('unterminated character constant');
      const ch = src.slice(i + 1, j);
      push({ kind: 'number', text: src.slice(i, j + 1), value: (ch.startsWith('\\') ? JSON.parse(`"${ch}"`) as string : ch).codePointAt(0) }, i, j + 1);
      i = j + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = /[-+0-9.]/.test(c) ? NUMBER.exec(src) : null;
    if (num) {
      push({ kind: 'number', text: num[0], value: Number(num[0].replace(/_/g, '')) }, i, i + num[0].length);
      i += num[0].length;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(src);
    if (id) {
      push({ kind: 'ident', text: id[0] }, i, i + id[0].length);
      i += id[0].length;
      continue;
    }
    if (src.startsWith(':=', i)) { push({ kind: 'punct', text: ':=' }, i, i + 2); i += 2; continue; }
    if ('()|,='.includes(c)) { push({ kind: 'punct', text: c }, i, i + 1); i++; continue; }
    fail(`unexpected "${c}" in command`);
  }
  return tokens;
}
