import { CONTAINER_FIELDS } from './container.js';
import type { FieldClass, FieldDefWithForms } from './define.js';
import { EVT_ARG_FAMILY, EVT_FIELDS, EVT_RAWARG_FAMILY, EVT_TYPE_IS_FAMILY } from './evt.js';
import { FD_FIELDS } from './fd.js';
import type { DynamicFieldFamily, FieldDef } from './field.js';
import { PROC_FIELDS } from './proc.js';
import { USER_FIELDS } from './user.js';

/**
 * Every Falco field vigil knows, by name: the compiler resolves condition and output fields
 * here, and `vigil list-fields` prints them.
 */

/** What the condition compiler asks: the field, or why the name (or its argument) is not one. */
export interface FieldResolver {
  resolve(name: string, arg: string | undefined): FieldDef | string;
}

export class FieldRegistry implements FieldResolver {
  private readonly byName = new Map<string, FieldDef>();
  private readonly dynamicCache = new Map<string, FieldDef | string>();

  constructor(
    readonly classes: readonly FieldClass[],
    private readonly families: readonly DynamicFieldFamily[],
  ) {
    for (const cls of classes) for (const def of cls.fields) this.byName.set(def.name, def);
  }

  /** The field definition of `name`, checking the bracket argument against it. */
  resolve(name: string, arg: string | undefined): FieldDef | string {
    const def: FieldDefWithForms | string = this.lookup(name);
    if (typeof def === 'string') return def;
    if (def.arg === 'none' && arg !== undefined) return `field '${name}' does not take an argument`;
    const bound = def.bind(arg);
    if (typeof bound === 'string') return bound;
    return arg === undefined && def.withoutArg ? def.withoutArg : def;
  }

  /** The field of that exact name (no argument check), or the "nonexistent field" message. */
  lookup(name: string): FieldDef | string {
    const def = this.byName.get(name);
    if (def) return def;
    for (const family of this.families) {
      if (!name.startsWith(family.prefix) || name.length === family.prefix.length) continue;
      let dynamic = this.dynamicCache.get(name);
      if (dynamic === undefined) this.dynamicCache.set(name, (dynamic = family.resolve(name.slice(family.prefix.length))));
      return dynamic;
    }
    return `filter_check called with nonexistent field ${name}`;
  }

  has(name: string): boolean {
    return typeof this.lookup(name) !== 'string';
  }

  /** Every static field, class by class, in table order. */
  all(): FieldDef[] {
    return this.classes.flatMap((c) => [...c.fields]);
  }
}

export const FIELD_CLASSES: readonly FieldClass[] = [
  EVT_FIELDS,
  PROC_FIELDS,
  FD_FIELDS,
  CONTAINER_FIELDS,
  USER_FIELDS,
];

export const FIELD_REGISTRY = new FieldRegistry(FIELD_CLASSES, [EVT_ARG_FAMILY, EVT_RAWARG_FAMILY, EVT_TYPE_IS_FAMILY]);
