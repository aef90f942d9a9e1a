/**
 * TypeScript signature modules in a rules directory (`.ts`, `.mts`): Node cannot import them as they
 * are, so the source is transpiled (types erased, nothing type-checked) with the `typescript` package
 * and imported from a `data:` URL. The module must therefore be self-contained: type-only imports
 * are erased, but a runtime import of a relative file cannot be resolved from a data: URL.
 */
import { readFile } from 'node:fs/promises';

export function isTypeScriptModule(path: string): boolean {
  return (path.endsWith('.ts') || path.endsWith('.mts')) && !path.endsWith('.d.ts') && !path.endsWith('.d.mts');
}

interface TypeScriptApi {
  transpileModule(text: string, options: { fileName: string; reportDiagnostics: boolean; compilerOptions: Record<string, unknown> }): {
    outputText: string;
    diagnostics?: { messageText: unknown }[];
  };
  ModuleKind: { ESNext: number };
  ScriptTarget: { ES2022: number };
}

let typescript: Promise<TypeScriptApi | undefined> | undefined;

/** The module's JavaScript as an importable URL; throws with a readable message on failure. */
export async function transpiledModuleUrl(path: string): Promise<string> {
  typescript ??= import('typescript').then((m) => (m.default ?? m) as unknown as TypeScriptApi, () => undefined);
  const ts = await typescript;
  if (ts === undefined) throw new Error("TypeScript signatures need the 'typescript' package, which is not installed");
  const out = ts.transpileModule(await readFile(path, 'utf8'), {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const syntax = out.diagnostics?.[0];
  if (syntax) throw new Error(typeof syntax.messageText === 'string' ? syntax.messageText : 'TypeScript syntax error');
  return `data:text/javascript;base64,${Buffer.from(`${out.outputText}\n//# sourceURL=${path}`).toString('base64')}`;
}
