/** A compiled Rego program: the generated module plus cached query functions. */
import { SourceText } from '../diagnostics/index.js';
import { BUILTINS } from './builtins/registry.js';
import { generateProgram, generateQuery, type ProgramNames } from './compiler/codegen.js';
import type { CompileState } from './compiler/model.js';
import { resolveQueryTerm } from './compiler/resolve.js';
import { parseTermText } from './parser.js';
import * as ops from './runtime/ops.js';
import { toJS, type Value } from './runtime/value.js';

export interface RegoProgram {
  /** Package paths of the loaded modules, e.g. ['tracee.TRC_2', 'tracee.helpers']. */
  packages(): string[];
  /**
   * Evaluates a data reference such as 'data.tracee.TRC_2.tracee_match' with `input`; undefined means
   * undefined in Rego. Sets come back as sorted arrays unless options.sets === 'set'. Throws
   * RegoEvalError only for evaluation errors (conflicts).
   */
  evaluate(ref: string, input?: unknown, options?: { sets?: 'array' | 'set' }): unknown | undefined;
  /**
   * The query for `ref` compiled once (OPA's PreparedEvalQuery), for callers that evaluate it per event:
   * same results as `evaluate`, without the lookup of the query, and scalars are returned with no
   * conversion (only composite results are turned into plain JS).
   */
  prepare(ref: string, options?: { sets?: 'array' | 'set' }): PreparedQuery;
  /** Fully qualified refs of every rule whose name starts with `test_`, in file order. */
  tests(): string[];
}

export type PreparedQuery = (input?: unknown) => unknown | undefined;

type QueryFn = (ctx: unknown) => Value | undefined;
interface ProgramTable {
  newCtx(input: unknown, data: unknown): unknown;
  resetCtx(ctx: unknown, input: unknown): unknown;
  [name: string]: unknown;
}

const runtime = { ...ops };

function instantiate(source: string, constants: unknown[], table?: ProgramTable): unknown {
  const make = new Function('rt', 'B', 'K', 'T', source) as (...args: unknown[]) => unknown;
  return make(runtime, BUILTINS, constants, table);
}

export class CompiledProgram implements RegoProgram {
  private readonly table: ProgramTable;
  private readonly names: ProgramNames;
  private readonly queries = new Map<string, QueryFn>();
  private readonly ctx: unknown;

  constructor(private readonly state: CompileState) {
    const { module, names } = generateProgram(state);
    this.names = names;
    this.table = instantiate(module.source, module.constants) as ProgramTable;
    this.ctx = this.table.newCtx(undefined, state.options.data);
  }

  packages(): string[] {
    return [...new Set(this.state.modules.map((m) => m.pkg.join('.')))];
  }

  evaluate(ref: string, input?: unknown, options?: { sets?: 'array' | 'set' }): unknown | undefined {
    return this.prepare(ref, options)(input);
  }

  prepare(ref: string, options?: { sets?: 'array' | 'set' }): PreparedQuery {
    const q = this.query(ref);
    const { table, ctx } = this;
    const sets = options?.sets;
    return (input) => {
      const v = q(table.resetCtx(ctx, input));
      return typeof v === 'object' && v !== null ? toJS(v, sets) : v;
    };
  }

  /** Evaluates and returns the raw Rego value (no conversion), for callers on the hot path. */
  evaluateRaw(ref: string, input?: unknown): Value | undefined {
    return this.query(ref)(this.table.resetCtx(this.ctx, input));
  }

  tests(): string[] {
    const out: { ref: string; file: number; at: number }[] = [];
    for (const g of this.state.groups) {
      const name = g.path[g.path.length - 1]!;
      if (!name.startsWith('test_') || g.kind === 'function') continue;
      const def = g.defs[0] ?? g.defaultDef!;
      out.push({ ref: `data.${g.path.join('.')}`, file: this.state.modules.indexOf(def.module), at: def.rule.loc.start });
    }
    return out.sort((a, b) => a.file - b.file || a.at - b.at).map((t) => t.ref);
  }

  /** The generated JavaScript (for `--debug` output and tests). */
  source(): string {
    return generateProgram(this.state).module.source;
  }

  private query(ref: string): QueryFn {
    let q = this.queries.get(ref);
    if (!q) {
      const source = new SourceText('<query>', ref);
      const module = { source, pkg: [], pkgLoc: { start: 0, end: 0 }, imports: [], rules: [] };
      const errors: CompileState['diagnostics'] = [];
      const term = resolveQueryTerm({ ...this.state, diagnostics: errors }, module, parseTermText(source));
      if (errors.length > 0) throw new Error(`invalid query ${ref}: ${errors[0]!.message}`);
      const mod = generateQuery(this.state, this.names, term);
      q = instantiate(mod.source, mod.constants, this.table) as QueryFn;
      this.queries.set(ref, q);
    }
    return q;
  }
}
