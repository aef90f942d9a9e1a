/**
 * The items of a rules file as the reader produces them: typed, validated for shape, each value
 * still carrying where it came from. The collector (collect.ts) merges them across files.
 */
import type { Span } from '../../diagnostics/index.js';
import type { TextNode } from './positions.js';

export type OverrideOp = 'append' | 'replace';

/** One exception value: a scalar, or a nested list rendered as `(a, b)`. */
export type ExceptionValue = TextNode | TextNode[];

export interface ExceptionItem {
  name: TextNode;
  /** Scalar form (`fields: proc.name`) or list form. */
  fields?: TextNode | TextNode[];
  comps?: TextNode | TextNode[];
  /** Scalar form: one value per entry; list form: one tuple per entry. */
  values: { entry: ExceptionValue | ExceptionValue[]; span: Span }[];
  hasValues: boolean;
  span: Span;
}

interface ItemBase {
  /** The whole mapping in the file. */
  span: Span;
  /** The name scalar. */
  nameNode: TextNode;
  name: string;
  append: boolean;
  /** Overridden keys with their operation, in file order. */
  override?: Map<string, { op: OverrideOp; span: Span }>;
  /** Span of each key present in the mapping (for "key not under override" errors). */
  keys: Map<string, Span>;
}

export interface ListItem extends ItemBase {
  kind: 'list';
  items?: TextNode[];
}

export interface MacroItem extends ItemBase {
  kind: 'macro';
  condition?: TextNode;
}

export interface RuleItem extends ItemBase {
  kind: 'rule';
  condition?: TextNode;
  output?: TextNode;
  desc?: TextNode;
  priority?: { value: number; span: Span };
  /** undefined when absent or empty (then the default source applies). */
  source?: TextNode;
  enabled?: boolean;
  tags?: TextNode[];
  exceptions?: ExceptionItem[];
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
  capture?: boolean;
  captureDuration?: number;
}

export interface EngineVersionItem {
  kind: 'required_engine_version';
  version: string;
  span: Span;
}

export interface PluginRequirement {
  name: string;
  version: string;
  alternatives: { name: string; version: string }[];
  span: Span;
}

export interface PluginVersionsItem {
  kind: 'required_plugin_versions';
  requirements: PluginRequirement[];
  span: Span;
}

export type RulesFileItem = ListItem | MacroItem | RuleItem | EngineVersionItem | PluginVersionsItem;

/** Item kinds in the order that decides what a mapping is when it has several of these keys. */
export const ITEM_KINDS = ['required_engine_version', 'required_plugin_versions', 'list', 'macro', 'rule'] as const;

export const ALLOWED_KEYS: Record<(typeof ITEM_KINDS)[number], ReadonlySet<string>> = {
  required_engine_version: new Set(['required_engine_version']),
  required_plugin_versions: new Set(['required_plugin_versions']),
  list: new Set(['list', 'items', 'append', 'override']),
  macro: new Set(['macro', 'condition', 'append', 'override']),
  rule: new Set([
    'rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'tags', 'exceptions',
    'warn_evttypes', 'skip-if-unknown-filter', 'capture', 'capture_duration', 'append', 'override',
  ]),
};

/** Which keys of each item may be overridden, and how. */
export const OVERRIDABLE: Record<'list' | 'macro' | 'rule', Record<string, readonly OverrideOp[]>> = {
  list: { items: ['append', 'replace'] },
  macro: { condition: ['append', 'replace'] },
  rule: {
    condition: ['append', 'replace'],
    output: ['append', 'replace'],
    desc: ['append', 'replace'],
    tags: ['append', 'replace'],
    exceptions: ['append', 'replace'],
    priority: ['replace'],
    enabled: ['replace'],
    capture: ['replace'],
    capture_duration: ['replace'],
    warn_evttypes: ['replace'],
    'skip-if-unknown-filter': ['replace'],
  },
};

/** Falco priorities, most severe first; the index is the numeric priority. */
export const PRIORITY_NAMES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

export function parsePriority(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'info') return 6;
  const i = PRIORITY_NAMES.findIndex((p) => p.toLowerCase() === lower);
  return i < 0 ? undefined : i;
}

/** yaml-cpp's boolean spellings. */
const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'n', 'N']);

export function parseYamlBool(text: string): boolean | undefined {
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}
