/**
 * Macro expansion on the AST (spec 4.1 step 4). Every identifier is a macro reference; it is
 * resolved against the macros the *referring item* may see (the loader decides: a macro sees macros
 * defined before its latest definition, a rule sees all) and gets the macro's expanded body
 * attached. Bodies are expanded once per macro and shared by every reference, so the compiler can
 * compute each macro once per event, and the expanded tree keeps the references (no copying of
 * the macro's nodes into the caller).
 *
 * Only the first problem is reported, as Falco does: "reference loop in macro 'X'" or
 * "Undefined macro 'X' used in filter.", both LOAD_ERR_VALIDATE at the identifier.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { Expr, MacroRef } from '../condition/ast.js';
import { conditionDiagnostic, type ConditionLocation } from '../condition/location.js';

export interface MacroDef {
  name: string;
  /** The macro's condition, parsed after list substitution. */
  ast: Expr;
  location: ConditionLocation;
}

export interface MacroTable {
  /** The macro `name` as visible from `caller` (a macro name, or undefined for a rule). */
  lookup(name: string, caller: string | undefined): MacroDef | undefined;
}

/** A table where every macro sees every other (rules' view; also handy in tests). */
export function macroTable(macros: Iterable<MacroDef>): MacroTable {
  const byName = new Map<string, MacroDef>();
  for (const m of macros) byName.set(m.name, m);
  return { lookup: (name) => byName.get(name) };
}

export interface MacroResolution {
  /** The same tree with every MacroRef's body attached; undefined on error. */
  expr?: Expr;
  diagnostics: Diagnostic[];
  /** Macros referenced directly or indirectly (for LOAD_UNUSED_MACRO). */
  used: Set<string>;
}

export interface MacroResolver {
  /** Resolve the references in `expr`, an item's condition (`caller` = the macro's own name, or undefined for a rule). */
  resolve(expr: Expr, caller: string | undefined, location: ConditionLocation): MacroResolution;
}

class Failure {
  constructor(readonly diagnostic: Diagnostic) {}
}

/**
 * One resolver per rule set load: it caches each macro's expanded body, so all rules share it.
 * A failed expansion is not cached; asking again reports the same error.
 */
export function createMacroResolver(table: MacroTable): MacroResolver {
  const expanded = new Map<string, Expr>();
  const macroUses = new Map<string, Set<string>>();

  function expandMacro(def: MacroDef, stack: string[]): Expr {
    const done = expanded.get(def.name);
    if (done) return done;
    stack.push(def.name);
    const uses = new Set<string>();
    const body = attach(def.ast, def.name, def.location, stack, uses);
    stack.pop();
    expanded.set(def.name, body);
    macroUses.set(def.name, uses);
    return body;
  }

  function attach(expr: Expr, caller: string | undefined, location: ConditionLocation, stack: string[], uses: Set<string>): Expr {
    switch (expr.kind) {
      case 'check':
        return expr;
      case 'not': {
        const inner = attach(expr.expr, caller, location, stack, uses);
        return inner === expr.expr ? expr : { ...expr, expr: inner };
      }
      case 'and':
      case 'or': {
        const items = expr.items.map((e) => attach(e, caller, location, stack, uses));
        return items.every((e, i) => e === expr.items[i]) ? expr : { ...expr, items };
      }
      case 'macro':
        return attachMacro(expr, caller, location, stack, uses);
    }
  }

  function attachMacro(ref: MacroRef, caller: string | undefined, location: ConditionLocation, stack: string[], uses: Set<string>): MacroRef {
    if (stack.includes(ref.name)) {
      throw new Failure(conditionDiagnostic('LOAD_ERR_VALIDATE', 'error', `reference loop in macro '${ref.name}'`, location, ref.start, ref.end));
    }
    const def = table.lookup(ref.name, caller);
    if (!def) {
      throw new Failure(conditionDiagnostic('LOAD_ERR_VALIDATE', 'error', `Undefined macro '${ref.name}' used in filter.`, location, ref.start, ref.end));
    }
    const body = expandMacro(def, stack);
    uses.add(def.name);
    for (const u of macroUses.get(def.name) ?? []) uses.add(u);
    return { ...ref, body, location: def.location };
  }

  return {
    resolve(expr, caller, location) {
      const used = new Set<string>();
      try {
        const stack = caller === undefined ? [] : [caller];
        return { expr: attach(expr, caller, location, stack, used), diagnostics: [], used };
      } catch (err) {
        if (err instanceof Failure) return { diagnostics: [err.diagnostic], used };
        const message = `internal error resolving macros: ${err instanceof Error ? err.message : String(err)}`;
        return { diagnostics: [conditionDiagnostic('LOAD_ERR_VALIDATE', 'error', message, location, expr.start, expr.end)], used };
      }
    },
  };
}
