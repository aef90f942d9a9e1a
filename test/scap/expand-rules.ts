/**
 * Expands a Falco rules file's macros and lists into each rule's plain condition, the form sysdig
 * takes on its command line. Text-level, which is enough for the benchmark's own rules file: macro
 * names become their parenthesised bodies, list names inside `(...)` become their items.
 */
import { parse } from 'yaml';

interface Item {
  rule?: string;
  macro?: string;
  list?: string;
  condition?: string;
  items?: (string | number)[];
}

/** sysdig 0.29.3 rejects `in ()`; a value no process has keeps the meaning of an empty list. */
const EMPTY_LIST = '"__vigil_empty_list__"';
const VALUE_POSITION = /(?:[=<>]|\b(?:contains|icontains|bcontains|startswith|endswith|glob|pmatch))\s*$/;

export function expandRules(yamlText: string): { name: string; condition: string }[] {
  const items = (parse(yamlText) as Item[]).filter((i) => i && typeof i === 'object');
  const lists = new Map<string, string[]>();
  const macros = new Map<string, string>();
  for (const i of items) {
    // Items with spaces were quoted in the file; YAML took the quotes off, Falco puts them back.
    if (i.list) lists.set(i.list, (i.items ?? []).map((v) => (/[\s,()]/.test(String(v)) ? `"${String(v)}"` : String(v))));
    if (i.macro) macros.set(i.macro, String(i.condition));
  }
  const listItems = (name: string, seen = new Set<string>()): string[] =>
    (lists.get(name) ?? []).flatMap((v) => (lists.has(v) && !seen.has(v) ? listItems(v, new Set([...seen, v])) : [v]));
  const word = /(?<![\w.\-/"'])([A-Za-z_][A-Za-z0-9_]*)(?![\w.\-/\[])/g;
  const expand = (text: string, depth = 0): string => {
    if (depth > 20) return text;
    // A macro name after a comparison operator is a value (`container.id != host`), not a macro use.
    const out = text.replace(word, (m, _name, at: number) =>
      macros.has(m) && !VALUE_POSITION.test(text.slice(0, at)) ? `(${expand(macros.get(m)!, depth + 1)})` : m);
    return out.replace(/\(([^()]*)\)/g, (group, inner: string) => {
      const parts = inner.split(',').map((p) => p.trim());
      if (!parts.some((p) => lists.has(p))) return group;
      const values = parts.flatMap((p) => (lists.has(p) ? listItems(p) : [p])).filter((p) => p !== '');
      return `(${values.length ? values.join(', ') : EMPTY_LIST})`;
    });
  };
  return items.filter((i) => i.rule && i.condition).map((i) => ({ name: i.rule!, condition: expand(String(i.condition)).replace(/\s+/g, ' ').trim() }));
}
