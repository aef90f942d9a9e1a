/**
 * The real condition backend for the loader: the condition compiler and the field registry.
 * (Placeholder until src/falco/compiler.ts lands: every condition fails to compile with a clear message.)
 */
import type { ConditionBackend } from './loader/backend.js';

export function createDefaultBackend(): ConditionBackend {
  return {
    compileCondition: () => ({ diagnostics: [{ code: 'LOAD_ERR_COMPILE_CONDITION', severity: 'error', message: 'the condition compiler is not available in this build' }] }),
    compileOperand: () => 'the field registry is not available in this build',
    isField: () => false,
  };
}
