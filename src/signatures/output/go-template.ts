/**
 * A Go text/template compatible engine, enough for tracee-rules output templates: text and actions
 * with trim markers (`{{- … -}}`), comments, pipelines (`a | f b`), field chains on dot, variables and
 * parenthesised pipelines (`.Event.Payload.ProcessName`, `$x.Name`, `(index .Data "k").X`), variable
 * declaration and assignment, `if`/`range`/`with` with `else` and `else if`, literals, and functions
 * from a table (Go's built-ins plus the Sprig functions in template-functions.ts).
 *
 *   template = { text | "{{" ["- "] action [" -"] "}}" }
 *   action   = "/*" … "*\/" | "if" pipeline | "else" [ "if" pipeline ] | "end" | "range" pipeline
 *            | "with" pipeline | pipeline
 *   pipeline = [ "$x" [ "," "$y" ] ( ":=" | "=" ) ] command { "|" command }
 *   command  = operand { operand }
 *   operand  = term { "." Field }
 *   term     = "." | "." Field | "$" [name] | string | raw string | number | "true" | "false" | "nil"
 *            | function name | "(" pipeline ")"
 *
 * Parse errors carry the template name and line (`simple.tmpl:3: unexpected "}"`); execution errors
 * name the failing field the way Go does (`can't evaluate field X in type Y`).
 */
import { formatGoValue, GoNilMap, GoStruct } from './go-format.js';
import { lexAction, TemplateError, type Token } from './go-template-lexer.js';

export { TemplateError };

type Term =
  | { kind: 'dot' }
  | { kind: 'field'; names: string[] } // .A.B on dot
  | { kind: 'var'; name: string; names: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'func'; name: string }
  | { kind: 'paren'; pipe: Pipeline; names: string[] };
type Command = Term[];
interface Pipeline { decl: string[]; assign: boolean; commands: Command[]; line: number }
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with' | 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[] };

export type TemplateFunction = (...args: unknown[]) => unknown;

class PipelineParser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly where: string, private readonly line: number, private readonly funcs: Map<string, TemplateFunction>) {}

  private fail(msg: string): never {
    throw new TemplateError(`${this.where}: ${msg}`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  parse(): Pipeline {
    const pipe = this.pipeline();
    if (this.pos < this.tokens.length) this.fail(`unexpected "${this.peek()!.text}" in command`);
    return pipe;
  }

  private pipeline(): Pipeline {
    const decl: string[] = [];
    let assign = false;
    const save = this.pos;
    while (this.peek()?.kind === 'var') {
      decl.push(this.tokens[this.pos++]!.text);
      const t = this.peek();
      if (t?.text === ',' && decl.length === 1) { this.pos++; continue; }
      if (t?.text === ':=' || t?.text === '=') { assign = t.text === '='; this.pos++; break; }
      decl.length = 0;
      this.pos = save;
      break;
    }
    const commands: Command[] = [];
    for (;;) {
      const command = this.command();
      if (command.length === 0) this.fail('missing command');
      commands.push(command);
      if (this.peek()?.text !== '|') break;
      this.pos++;
    }
    return { decl, assign, commands, line: this.line };
  }

  private command(): Command {
    const terms: Term[] = [];
    for (let t = this.peek(); t !== undefined && t.text !== '|' && t.text !== ')'; t = this.peek()) terms.push(this.operand());
    return terms;
  }

  private fieldChain(): string[] {
    const names: string[] = [];
    // Only fields written right after the operand (`.A.B`, `$x.A`, `(…).A`) chain; `.A .B` are two operands.
    while (this.peek()?.kind === 'field' && this.peek()!.text !== '' && this.peek()!.joined) names.push(this.tokens[this.pos++]!.text);
    return names;
  }

  private operand(): Term {
    const t = this.tokens[this.pos++]!;
    switch (t.kind) {
      case 'field':
        if (t.text === '') return { kind: 'dot' };
        return { kind: 'field', names: [t.text, ...this.fieldChain()] };
      case 'var':
        return { kind: 'var', name: t.text, names: this.fieldChain() };
      case 'string':
      case 'number':
        return { kind: 'literal', value: t.value };
      case 'ident':
        if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
        if (t.text === 'nil') return { kind: 'literal', value: null };
        if (!this.funcs.has(t.text)) this.fail(`function "${t.text}" not defined`);
        return { kind: 'func', name: t.text };
      default:
        if (t.text === '(') {
          const pipe = this.pipeline();
          if (this.tokens[this.pos++]?.text !== ')') this.fail('unclosed left paren');
          return { kind: 'paren', pipe, names: this.fieldChain() };
        }
        return this.fail(`unexpected "${t.text}" in operand`);
    }
  }
}

const CONTROL = /^(if|range|with|else|end|define|template|block)\b/;

/** Parse a template text into its node tree. */
function parseTemplate(name: string, text: string, funcs: Map<string, TemplateFunction>): Node[] {
  const root: Node[] = [];
  // `chained`: opened by `{{else if}}`, so the {{end}} that closes it closes its parent too.
  const stack: { node: Extract<Node, { body: Node[] }>; inElse: boolean; chained: boolean }[] = [];
  const current = (): Node[] => {
    const top = stack[stack.length - 1];
    return top === undefined ? root : top.inElse ? top.node.otherwise : top.node.body;
  };
  let i = 0;
  let trimNext = false;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    let chunk = open < 0 ? text.slice(i) : text.slice(i, open);
    if (trimNext) chunk = chunk.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) { if (chunk) current().push({ kind: 'text', text: chunk }); break; }
    let start = open + 2;
    if (text.startsWith('- ', start) || text.startsWith('-\t', start) || text.startsWith('-\n', start)) { chunk = chunk.replace(/\s+$/, ''); start += 1; }
    if (chunk) current().push({ kind: 'text', text: chunk });
    const line = text.slice(0, open).split('\n').length;
    const where = `${name}:${line}`;
    const commentEnd = /^\s?\/\*/.test(text.slice(start, start + 3)) ? text.indexOf('*/', start) : -1;
    const end = text.indexOf('}}', commentEnd < 0 ? start : commentEnd);
    if (end < 0) throw new TemplateError(`${where}: unclosed action`);
    let body = text.slice(start, end);
    if (/[ \t\n]-$/.test(body)) { body = body.slice(0, -1); trimNext = true; }
    i = end + 2;
    body = body.trim();
    if (body.startsWith('/*')) continue;
    const keyword = CONTROL.exec(body)?.[1];
    const rest = keyword ? body.slice(keyword.length) : body;
    const pipeline = (src: string): Pipeline => new PipelineParser(lexAction(src, where), where, line, funcs).parse();
    switch (keyword) {
      case 'if': case 'range': case 'with': {
        const node = { kind: keyword, pipe: pipeline(rest), body: [] as Node[], otherwise: [] as Node[] };
        current().push(node);
        stack.push({ node, inElse: false, chained: false });
        break;
      }
      case 'else': {
        const top = stack[stack.length - 1];
        if (top === undefined || top.inElse) throw new TemplateError(`${where}: unexpected {{else}}`);
        top.inElse = true;
        const chained = /^\s*(if|with)\b/.exec(rest);
        if (chained) {
          const node = { kind: chained[1] as 'if' | 'with', pipe: pipeline(rest.slice(chained[0].length)), body: [] as Node[], otherwise: [] as Node[] };
          top.node.otherwise.push(node);
          stack.push({ node, inElse: false, chained: true });
        }
        break;
      }
      case 'end': {
        let top = stack.pop();
        if (top === undefined) throw new TemplateError(`${where}: unexpected {{end}}`);
        while (top.chained) top = stack.pop()!;
        break;
      }
      case undefined:
        current().push({ kind: 'action', pipe: pipeline(body) });
        break;
      default:
        throw new TemplateError(`${where}: {{${keyword}}} is not supported`);
    }
  }
  if (stack.length > 0) throw new TemplateError(`${name}: unexpected EOF (missing {{end}})`);
  return root;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (value instanceof GoStruct) return 'struct';
  if (Array.isArray(value)) return 'slice';
  return typeof value === 'object' ? 'map' : typeof value;
}

/** Go's notion of truth for if/with/and/or/not. */
export function isTrue(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '' || value instanceof GoNilMap) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Set || value instanceof Map) return value.size > 0;
  if (typeof value === 'object' && !(value instanceof GoStruct) && value.constructor === Object) return Object.keys(value).length > 0;
  return true;
}

function field(value: unknown, name: string, line: number, templateName: string): unknown {
  if (value instanceof GoStruct) {
    if (!(name in value.fields)) throw new TemplateError(`${templateName}:${line}: can't evaluate field ${name} in type struct`);
    return value.fields[name];
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const map = value as Record<string, unknown>;
    return Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
  }
  if (value === null || value === undefined) throw new TemplateError(`${templateName}:${line}: nil pointer evaluating ${typeName(value)}.${name}`);
  throw new TemplateError(`${templateName}:${line}: can't evaluate field ${name} in type ${typeName(value)}`);
}

class Executor {
  private vars: { name: string; value: unknown }[] = [];
  out = '';

  constructor(private readonly name: string, private readonly funcs: Map<string, TemplateFunction>) {}

  run(nodes: Node[], dot: unknown): void {
    for (const node of nodes) this.node(node, dot);
  }

  private lookup(name: string, line: number): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    throw new TemplateError(`${this.name}:${line}: undefined variable: $${name}`);
  }

  private node(node: Node, dot: unknown): void {
    const mark = this.vars.length;
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const value = this.pipeline(node.pipe, dot);
        if (node.pipe.decl.length === 0) this.out += value === undefined ? '<no value>' : formatGoValue(value);
        return;
      }
      case 'if':
      case 'with': {
        const value = this.pipeline(node.pipe, dot);
        if (isTrue(value)) this.run(node.body, node.kind === 'with' ? value : dot);
        else this.run(node.otherwise, dot);
        break;
      }
      case 'range': {
        // range binds its declared variables per element, not to the whole value.
        const value = this.pipeline(node.pipe, dot, false);
        const entries: [unknown, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v])
          : value instanceof Set ? [...value].map((v, i) => [i, v])
          : typeof value === 'number' ? Array.from({ length: value }, (_, i) => [i, i])
          : typeof value === 'object' && value !== null && !(value instanceof GoStruct)
            ? Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]])
            : value === null || value === undefined ? []
            : (() => { throw new TemplateError(`${this.name}:${node.pipe.line}: range can't iterate over ${formatGoValue(value)}`); })();
        if (entries.length === 0) { this.run(node.otherwise, dot); break; }
        const inner = this.vars.length;
        for (const [key, item] of entries) {
          this.vars.length = inner;
          const decl = node.pipe.decl;
          if (decl.length === 1) this.vars.push({ name: decl[0]!, value: item });
          if (decl.length === 2) this.vars.push({ name: decl[0]!, value: key }, { name: decl[1]!, value: item });
          this.run(node.body, item);
        }
        break;
      }
    }
    this.vars.length = mark;
  }

  private pipeline(pipe: Pipeline, dot: unknown, bind = true): unknown {
    let value: unknown;
    let piped = false;
    for (const command of pipe.commands) {
      value = this.command(command, dot, piped ? { value } : undefined, pipe.line);
      piped = true;
    }
    if (bind && pipe.decl.length > 0) {
      if (pipe.assign) {
        const v = [...this.vars].reverse().find((x) => x.name === pipe.decl[0]);
        if (v === undefined) throw new TemplateError(`${this.name}:${pipe.line}: undefined variable: $${pipe.decl[0]}`);
        v.value = value;
      } else {
        this.vars.push({ name: pipe.decl[0]!, value });
      }
    }
    return value;
  }

  private command(command: Command, dot: unknown, piped: { value: unknown } | undefined, line: number): unknown {
    const [first, ...rest] = command;
    if (first!.kind === 'func') {
      const args = rest.map((t) => this.term(t, dot, line));
      if (piped) args.push(piped.value);
      try {
        return this.funcs.get(first!.name)!(...args);
      } catch (e) {
        if (e instanceof TemplateError) throw e;
        throw new TemplateError(`${this.name}:${line}: error calling ${first!.name}: ${(e as Error).message}`);
      }
    }
    if (rest.length > 0 || piped) throw new TemplateError(`${this.name}:${line}: can't give argument to non-function`);
    return this.term(first!, dot, line);
  }

  private chain(value: unknown, names: string[], line: number): unknown {
    let v = value;
    for (const n of names) v = field(v, n, line, this.name);
    return v;
  }

  private term(term: Term, dot: unknown, line: number): unknown {
    switch (term.kind) {
      case 'dot': return dot;
      case 'field': return this.chain(dot, term.names, line);
      case 'var': return this.chain(term.name === '' ? this.lookup('', line) : this.lookup(term.name, line), term.names, line);
      case 'literal': return term.value;
      case 'func': return this.command([term], dot, undefined, line);
      case 'paren': return this.chain(this.pipeline(term.pipe, dot), term.names, line);
    }
  }

  start(nodes: Node[], data: unknown): string {
    this.vars.push({ name: '', value: data });
    this.run(nodes, data);
    return this.out;
  }
}

export interface Template {
  readonly name: string;
  execute(data: unknown): string;
}

/** Parse a template; throws TemplateError (with the template name and line) when it does not parse. */
export function parseGoTemplate(name: string, text: string, funcs: Record<string, TemplateFunction>): Template {
  const table = new Map(Object.entries(funcs));
  const nodes = parseTemplate(name, text, table);
  return {
    name,
    execute: (data) => new Executor(name, table).start(nodes, data),
  };
}
