/**
 * `vigil list-fields [--json]`: the Falco fields vigil supports, grouped by class like
 * `falco --list` (text), or as a JSON array of {name, type, desc, arg, isList, filterOnly}.
 */
import { FIELD_CLASSES } from '../../falco/fields/registry.js';
import type { FieldDef } from '../../falco/fields/field.js';

const USAGE = 'usage: vigil list-fields [--json]\n';

function argHint(def: FieldDef): string {
  switch (def.arg) {
    case 'index':
      return '[N]';
    case 'index-required':
      return '[N] (required)';
    case 'key':
      return '[KEY]';
    case 'key-required':
      return '[KEY] (required)';
    default:
      return '';
  }
}

export function renderFieldsText(): string {
  const lines: string[] = [];
  for (const cls of FIELD_CLASSES) {
    lines.push('-'.repeat(20), `Field Class: ${cls.name}`, cls.desc, '');
    const width = Math.max(...cls.fields.map((f) => f.name.length + argHint(f).length)) + 2;
    for (const f of cls.fields) {
      const notes = [f.isList ? 'list' : '', f.filterOnly ? 'filter only' : '', f.deprecated ? 'deprecated' : ''].filter(Boolean);
      const desc = notes.length ? `${f.desc} (${notes.join(', ')})` : f.desc;
      lines.push(`${(f.name + argHint(f)).padEnd(width)}${f.type.padEnd(9)} ${desc}`);
    }
    lines.push('');
  }
  lines.push('evt.arg.NAME         charbuf   an event parameter by name, rendered (evt.arg.flags, evt.arg.request …)');
  lines.push('evt.rawarg.NAME      (typed)   an event parameter by name, raw value');
  return `${lines.join('\n')}\n`;
}

export function renderFieldsJson(): string {
  const fields = FIELD_CLASSES.flatMap((cls) =>
    cls.fields.map((f) => ({ name: f.name, type: f.type, desc: f.desc, arg: f.arg, isList: f.isList === true, filterOnly: f.filterOnly === true })),
  );
  return `${JSON.stringify(fields, null, 2)}\n`;
}

export async function run(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--json');
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (unknown.length > 0) {
    process.stderr.write(`vigil list-fields: unknown option '${unknown[0]}'\n${USAGE}`);
    return 2;
  }
  process.stdout.write(args.includes('--json') ? renderFieldsJson() : renderFieldsText());
  return 0;
}
