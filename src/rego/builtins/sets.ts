import type { BuiltinImpl } from './impl.js';
import { RegoSet } from '../runtime/value.js';

export const SETS: Record<string, BuiltinImpl> = {
  union: (s) => {
    if (!(s instanceof RegoSet)) return undefined;
    const out = new RegoSet();
    for (const m of s.members()) {
      if (!(m instanceof RegoSet)) return undefined;
      m.members().forEach((x) => out.add(x));
    }
    return out;
  },
  intersection: (s) => {
    if (!(s instanceof RegoSet)) return undefined;
    const sets = s.members();
    if (!sets.every((m) => m instanceof RegoSet)) return undefined;
    if (sets.length === 0) return new RegoSet();
    const [first, ...rest] = sets as RegoSet[];
    return RegoSet.of(first!.members().filter((x) => rest.every((r) => r.has(x))));
  },
};
