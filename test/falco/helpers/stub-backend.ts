/**
 * A tiny condition backend for loader, ruleset and output tests: it evaluates the AST directly over
 * a "field bag" (event args keyed by field name), so these tests do not depend on the real compiler
 * or field registry. Known fields and a handful of operators only.
 */
import { KNOWN_EVENT_NAMES, eventByName } from '../../../src/events/event-table.js';
import type { VigilEvent } from '../../../src/events/event.js';
import type { Check, Expr, FieldOperand } from '../../../src/falco/condition/ast.js';
import { conditionDiagnostic, type ConditionLocation } from '../../../src/falco/condition/location.js';
import type { EvalContext, FieldType, FieldValue } from '../../../src/falco/fields/field.js';
import type { ConditionBackend } from '../../../src/falco/loader/backend.js';
import type { StateView } from '../../../src/state/types.js';

export const STUB_FIELDS: Record<string, FieldType> = {
  'evt.type': 'charbuf', 'evt.num': 'uint64', 'proc.name': 'charbuf', 'proc.pname': 'charbuf', 'proc.cmdline': 'charbuf',
  'proc.aname': 'charbuf', 'fd.name': 'fspath', 'fd.num': 'int64', 'user.name': 'charbuf', 'container.id': 'charbuf',
  'container.name': 'charbuf', 'fd.typechar': 'charbuf', 'proc.args': 'charbuf', 'evt.dir': 'charbuf', 'evt.arg.flags': 'charbuf',
  'proc.tty': 'uint32', 'proc.exepath': 'fspath', 'user.uid': 'uint32',
};

function key(op: FieldOperand): string {
  if (op.kind !== 'field') return '?';
  return op.arg === undefined ? op.name : `${op.name}[${op.arg}]`;
}

function extract(ctx: EvalContext, name: string): FieldValue | undefined {
  if (name === 'evt.type') return ctx.evt.name;
  if (name === 'evt.num') return ctx.num;
  const v = ctx.evt.args[name];
  return v === null || v === undefined ? undefined : (v as FieldValue);
}

type Pred = (ctx: EvalContext) => boolean;

class CompileError {
  constructor(readonly message: string, readonly start: number) {}
}

function compile(expr: Expr): Pred {
  switch (expr.kind) {
    case 'and': {
      const items = expr.items.map(compile);
      return (c) => items.every((p) => p(c));
    }
    case 'or': {
      const items = expr.items.map(compile);
      return (c) => items.some((p) => p(c));
    }
    case 'not': {
      const inner = compile(expr.expr);
      return (c) => !inner(c);
    }
    case 'macro': {
      const body = (expr as unknown as { body: Expr }).body;
      return compile(body);
    }
    case 'check':
      return compileCheck(expr);
  }
}

function compileCheck(check: Check): Pred {
  if (check.left.kind !== 'field') throw new CompileError('transformers are not supported by the stub', check.start);
  const name = key(check.left);
  const base = check.left.name;
  if (!(base in STUB_FIELDS)) throw new CompileError(`filter_check called with nonexistent field ${check.left.name}`, check.left.start);
  const values = !check.value ? [] : check.value.kind === 'string' ? [check.value.value] : check.value.kind === 'list' ? check.value.items.map((i) => i.value) : [];
  if (base === 'evt.type') for (const v of values) if (!KNOWN_EVENT_NAMES.has(v)) throw new CompileError(`unknown event type ${v}`, check.value!.start);
  const numeric = STUB_FIELDS[base] !== 'charbuf' && STUB_FIELDS[base] !== 'fspath';
  if (numeric && !['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'exists'].includes(check.op)) {
    throw new CompileError(`'${check.op}' operator not supported for numeric filters`, check.opStart);
  }
  if (numeric) for (const v of values) if (!/^-?\d+$/.test(v)) throw new CompileError(`${v} is not a valid number`, check.value!.start);
  const rhs = values[0] ?? '';
  const s = (v: FieldValue) => String(v);
  const ops: Record<string, (v: FieldValue) => boolean> = {
    '=': (v) => s(v) === rhs, '==': (v) => s(v) === rhs, '!=': (v) => s(v) !== rhs,
    in: (v) => values.includes(s(v)), contains: (v) => s(v).includes(rhs), startswith: (v) => s(v).startsWith(rhs),
    endswith: (v) => s(v).endsWith(rhs), '>=': (v) => Number(v) >= Number(rhs), '<=': (v) => Number(v) <= Number(rhs),
    '>': (v) => Number(v) > Number(rhs), '<': (v) => Number(v) < Number(rhs), exists: () => true,
    icontains: (v) => s(v).toLowerCase().includes(rhs.toLowerCase()), pmatch: (v) => values.some((p) => s(v) === p || s(v).startsWith(`${p}/`)),
    glob: (v) => new RegExp(`^${rhs.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(s(v)),
    intersects: (v) => values.includes(s(v)),
  };
  const op = ops[check.op];
  if (!op) throw new CompileError(`operator ${check.op} not supported by the stub`, check.opStart);
  return (ctx) => {
    const v = extract(ctx, name);
    return v === undefined ? false : op(v);
  };
}

export function createStubBackend(): ConditionBackend {
  return {
    compileCondition(expr: Expr, location: ConditionLocation) {
      try {
        return { matches: compile(expr), diagnostics: [] };
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        return { diagnostics: [conditionDiagnostic('LOAD_ERR_COMPILE_CONDITION', 'error', e.message, location, e.start)] };
      }
    },
    compileOperand(operand, text) {
      if (operand.kind !== 'field') return 'transformers are not supported by the stub';
      if (!(operand.name in STUB_FIELDS)) return `filter_check called with nonexistent field ${operand.name}`;
      const name = key(operand);
      return { name: text, type: STUB_FIELDS[operand.name]!, extract: (ctx) => extract(ctx, name) };
    },
    isField: (f) => f.replace(/\[.*\]$/, '') in STUB_FIELDS,
  };
}

const NO_STATE: StateView = { thread: () => undefined, container: () => undefined, user: () => undefined, group: () => undefined };

let nextNum = 1;

/** An event whose field values are given directly (`{ 'evt.type': 'open', 'proc.name': 'cat' }`). */
export function stubContext(fields: Record<string, string | number>, ts = 1_700_000_000_123_456_789n): EvalContext {
  const name = String(fields['evt.type'] ?? 'open');
  const evt: VigilEvent = {
    id: eventByName(name)?.id ?? 0, name, ts, cpu: 0, pid: 1, tid: 1, ppid: 0, vpid: 1, vtid: 1, vppid: 0, uid: 0, gid: 0, loginuid: 0,
    comm: String(fields['proc.name'] ?? ''), tty: 0, mntns: 0, pidns: 0, cgroupId: 0, cgroup: '', ret: 0, args: { ...fields },
  };
  return { evt, num: nextNum++, thread: undefined, fd: undefined, state: NO_STATE, epoch: nextNum };
}
