/**
 * Parser for Falco conditions (libsinsp's filter grammar), recursive descent over a Cursor.
 *
 *   Expr      ::= OrExpr                                  (the whole input must be consumed)
 *   OrExpr    ::= AndExpr { "or" SEP AndExpr }            SEP ::= Blank+ | "(" (an embedded "(" starts
 *   AndExpr   ::= NotExpr { "and" SEP NotExpr }                    the next operand directly)
 *   NotExpr   ::= { "not" Blank+ } ( "not(" OrExpr ")" | Check )     every "not" toggles negation
 *   Check     ::= "(" OrExpr ")"
 *               | Operand Condition
 *               | Identifier                               macro reference
 *   Operand   ::= Field | Transformer
 *   Field     ::= FieldName [ "[" ( QuotedStr | ArgBareStr ) "]" ]     no blank before "["
 *   Transformer ::= TName "(" Blank* TArg { Blank* "," Blank* TArg } Blank* ")"
 *   TName     ::= "tolower" | "toupper" | "b64" | "basename" | "len"   one Operand argument
 *               | "join" | "concat" | "getopt"                          Operand or string arguments
 *   TArg      ::= Operand | QuotedStr | BareStr
 *   Condition ::= "exists"
 *               | NumOp Blank* ( RhsOperand | HexNumber | Number )
 *               | StrOp Blank+ Modifier Blank* ListRhs
 *               | StrOp Blank* ( RhsOperand | QuotedStr | BareStr )
 *               | ListOp Blank* ListRhs
 *   ListRhs   ::= "(" Blank* [ Value { Blank* "," Blank* Value } ] Blank* ")" | RhsOperand | Identifier
 *   RhsOperand ::= "val(" Blank* Field Blank* ")" | Transformer
 *   Value     ::= QuotedStr | BareStr
 *   NumOp     ::= "<=" | "<" | ">=" | ">"
 *   StrOp     ::= "==" | "=" | "!=" | ( "glob" | "iglob" | "contains" | "icontains" | "bcontains"
 *               | "startswith" | "bstartswith" | "endswith" | "regex" ) Blank
 *   ListOp    ::= "intersects" | "in" | "pmatch"
 *   Modifier  ::= "oneof" | "anyof" | "allof"                 only when followed by "(" or an identifier
 *   Blank     ::= " " | "\t" | "\b" | "\r" | "\n"
 *   Identifier ::= [a-zA-Z]+[a-zA-Z0-9_]*
 *   FieldName ::= Identifier ( "." Identifier )+
 *   BareStr   ::= [^()"'[:space:]=,]+          ArgBareStr ::= [^][\"'[:space:]]+
 *   Number    ::= [+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?     HexNumber ::= 0[xX][0-9a-fA-F]+
 *   QuotedStr ::= '…' | "…" with escapes \b \f \n \r \t \\ \/ \xHH and the delimiter itself
 *
 * Operators are tried in the order exists, NumOp, StrOp, ListOp, each list in the order written
 * (so "<=" wins over "<" and "intersects" over "in"). Keywords are prefixes: after a check, "or"
 * must be followed by a blank or "(" or it is an error. Recursion is bounded (MAX_DEPTH) so deep
 * nesting is a diagnostic, never a stack overflow. Errors point at the cursor where parsing stopped,
 * which is the start of the offending token.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type {
  Check,
  CheckValue,
  Expr,
  FieldOperand,
  FieldRef,
  ListValue,
  Modifier,
  Operator,
  StringValue,
  TransformerCall,
} from './ast.js';
import {
  BARE_STRING,
  Cursor,
  FIELD_ARG_BARE,
  FIELD_NAME,
  HEX_NUMBER,
  IDENTIFIER,
  LexError,
  NUMBER,
} from './lexer.js';
import { conditionDiagnostic, standaloneLocation, type ConditionLocation } from './location.js';

export const MAX_DEPTH = 1000;

const UNARY_OPS = ['exists'] as const;
const NUM_OPS = ['<=', '<', '>=', '>'] as const;
const SYMBOL_STR_OPS = ['==', '=', '!='] as const;
const WORD_STR_OPS = ['glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex'] as const;
const LIST_OPS = ['intersects', 'in', 'pmatch'] as const;
const MODIFIERS: readonly Modifier[] = ['oneof', 'anyof', 'allof'];

const SINGLE_ARG_TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len'] as const;
const MULTI_ARG_TRANSFORMERS = ['join', 'concat', 'getopt'] as const;
const TRANSFORMER_OPENERS = [...SINGLE_ARG_TRANSFORMERS, ...MULTI_ARG_TRANSFORMERS].map((t) => `${t}(`);

/** Every operator, in the order the parser tries them (for messages and for callers validating ops). */
export const OPERATORS: readonly Operator[] = [...UNARY_OPS, ...NUM_OPS, ...SYMBOL_STR_OPS, ...WORD_STR_OPS, ...LIST_OPS];

const quoteList = (items: readonly string[]) => items.map((i) => `'${i}'`).join(', ');
const TRANSFORMER_NAMES_MSG = quoteList(['val', ...SINGLE_ARG_TRANSFORMERS, ...MULTI_ARG_TRANSFORMERS]);

export interface ParseResult {
  ast?: Expr;
  diagnostics: Diagnostic[];
}

/** Parse a whole condition. Never throws; errors come back as LOAD_ERR_COMPILE_CONDITION diagnostics. */
export function parseCondition(text: string, location: ConditionLocation = standaloneLocation(text)): ParseResult {
  const parser = new Parser(text);
  try {
    return { ast: parser.parseAll(), diagnostics: [] };
  } catch (err) {
    return { diagnostics: [toDiagnostic(err, parser, location)] };
  }
}

export type OperandParse = { operand: FieldOperand; end: number } | { error: string; offset: number };

/**
 * Parse one field or transformer expression starting at `offset` (no leading blanks skipped), for
 * output formats (`%proc.name`, `%tolower(proc.name)`); the caller decides what follows it.
 */
export function parseOperandAt(text: string, offset: number): OperandParse {
  const parser = new Parser(text);
  parser.cursor.pos = offset;
  try {
    const operand = parser.parseOperandOnly();
    return { operand, end: parser.cursor.pos };
  } catch (err) {
    if (err instanceof LexError) return { error: err.message, offset: err.offset };
    throw err;
  }
}

function toDiagnostic(err: unknown, parser: Parser, location: ConditionLocation): Diagnostic {
  if (err instanceof LexError) return conditionDiagnostic('LOAD_ERR_COMPILE_CONDITION', 'error', err.message, location, err.offset);
  // A bug in the parser must still not escape as an exception.
  const message = err instanceof Error ? `internal parser error: ${err.message}` : 'internal parser error';
  return conditionDiagnostic('LOAD_ERR_COMPILE_CONDITION', 'error', message, location, parser.cursor.pos);
}

class Parser {
  readonly cursor: Cursor;
  private depth = 0;

  constructor(text: string) {
    this.cursor = new Cursor(text);
  }

  parseAll(): Expr {
    const c = this.cursor;
    if (c.text.length === 0) this.fail('filter input string is empty');
    const expr = this.parseOr();
    if (!c.atEnd()) this.fail(`unexpected token after '${c.last}', expecting 'or', 'and'`);
    return expr;
  }

  parseOperandOnly(): FieldOperand {
    const operand = this.tryOperand();
    if (!operand) this.fail(`expected a field or a valid transformer: ${TRANSFORMER_NAMES_MSG}`);
    return operand;
  }

  private fail(message: string, offset = this.cursor.pos): never {
    throw new LexError(message, offset);
  }

  private enter(): void {
    if (++this.depth >= MAX_DEPTH) this.fail(`exceeded max depth limit of ${MAX_DEPTH}`);
  }

  private leave<T>(value: T): T {
    this.depth--;
    return value;
  }

  private parseOr(): Expr {
    return this.parseJunction('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseJunction('and', () => this.parseNot());
  }

  /** and/or share one shape: operands separated by a keyword that needs a blank or "(" after it. */
  private parseJunction(keyword: 'and' | 'or', operand: () => Expr): Expr {
    this.enter();
    const c = this.cursor;
    c.lexBlank();
    const items = [operand()];
    c.lexBlank();
    while (c.lexStr(keyword)) {
      if (c.lexBlank()) items.push(operand());
      else if (c.lexStr('(')) items.push(this.parseEmbeddedRemainder());
      else this.fail(`expected blank or '(' after '${keyword}'`);
      c.lexBlank();
    }
    if (items.length === 1) return this.leave(items[0]!);
    return this.leave({ kind: keyword, items, start: items[0]!.start, end: items[items.length - 1]!.end });
  }

  private parseNot(): Expr {
    this.enter();
    const c = this.cursor;
    c.lexBlank();
    const start = c.pos;
    let negate = false;
    while (c.text.startsWith('not', c.pos) && c.isBlankAt(c.pos + 3)) {
      c.lexStr('not');
      c.lexBlank();
      negate = !negate;
    }
    let child: Expr;
    if (c.lexStr('not(')) {
      negate = !negate;
      child = this.parseEmbeddedRemainder();
    } else {
      child = this.parseCheck();
    }
    return this.leave(negate ? { kind: 'not', expr: child, start, end: child.end } : child);
  }

  /** After "(": an expression and its ")". Nodes keep their own spans so diagnostics point inside. */
  private parseEmbeddedRemainder(): Expr {
    this.enter();
    const c = this.cursor;
    c.lexBlank();
    const expr = this.parseOr();
    c.lexBlank();
    if (!c.lexStr(')')) this.fail("expected a ')' token");
    return this.leave(expr);
  }

  private parseCheck(): Expr {
    this.enter();
    const c = this.cursor;
    c.lexBlank();
    const start = c.pos;
    if (c.lexStr('(')) return this.leave(this.parseEmbeddedRemainder());
    const left = this.tryOperand();
    if (left) return this.leave(this.parseCondition(left));
    const name = c.lexRegex(IDENTIFIER);
    if (name !== undefined) return this.leave({ kind: 'macro', name, start, end: c.pos });
    return this.fail("expected a '(' token, a field check, or an identifier");
  }

  /** A field or transformer at the cursor, or undefined when neither starts here. */
  private tryOperand(): FieldOperand | undefined {
    const c = this.cursor;
    const start = c.pos;
    const opener = c.lexOneOf(TRANSFORMER_OPENERS);
    if (opener) return this.parseTransformerRemainder(opener.slice(0, -1) as TransformerCall['name'], start);
    const name = c.lexRegex(FIELD_NAME);
    if (name !== undefined) return this.parseFieldRemainder(name, start);
    return undefined;
  }

  private parseFieldRemainder(name: string, start: number): FieldRef {
    const c = this.cursor;
    if (!c.lexStr('[')) return { kind: 'field', name, start, end: c.pos };
    const argStart = c.pos;
    const quoted = this.lexQuotedOrNothing();
    const arg = quoted ?? c.lexRegex(FIELD_ARG_BARE);
    if (arg === undefined) this.fail('expected a valid field argument: a quoted string or a bare string', argStart);
    if (!c.lexStr(']')) this.fail("expected a ']' token");
    return { kind: 'field', name, arg, start, end: c.pos };
  }

  private parseTransformerRemainder(name: TransformerCall['name'], start: number): TransformerCall {
    this.enter();
    const c = this.cursor;
    const multi = (MULTI_ARG_TRANSFORMERS as readonly string[]).includes(name);
    const args: TransformerCall['args'] = [];
    do {
      c.lexBlank();
      const argStart = c.pos;
      const operand = this.tryOperand();
      if (operand) {
        args.push(operand);
      } else if (multi) {
        args.push(this.parseStringValue(false));
      } else {
        this.fail(`expected a field or a nested valid transformer: ${TRANSFORMER_NAMES_MSG}`, argStart);
      }
      c.lexBlank();
    } while (multi && c.lexStr(','));
    if (!c.lexStr(')')) this.fail("expected a ')' token closing the transformer");
    return this.leave({ kind: 'transformer', name, args, start, end: c.pos });
  }

  private parseCondition(left: FieldOperand): Check {
    this.enter();
    const c = this.cursor;
    c.lexBlank();
    const opStart = c.pos;
    const base = { kind: 'check' as const, left, opStart, start: left.start };
    if (c.lexOneOf(UNARY_OPS)) return this.leave({ ...base, op: 'exists', end: c.pos });

    const numOp = c.lexOneOf(NUM_OPS);
    if (numOp) {
      const value = this.parseNumberValue();
      return this.leave({ ...base, op: numOp, value, end: value.end });
    }
    const strOp = c.lexOneOf(SYMBOL_STR_OPS) ?? this.lexWordOp();
    if (strOp) {
      const modifier = this.lexModifier();
      const value = modifier ? this.parseListValue() : this.parseStrValueOrOperand();
      return this.leave({ ...base, op: strOp, ...(modifier ? { modifier } : {}), value, end: value.end });
    }
    const listOp = c.lexOneOf(LIST_OPS);
    if (listOp) {
      const value = this.parseListValue();
      return this.leave({ ...base, op: listOp, value, end: value.end });
    }
    return this.fail(`expected a valid check operator: one of ${quoteList(OPERATORS)}`);
  }

  /** Word operators only count when a blank follows (`containsx` is not `contains`). */
  private lexWordOp(): Operator | undefined {
    const c = this.cursor;
    for (const op of WORD_STR_OPS) {
      if (c.text.startsWith(op, c.pos) && c.isBlankAt(c.pos + op.length)) {
        c.lexStr(op);
        return op;
      }
    }
    return undefined;
  }

  /** `oneof`/`anyof`/`allof` after a blank and before "(" or an identifier; otherwise a plain value. */
  private lexModifier(): Modifier | undefined {
    const c = this.cursor;
    if (!c.isBlankAt(c.pos)) return undefined;
    const save = c.pos;
    c.lexBlank();
    for (const m of MODIFIERS) {
      if (!c.text.startsWith(m, c.pos)) continue;
      let after = c.pos + m.length;
      while (c.isBlankAt(after)) after++;
      const next = c.text.charAt(after);
      const blankAfter = after > c.pos + m.length;
      if (next === '(' || (blankAfter && /[a-zA-Z]/.test(next))) {
        c.lexStr(m);
        return m;
      }
    }
    c.pos = save;
    return undefined;
  }

  private parseNumberValue(): CheckValue {
    const c = this.cursor;
    c.lexBlank();
    const start = c.pos;
    const operand = this.tryRhsOperand();
    if (operand) return operand;
    const num = c.lexRegex(HEX_NUMBER) ?? c.lexRegex(NUMBER);
    if (num !== undefined) return { kind: 'string', value: num, quoted: false, start, end: c.pos };
    return this.fail(`expected a number value or a field with a valid transformer: ${TRANSFORMER_NAMES_MSG}`);
  }

  private parseStrValueOrOperand(): CheckValue {
    this.cursor.lexBlank();
    return this.tryRhsOperand() ?? this.parseStringValue(true);
  }

  private parseStringValue(operandsAllowed: boolean): StringValue {
    const c = this.cursor;
    const start = c.pos;
    const quoted = this.lexQuotedOrNothing();
    if (quoted !== undefined) return { kind: 'string', value: quoted, quoted: true, start, end: c.pos };
    const bare = c.lexRegex(BARE_STRING);
    if (bare !== undefined) return { kind: 'string', value: bare, quoted: false, start, end: c.pos };
    return this.fail(
      operandsAllowed ? `expected a string value or a field with a valid transformer: ${TRANSFORMER_NAMES_MSG}` : 'expected a string value',
    );
  }

  private lexQuotedOrNothing(): string | undefined {
    return this.cursor.lexQuoted()?.value;
  }

  private parseListValue(): CheckValue {
    this.enter();
    const c = this.cursor;
    c.lexBlank();
    const start = c.pos;
    if (c.lexStr('(')) {
      const items: StringValue[] = [];
      c.lexBlank();
      if (c.peek() !== ')') {
        items.push(this.parseStringValue(false));
        c.lexBlank();
        while (c.lexStr(',')) {
          c.lexBlank();
          items.push(this.parseStringValue(false));
          c.lexBlank();
        }
      }
      if (!c.lexStr(')')) this.fail("expected a ')' token");
      const list: ListValue = { kind: 'list', items, start, end: c.pos };
      return this.leave(list);
    }
    const operand = this.tryRhsOperand();
    if (operand) return this.leave(operand);
    const name = c.lexRegex(IDENTIFIER);
    if (name !== undefined) return this.leave({ kind: 'string', value: name, quoted: false, start, end: c.pos });
    return this.fail(`expected a list, an identifier, or a field with a valid transformer: ${TRANSFORMER_NAMES_MSG}`);
  }

  /** `val(field)` or a transformer used as the right-hand side. */
  private tryRhsOperand(): CheckValue | undefined {
    const c = this.cursor;
    const start = c.pos;
    if (c.lexStr('val(')) {
      c.lexBlank();
      const fieldStart = c.pos;
      const name = c.lexRegex(FIELD_NAME);
      if (name === undefined) this.fail("expected a field within 'val' transformer");
      const field = this.parseFieldRemainder(name, fieldStart);
      c.lexBlank();
      if (!c.lexStr(')')) this.fail("expected a ')' token closing the transformer");
      return { kind: 'fieldvalue', operand: field, start, end: c.pos };
    }
    const opener = c.lexOneOf(TRANSFORMER_OPENERS);
    if (!opener) return undefined;
    const operand = this.parseTransformerRemainder(opener.slice(0, -1) as TransformerCall['name'], start);
    return { kind: 'fieldvalue', operand, start, end: operand.end };
  }
}
