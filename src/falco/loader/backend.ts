/**
 * What the loader needs from the condition compiler and the field registry. The loader is written
 * against this interface so it can be tested with a stub and so that it does not depend on how the
 * compiler is built; src/falco/backend.ts wires the real compiler and registry into it.
 */
import type { Diagnostic } from '../../diagnostics/index.js';
import type { Expr } from '../condition/ast.js';
import type { ConditionLocation } from '../condition/location.js';
import type { EvalContext } from '../fields/field.js';
import type { CompileOperand } from '../output/format.js';

export interface CompiledCondition {
  matches?: (ctx: EvalContext) => boolean;
  /** Errors (LOAD_ERR_COMPILE_CONDITION) and warnings (LOAD_COMPILE_CONDITION, LOAD_DEPRECATED_ITEM …). */
  diagnostics: Diagnostic[];
}

export interface ConditionBackend {
  /** Compile a rule's condition whose macro references are resolved. */
  compileCondition(expr: Expr, location: ConditionLocation): CompiledCondition;
  /** Compile one output token (a field or transformer expression). */
  compileOperand: CompileOperand;
  /** Is `name` (optionally with `[arg]`) a field of the syscall source? For exception fields. */
  isField(name: string): boolean;
}
