/**
 * Falco's list substitution: a textual pass over a condition before it is parsed (spec 4.2).
 * For each list, in definition order, every occurrence of its name delimited by start/end of text
 * or one of ` \t\n\r(),=` is replaced, together with the blanks around it, by its items joined with
 * ", " (items containing a space are double-quoted unless they already start with a quote), padded
 * with one space on each side (no leading space at the start of the text). An empty list also takes
 * one neighbouring comma with it, so `(a, L)` still parses. Scanning resumes after the inserted
 * text, one character later when the replacement began the text — Falco's quirks, kept on purpose,
 * as are substitutions after `=` and inside quoted strings.
 *
 * The result carries an offset map from the new text back to the original, so parse errors can
 * still point into the rules file: copied characters map to themselves, inserted ones to the start
 * of the list name they replaced.
 */

export interface ListDef {
  name: string;
  /** Items already flattened (nested lists expanded by the loader). */
  items: readonly string[];
}

export interface Substitution {
  text: string;
  /** Offset in `text` → offset in the original condition text. */
  toOriginal: (offset: number) => number;
  /** Names of the lists that were substituted (for LOAD_UNUSED_LIST). */
  used: Set<string>;
}

const BLANKS = ' \t\n\r';
const DELIMITERS = `${BLANKS}(),=`;

export function quoteListItem(item: string): string {
  return item.includes(' ') && item[0] !== '"' && item[0] !== "'" ? `"${item}"` : item;
}

export function substituteLists(text: string, lists: Iterable<ListDef>): Substitution {
  const used = new Set<string>();
  let current = text;
  // origin[i] = offset in `text` of current[i]; allocated only once something is substituted.
  let origin: number[] | undefined;
  for (const list of lists) {
    if (list.name.length === 0 || !current.includes(list.name)) continue;
    origin ??= Array.from({ length: text.length + 1 }, (_, i) => i);
    const pass = substituteOne(current, origin, list);
    if (!pass) continue;
    used.add(list.name);
    current = pass.text;
    origin = pass.origin;
  }
  const map = origin;
  const toOriginal = map
    ? (offset: number) => map[Math.max(0, Math.min(offset, map.length - 1))]!
    : (offset: number) => offset;
  return { text: current, toOriginal, used };
}

function substituteOne(input: string, inputOrigin: number[], list: ListDef): { text: string; origin: number[] } | undefined {
  const sub = list.items.map(quoteListItem).join(', ');
  const name = list.name;
  let cnd = input;
  let origin = inputOrigin;
  let changed = false;
  let start = cnd.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    const delimitedBefore = start === 0 || DELIMITERS.includes(cnd.charAt(start - 1));
    const delimitedAfter = end >= cnd.length || DELIMITERS.includes(cnd.charAt(end));
    if (delimitedBefore && delimitedAfter) {
      const nameOrigin = origin[start]!;
      while (start > 0 && BLANKS.includes(cnd.charAt(start - 1))) start--;
      while (end < cnd.length && BLANKS.includes(cnd.charAt(end))) end++;
      if (sub.length === 0) {
        if (start > 0 && cnd.charAt(start - 1) === ',') start--;
        else if (end < cnd.length && cnd.charAt(end) === ',') end++;
      }
      const inserted = `${start > 0 ? ' ' : ''}${sub} `;
      cnd = cnd.slice(0, start) + inserted + cnd.slice(end);
      origin = [...origin.slice(0, start), ...new Array<number>(inserted.length).fill(nameOrigin), ...origin.slice(end)];
      start += sub.length + 1;
      changed = true;
    }
    start = cnd.indexOf(name, start + 1);
  }
  return changed ? { text: cnd, origin } : undefined;
}
