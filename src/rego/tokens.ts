/** Token kinds of Rego's surface syntax. Keywords are lexed as identifiers and recognised by the parser. */
export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuator text, decoded string value or number source text. */
  text: string;
  start: number;
  end: number;
  /** A line break separates this token from the previous one: it may end a body expression. */
  newlineBefore: boolean;
}

/** Longest first, so `:=` wins over `:`. */
export const PUNCTUATORS = [
  ':=', '==', '!=', '<=', '>=',
  '{', '}', '[', ']', '(', ')', ',', ';', '.', ':', '=', '<', '>', '+', '-', '*', '/', '%', '|', '&',
] as const;

export const KEYWORDS = new Set([
  'package', 'import', 'default', 'not', 'with', 'as', 'some', 'else', 'if', 'contains', 'in', 'every',
  'true', 'false', 'null',
]);
