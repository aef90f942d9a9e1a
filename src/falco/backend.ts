/**
 * The real condition backend for the loader: the condition compiler over the field registry.
 * One backend per rule-set load, because the compiler's per-event macro memo belongs to it.
 */
import { createCompiler, type FieldResolver } from './compiler.js';
import type { ConditionBackend } from './loader/backend.js';
import { FIELD_REGISTRY } from './fields/registry.js';

const FIELD_WITH_ARG = /^([^[\]]+)(?:\[(.*)\])?$/s;

export function createDefaultBackend(resolver: FieldResolver = FIELD_REGISTRY): ConditionBackend {
  const compiler = createCompiler(resolver);
  return {
    compileCondition: (expr, location) => compiler.compileCondition(expr, location),
    compileOperand(operand, text) {
      const compiled = compiler.compileOperand(operand);
      if (typeof compiled === 'string') return compiled;
      // Index-less ancestor fields are resolved as "filter-only" multi-value fields for their
      // any-value semantics, yet Falco prints them (space-separated), so outputs accept them.
      return { name: text, type: compiled.type, isList: compiled.isList, extract: compiled.extract };
    },
    isField(name) {
      const m = FIELD_WITH_ARG.exec(name.trim());
      if (!m) return false;
      const def = resolver.resolve(m[1]!, m[2]);
      return typeof def !== 'string' && typeof def.bind(m[2]) !== 'string';
    },
  };
}
