/**
 * Signatures written in JavaScript or TypeScript, loaded from the rules directory (`.js`, `.mjs`, and
 * `.ts`/`.mts` through ts-module.ts). A module exports
 * its signatures as `signatures` (an array, like Go plugins' ExportedSignatures) or as its default
 * export (one signature or an array). Each item is a signature object, a class with a no-argument
 * constructor, or a factory function returning a signature. `init`, `onSignal` and `close` are
 * optional; `getMetadata`, `getSelectedEvents` and `onEvent` are required.
 */
import { pathToFileURL } from 'node:url';
import type { Signature } from './signature.js';
import { isTypeScriptModule, transpiledModuleUrl } from './ts-module.js';

const REQUIRED = ['getMetadata', 'getSelectedEvents', 'onEvent'] as const;

function hasMethods(value: unknown): value is Partial<Signature> {
  return typeof value === 'object' && value !== null && REQUIRED.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

/** Wrap a user object so the engine can call every method of the interface. */
function complete(value: Partial<Signature>): Signature {
  if (typeof value.init === 'function' && typeof value.onSignal === 'function' && typeof value.close === 'function') return value as Signature;
  return {
    init: (cb) => value.init?.(cb),
    getMetadata: () => value.getMetadata!(),
    getSelectedEvents: () => value.getSelectedEvents!(),
    onEvent: (event) => value.onEvent!(event),
    onSignal: (signal) => value.onSignal?.(signal),
    close: () => value.close?.(),
  };
}

function instantiate(item: unknown): unknown {
  if (typeof item !== 'function') return item;
  const proto = (item as { prototype?: unknown }).prototype;
  if (typeof proto === 'object' && proto !== null && typeof (proto as Record<string, unknown>).onEvent === 'function') {
    return new (item as new () => unknown)();
  }
  return (item as () => unknown)();
}

/** The signatures a module object exports; errors name what is wrong with which export. */
export function signaturesFromModule(mod: Record<string, unknown>, label: string): { signatures: Signature[]; errors: string[] } {
  const exported = mod.signatures ?? mod.default;
  const signatures: Signature[] = [];
  const errors: string[] = [];
  if (exported === undefined) return { signatures, errors: [`${label}: exports no 'signatures' and no default export`] };
  const items = Array.isArray(exported) ? exported : [exported];
  items.forEach((item, i) => {
    try {
      const value = instantiate(item);
      if (hasMethods(value)) signatures.push(complete(value));
      else errors.push(`${label}: export #${i + 1} is not a signature (needs ${REQUIRED.join(', ')})`);
    } catch (e) {
      errors.push(`${label}: export #${i + 1} could not be created: ${(e as Error).message}`);
    }
  });
  return { signatures, errors };
}

export async function loadJsSignatures(path: string): Promise<{ signatures: Signature[]; errors: string[] }> {
  let mod: Record<string, unknown>;
  try {
    const url = isTypeScriptModule(path) ? await transpiledModuleUrl(path) : pathToFileURL(path).href;
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    return { signatures: [], errors: [`${path}: cannot load: ${(e as Error).message}`] };
  }
  return signaturesFromModule(mod, path);
}
