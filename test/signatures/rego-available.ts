/** Whether src/rego is there yet: Rego-dependent tests run once it exports compileRego, and skip before. */
import { loadRegoCompiler } from '../../src/signatures/rego-compiler.js';

export const compileRego = await loadRegoCompiler();
export const skipWithoutRego = compileRego === undefined ? 'src/rego/index.ts does not export compileRego yet' : false;
