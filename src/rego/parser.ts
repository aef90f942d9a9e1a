/**
 * Rego parser (hand-written, recursive descent). Accepts both v0 (`p[x] { … }`) and v1
 * (`p contains x if { … }`) rule syntax; `import future.keywords…` and `import rego.v1` are accepted and
 * the keywords are always on.
 *
 * module     = "package" ident { "." ident } { import } { rule } ;
 * import     = "import" ident { "." ident } [ "as" ident ] ;
 * rule       = [ "default" ] head [ body { else } ] ;
 * head       = ident [ "(" [ term { "," term } ] ")" ] [ "[" term "]" ] [ "contains" term ]
 *              [ ( "=" | ":=" ) term ] ;
 * body       = "if" "{" query "}" | "if" literal | "{" query "}" ;
 * else       = "else" [ ( "=" | ":=" ) term ] body ;
 * query      = literal { ( ";" | NEWLINE ) literal } ;
 * literal    = ( "some" some-decl | "every" every | [ "not" ] expr ) { "with" term "as" term } ;
 * some-decl  = term [ "," term ] "in" term | ident { "," ident } ;
 * every      = term [ "," term ] "in" term "{" query "}" ;
 * expr       = member [ ( ":=" | "=" ) member ] | term "," term "in" term ;
 * member     = relation { "in" relation } ;
 * relation   = union { ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) union } ;
 * union      = inter { "|" inter } ;   inter = arith { "&" arith } ;
 * arith      = factor { ( "+" | "-" ) factor } ;   factor = unary { ( "*" | "/" | "%" ) unary } ;
 * unary      = [ "-" ] primary ;
 * primary    = scalar | "(" member ")" | array | object-or-set | ref ;
 * array      = "[" [ term "|" query | term { "," term } [ "," ] ] "]" ;
 * object     = "{" [ term ":" term "|" query | term ":" term { "," term ":" term } [ "," ] ] "}" ;
 * set        = "{" term "|" query | term { "," term } [ "," ] "}" | "set(" ")" ;
 * ref        = ( ident | call ) { "." ident | "[" member "]" } ;  call = ident { "." ident } "(" args ")" ;
 *
 * A line break ends a body literal when the literal is complete; inside brackets it is plain whitespace.
 */
import type { SourceText } from '../diagnostics/index.js';
import type { BinaryOp, Expr, Import, Literal, Loc, Module, Rule, Term, WithModifier } from './ast.js';
import { LexError, tokenize } from './lexer.js';
import type { Token } from './tokens.js';

export class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseModule(source: SourceText): Module {
  let tokens: Token[];
  try {
    tokens = tokenize(source.text);
  } catch (e) {
    if (e instanceof LexError) throw new ParseError(e.message, e.offset);
    throw e;
  }
  return new Parser(source, tokens).module();
}

/** Parses a standalone term such as a query ref (`data.tracee.TRC_2.tracee_match`). */
export function parseTermText(source: SourceText): Term {
  const p = new Parser(source, tokenize(source.text));
  const t = p.term();
  p.expectEnd();
  return t;
}

const RELATIONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private pos = 0;
  /** >0 inside brackets/parens, where line breaks do not end anything. */
  private nesting = 0;
  private wildcards = 0;

  constructor(
    private readonly source: SourceText,
    private readonly tokens: Token[],
  ) {}

  module(): Module {
    const pkgStart = this.tok.start;
    this.expectIdent('package');
    const pkg = this.dottedName();
    const pkgLoc = { start: pkgStart, end: this.prevEnd };
    const imports: Import[] = [];
    while (this.isIdent('import')) imports.push(this.importDecl());
    const rules: Rule[] = [];
    while (this.tok.kind !== 'eof') {
      if (this.isIdent('package')) throw this.error('only one package declaration per module');
      if (this.isIdent('import')) throw this.error('imports must come before rules');
      rules.push(this.rule());
    }
    return { source: this.source, pkg, pkgLoc, imports, rules };
  }

  expectEnd(): void {
    if (this.tok.kind !== 'eof') throw this.error(`unexpected ${this.describe(this.tok)}`);
  }

  private importDecl(): Import {
    const start = this.tok.start;
    this.next();
    const path = this.dottedName();
    let alias: string | null = null;
    if (this.isIdent('as')) {
      this.next();
      alias = this.identName();
    }
    return { path, alias, loc: { start, end: this.prevEnd } };
  }

  private rule(): Rule {
    const start = this.tok.start;
    const isDefault = this.isIdent('default');
    if (isDefault) this.next();
    if (this.tok.kind !== 'ident') throw this.error(`unexpected ${this.describe(this.tok)}, expected a rule`);
    const name = this.identName();
    const rule: Rule = {
      name, kind: 'complete', isDefault, args: [], key: null, value: null, assigned: false, body: [], elses: [],
      loc: { start, end: start },
    };
    if (this.isPunct('(') && !this.tok.newlineBefore) {
      rule.kind = 'function';
      rule.args = this.delimited('(', ')', () => this.term());
    } else if (this.isPunct('[') && !this.tok.newlineBefore) {
      this.next();
      this.nesting++;
      rule.key = this.term();
      this.nesting--;
      this.expectPunct(']');
      rule.kind = 'partialSet';
    } else if (this.isIdent('contains')) {
      this.next();
      rule.key = this.term();
      rule.kind = 'partialSet';
    }
    if ((this.isPunct('=') || this.isPunct(':=')) && !this.tok.newlineBefore) {
      if (rule.kind === 'partialSet' && this.tokens[this.pos - 1]!.text !== ']') throw this.error('unexpected assignment after contains');
      rule.assigned = this.tok.text === ':=';
      this.next();
      rule.value = this.term();
      if (rule.kind === 'partialSet') rule.kind = 'partialObject';
    }
    if (isDefault && (rule.value === null || rule.kind === 'partialSet' || rule.kind === 'partialObject')) {
      throw new ParseError('default rules must have a value and no key', start);
    }
    if (!isDefault && this.startsBody()) {
      rule.body = this.body();
      while (this.isIdent('else')) rule.elses.push(this.elseClause());
    }
    rule.loc.end = this.prevEnd;
    return rule;
  }

  private startsBody(): boolean {
    return this.isIdent('if') || (this.isPunct('{') && !this.tok.newlineBefore) || (this.isPunct('{') && this.tokens[this.pos - 1]!.text === ')');
  }

  private elseClause(): { value: Term | null; body: Literal[]; loc: Loc } {
    const start = this.tok.start;
    this.next();
    let value: Term | null = null;
    if (this.isPunct('=') || this.isPunct(':=')) {
      this.next();
      value = this.term();
    }
    const body = this.startsBody() ? this.body() : [];
    return { value, body, loc: { start, end: this.prevEnd } };
  }

  private body(): Literal[] {
    if (this.isIdent('if')) {
      this.next();
      if (!this.isPunct('{')) return [this.literal()];
    }
    return this.braceQuery();
  }

  private braceQuery(): Literal[] {
    this.expectPunct('{');
    const saved = this.nesting;
    this.nesting = 0;
    const lits = this.query('}');
    this.nesting = saved;
    this.expectPunct('}');
    return lits;
  }

  private query(close: string): Literal[] {
    const lits: Literal[] = [];
    while (!this.isPunct(close)) {
      lits.push(this.literal());
      if (this.isPunct(';')) this.next();
      else if (!this.isPunct(close) && !this.tok.newlineBefore) throw this.error(`unexpected ${this.describe(this.tok)}`);
    }
    if (lits.length === 0) throw this.error('found empty body');
    return lits;
  }

  private literal(): Literal {
    const start = this.tok.start;
    let negated = false;
    let expr: Expr;
    if (this.isIdent('some')) expr = this.someDecl();
    else if (this.isIdent('every')) expr = this.everyExpr();
    else {
      if (this.isIdent('not')) {
        this.next();
        negated = true;
      }
      expr = this.expr();
    }
    const withs: WithModifier[] = [];
    while (this.isIdent('with')) {
      const wStart = this.tok.start;
      this.next();
      const target = this.term();
      this.expectIdent('as');
      const value = this.term();
      withs.push({ target, value, loc: { start: wStart, end: this.prevEnd } });
    }
    return { negated, expr, withs, loc: { start, end: this.prevEnd } };
  }

  private someDecl(): Expr {
    const start = this.tok.start;
    this.next();
    const first = this.union();
    if (this.isIdent('in')) {
      this.next();
      return { kind: 'someIn', key: null, value: first, collection: this.union(), loc: { start, end: this.prevEnd } };
    }
    const vars = [first];
    while (this.isPunct(',')) {
      this.next();
      vars.push(this.union());
    }
    if (this.isIdent('in')) {
      if (vars.length !== 2) throw this.error('some … in takes one or two terms');
      this.next();
      return { kind: 'someIn', key: vars[0]!, value: vars[1]!, collection: this.union(), loc: { start, end: this.prevEnd } };
    }
    for (const v of vars) if (v.kind !== 'var') throw new ParseError('expected a variable in some declaration', v.loc.start);
    return { kind: 'some', vars, loc: { start, end: this.prevEnd } };
  }

  private everyExpr(): Expr {
    const start = this.tok.start;
    this.next();
    let key: Term | null = null;
    let value = this.union();
    if (this.isPunct(',')) {
      this.next();
      key = value;
      value = this.union();
    }
    this.expectIdent('in');
    const collection = this.union();
    const body = this.braceQuery();
    return { kind: 'every', key, value, collection, body, loc: { start, end: this.prevEnd } };
  }

  private expr(): Expr {
    const start = this.tok.start;
    const left = this.member();
    if (this.isPunct(',') && this.nesting === 0) {
      this.next();
      const value = this.union();
      this.expectIdent('in');
      const collection = this.union();
      return { kind: 'term', term: { kind: 'membership', key: left, value, collection, loc: { start, end: this.prevEnd } } };
    }
    if ((this.isPunct(':=') || this.isPunct('=')) && this.continues()) {
      const op = this.tok.text as ':=' | '=';
      this.next();
      const right = this.member();
      return { kind: 'assign', op, left, right, loc: { start, end: this.prevEnd } };
    }
    return { kind: 'term', term: left };
  }

  /** A term in argument position: full operator precedence, no assignment. */
  term(): Term {
    return this.member();
  }

  private member(): Term {
    let left = this.relation();
    while (this.isIdent('in') && this.continues()) {
      this.next();
      const collection = this.relation();
      left = { kind: 'membership', key: null, value: left, collection, loc: { start: left.loc.start, end: this.prevEnd } };
    }
    return left;
  }

  private relation(): Term {
    let left = this.union();
    while (this.tok.kind === 'punct' && RELATIONS.has(this.tok.text) && this.continues()) left = this.binary(left, () => this.union());
    return left;
  }

  private union(): Term {
    let left = this.inter();
    while (this.isPunct('|') && this.continues()) left = this.binary(left, () => this.inter());
    return left;
  }

  private inter(): Term {
    let left = this.arith();
    while (this.isPunct('&') && this.continues()) left = this.binary(left, () => this.arith());
    return left;
  }

  private arith(): Term {
    let left = this.factor();
    while ((this.isPunct('+') || this.isPunct('-')) && this.continues()) left = this.binary(left, () => this.factor());
    return left;
  }

  private factor(): Term {
    let left = this.unary();
    while ((this.isPunct('*') || this.isPunct('/') || this.isPunct('%')) && this.continues()) left = this.binary(left, () => this.unary());
    return left;
  }

  private binary(left: Term, right: () => Term): Term {
    const op = this.tok.text as BinaryOp;
    this.next();
    const r = right();
    return { kind: 'binary', op, left, right: r, loc: { start: left.loc.start, end: this.prevEnd } };
  }

  private unary(): Term {
    if (this.isPunct('-')) {
      const start = this.tok.start;
      this.next();
      if (this.tok.kind !== 'number' || this.tok.start !== start + 1) throw this.error('expected a number after -');
      const t = this.primary();
      if (t.kind === 'scalar' && typeof t.value === 'number') return { kind: 'scalar', value: -t.value, loc: { start, end: t.loc.end } };
      throw new ParseError('expected a number after -', start);
    }
    return this.primary();
  }

  private primary(): Term {
    const t = this.tok;
    const loc = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'number':
        this.next();
        return { kind: 'scalar', value: Number(t.text), loc };
      case 'string':
        this.next();
        return this.refTail({ kind: 'scalar', value: t.text, loc });
      case 'ident':
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return { kind: 'scalar', value: t.text === 'true', loc };
        }
        if (t.text === 'null') {
          this.next();
          return { kind: 'scalar', value: null, loc };
        }
        return this.refOrCall();
      case 'punct':
        if (t.text === '(') {
          this.next();
          this.nesting++;
          const inner = this.member();
          this.nesting--;
          this.expectPunct(')');
          return this.refTail(inner);
        }
        if (t.text === '[') return this.refTail(this.arrayLike());
        if (t.text === '{') return this.refTail(this.braceLike());
        break;
      case 'eof':
        break;
    }
    throw this.error(`unexpected ${this.describe(t)}`);
  }

  private arrayLike(): Term {
    const start = this.tok.start;
    this.next();
    this.nesting++;
    if (this.isPunct(']')) {
      this.nesting--;
      this.next();
      return { kind: 'array', items: [], loc: { start, end: this.prevEnd } };
    }
    const first = this.inter();
    if (this.isPunct('|')) {
      const body = this.comprehensionBody(']');
      return { kind: 'arrayCompr', head: first, body, loc: { start, end: this.prevEnd } };
    }
    const items = this.restOfList(first, ']');
    return { kind: 'array', items, loc: { start, end: this.prevEnd } };
  }

  private braceLike(): Term {
    const start = this.tok.start;
    this.next();
    this.nesting++;
    if (this.isPunct('}')) {
      this.nesting--;
      this.next();
      return { kind: 'object', entries: [], loc: { start, end: this.prevEnd } };
    }
    const first = this.inter();
    if (this.isPunct(':')) {
      this.next();
      const firstValue = this.inter();
      if (this.isPunct('|')) {
        const body = this.comprehensionBody('}');
        return { kind: 'objectCompr', key: first, value: firstValue, body, loc: { start, end: this.prevEnd } };
      }
      const entries: [Term, Term][] = [[first, this.continueRelation(firstValue)]];
      while (this.isPunct(',')) {
        this.next();
        if (this.isPunct('}')) break;
        const k = this.term();
        this.expectPunct(':');
        entries.push([k, this.term()]);
      }
      this.nesting--;
      this.expectPunct('}');
      return { kind: 'object', entries, loc: { start, end: this.prevEnd } };
    }
    if (this.isPunct('|')) {
      const body = this.comprehensionBody('}');
      return { kind: 'setCompr', head: first, body, loc: { start, end: this.prevEnd } };
    }
    const items = this.restOfList(first, '}');
    return { kind: 'set', items, loc: { start, end: this.prevEnd } };
  }

  /** The first element was parsed below `|` precedence (to spot comprehensions); finish it as a full term. */
  private continueRelation(first: Term): Term {
    let t = first;
    while (this.isPunct('|')) t = this.binary(t, () => this.inter());
    while (this.tok.kind === 'punct' && RELATIONS.has(this.tok.text)) t = this.binary(t, () => this.union());
    while (this.isIdent('in')) {
      this.next();
      const collection = this.relation();
      t = { kind: 'membership', key: null, value: t, collection, loc: { start: t.loc.start, end: this.prevEnd } };
    }
    return t;
  }

  private restOfList(first: Term, close: string): Term[] {
    const items = [this.continueRelation(first)];
    while (this.isPunct(',')) {
      this.next();
      if (this.isPunct(close)) break;
      items.push(this.term());
    }
    this.nesting--;
    this.expectPunct(close);
    return items;
  }

  private comprehensionBody(close: string): Literal[] {
    this.next();
    const saved = this.nesting;
    this.nesting = 0;
    const body = this.query(close);
    this.nesting = saved - 1;
    this.expectPunct(close);
    return body;
  }

  private refOrCall(): Term {
    const start = this.tok.start;
    const name = [this.identName()];
    while (this.isPunct('.') && !this.tok.newlineBefore && this.peek(1).kind === 'ident' && this.peekCallAhead()) {
      this.next();
      name.push(this.identName());
    }
    if (this.isPunct('(') && !this.tok.newlineBefore) {
      const args = this.delimited('(', ')', () => this.term());
      const loc = { start, end: this.prevEnd };
      if (name.length === 1 && name[0] === 'set' && args.length === 0) return this.refTail({ kind: 'set', items: [], loc });
      return this.refTail({ kind: 'call', name, args, loc });
    }
    const head: Term = { kind: 'var', name: this.varName(name[0]!), loc: { start, end: start + name[0]!.length } };
    return this.refTail(head);
  }

  /** True when `. ident { . ident } (` follows: the dotted name is a call like `helpers.f(x)`. */
  private peekCallAhead(): boolean {
    let i = this.pos;
    while (this.tokens[i]?.text === '.' && this.tokens[i + 1]?.kind === 'ident') i += 2;
    const t = this.tokens[i];
    return t !== undefined && t.text === '(' && t.kind === 'punct' && !t.newlineBefore;
  }

  private refTail(head: Term): Term {
    const path: Term[] = [];
    for (;;) {
      if (this.isPunct('.') && !this.tok.newlineBefore) {
        this.next();
        const t = this.tok;
        if (t.kind !== 'ident') throw this.error(`unexpected ${this.describe(t)}, expected a name after .`);
        this.next();
        path.push({ kind: 'scalar', value: t.text, loc: { start: t.start, end: t.end } });
      } else if (this.isPunct('[') && !this.tok.newlineBefore) {
        this.next();
        this.nesting++;
        path.push(this.member());
        this.nesting--;
        this.expectPunct(']');
      } else break;
    }
    if (path.length === 0) return head;
    if (head.kind === 'ref') return { kind: 'ref', head: head.head, path: [...head.path, ...path], loc: { start: head.loc.start, end: this.prevEnd } };
    return { kind: 'ref', head, path, loc: { start: head.loc.start, end: this.prevEnd } };
  }

  private varName(name: string): string {
    return name === '_' ? `_$${++this.wildcards}` : name;
  }

  private delimited<T>(open: string, close: string, item: () => T): T[] {
    this.expectPunct(open);
    this.nesting++;
    const items: T[] = [];
    while (!this.isPunct(close)) {
      items.push(item());
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.nesting--;
    this.expectPunct(close);
    return items;
  }

  private dottedName(): string[] {
    const parts = [this.identName()];
    while (this.isPunct('.') && !this.tok.newlineBefore) {
      this.next();
      parts.push(this.identName());
    }
    return parts;
  }

  private identName(): string {
    const t = this.tok;
    if (t.kind !== 'ident') throw this.error(`unexpected ${this.describe(t)}, expected a name`);
    this.next();
    return t.text;
  }

  /** An operator continues the current expression unless it starts a new body line. */
  private continues(): boolean {
    return this.nesting > 0 || !this.tok.newlineBefore;
  }

  private get tok(): Token {
    return this.tokens[this.pos]!;
  }

  private peek(n: number): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)]!;
  }

  private get prevEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1]!.end : 0;
  }

  private next(): void {
    if (this.pos < this.tokens.length - 1) this.pos++;
  }

  private isPunct(p: string): boolean {
    return this.tok.kind === 'punct' && this.tok.text === p;
  }

  private isIdent(name: string): boolean {
    return this.tok.kind === 'ident' && this.tok.text === name;
  }

  private expectPunct(p: string): void {
    if (!this.isPunct(p)) throw this.error(`unexpected ${this.describe(this.tok)}, expected ${p}`);
    this.next();
  }

  private expectIdent(name: string): void {
    if (!this.isIdent(name)) throw this.error(`unexpected ${this.describe(this.tok)}, expected ${name}`);
    this.next();
  }

  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of file';
    if (t.kind === 'string') return 'string';
    return `'${t.text}'`;
  }

  private error(message: string): ParseError {
    return new ParseError(message, this.tok.start);
  }
}
