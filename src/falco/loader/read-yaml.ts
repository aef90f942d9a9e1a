/**
 * Reader: rules file text → typed items (items.ts), with positions.
 *
 * Scalars are read as raw text, as yaml-cpp does for Falco: the failsafe schema keeps `0777`, `yes`,
 * `1e3` and `~` as the strings written, and only the keys that Falco reads as booleans or integers
 * are converted here. Each non-empty YAML document must be a sequence of mappings. As in Falco,
 * reading a file stops at its first error; warnings accumulate.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Diagnostic, DiagnosticCode, SourceText, Span } from '../../diagnostics/index.js';
import {
  ALLOWED_KEYS, ITEM_KINDS, OVERRIDABLE, parsePriority, parseYamlBool,
  type ExceptionItem, type ExceptionValue, type ListItem, type MacroItem, type OverrideOp,
  type PluginRequirement, type RuleItem, type RulesFileItem,
} from './items.js';
import { textNodeFromScalar, type TextNode } from './positions.js';
import { resolveAliases } from './yaml-aliases.js';
import { ENGINE_VERSION, formatSemver, isCompatible, parseEngineRequirement, parseSemver } from './versions.js';

export interface ReadResult {
  items: RulesFileItem[];
  diagnostics: Diagnostic[];
  /** false when reading stopped at an error. */
  ok: boolean;
}

export interface ReadOptions {
  engineVersion?: string;
}

/** Raised inside the reader to stop at the first error; never leaves this module. */
class ReadError {
  constructor(
    readonly code: DiagnosticCode,
    readonly message: string,
    readonly span: Span,
  ) {}
}

const MACRO_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const LIST_NAME = /^[^()"'\s=,]+$/;

export function readRulesYaml(source: SourceText, options: ReadOptions = {}): ReadResult {
  const reader = new Reader(source, options.engineVersion ?? ENGINE_VERSION);
  try {
    reader.readFile();
    return { items: reader.items, diagnostics: reader.diagnostics, ok: true };
  } catch (e) {
    if (!(e instanceof ReadError)) throw e;
    reader.diagnostics.push({ code: e.code, severity: 'error', message: e.message, span: e.span, ...reader.itemContext() });
    return { items: reader.items, diagnostics: reader.diagnostics, ok: false };
  }
}

class Reader {
  readonly items: RulesFileItem[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private currentItem: { label: string; span: Span } | undefined;

  constructor(
    private readonly source: SourceText,
    private readonly engineVersion: string,
  ) {}

  itemContext(): Pick<Diagnostic, 'item' | 'context'> {
    return this.currentItem ? { item: this.currentItem.label, context: [{ label: this.currentItem.label, span: this.currentItem.span }] } : {};
  }

  readFile(): void {
    const docs = parseAllDocuments(this.source.text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const doc of list) {
      const error = doc.errors[0];
      if (error) {
        const at = yamlErrorOffset(this.source.text, error.code, error.message, error.pos[0]);
        throw new ReadError('LOAD_ERR_YAML_PARSE', firstLine(error.message), this.span(at, Math.max(at, error.pos[1])));
      }
    }
    for (const doc of list) {
      const resolved = doc.contents === null ? null : resolveAliases(doc.contents as YamlNode, doc);
      if (resolved && 'unresolved' in resolved) {
        throw new ReadError('LOAD_ERR_YAML_PARSE', `Alias *${resolved.unresolved.source} cannot be resolved`, this.nodeSpan(resolved.unresolved));
      }
      const root = resolved;
      if (root === null || isEmptyScalar(root)) continue;
      if (!isSeq(root)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Rules content is not yaml array of objects', this.nodeSpan(root));
      for (const entry of root.items) {
        if (entry === null || isEmptyScalar(entry as YamlNode)) continue;
        if (!isMap(entry)) {
          throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Unexpected element type. Each element should be a yaml associative array.', this.nodeSpan(entry as YamlNode));
        }
        this.currentItem = undefined;
        this.readItem(entry);
      }
    }
    this.currentItem = undefined;
  }

  private readItem(map: YAMLMap): void {
    const kind = ITEM_KINDS.find((k) => pairOf(map, k) !== undefined);
    const span = this.nodeSpan(map);
    if (!kind) {
      this.warn('LOAD_UNKNOWN_ITEM', 'Unknown top level item', span);
      return;
    }
    for (const pair of map.items) {
      const key = keyText(pair);
      if (key !== undefined && !ALLOWED_KEYS[kind].has(key)) {
        this.warn('LOAD_UNKNOWN_KEY', `Unknown key '${key}'. The key will be ignored.`, this.nodeSpan(pair.key as YamlNode), kind === 'list' || kind === 'macro' || kind === 'rule' ? `${kind} '${scalarOr(map, kind)}'` : undefined);
      }
    }
    switch (kind) {
      case 'required_engine_version':
        return this.readEngineVersion(map, span);
      case 'required_plugin_versions':
        return this.readPluginVersions(map, span);
      case 'list':
        return this.readList(map, span);
      case 'macro':
        return this.readMacro(map, span);
      case 'rule':
        return this.readRule(map, span);
    }
  }

  private readEngineVersion(map: YAMLMap, span: Span): void {
    const node = this.requiredScalar(map, 'required_engine_version');
    const need = parseEngineRequirement(node.text);
    if (!need) {
      throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Unable to parse engine version '${node.text}' as a semver string. Expected "x.y.z" semver format.`, node.span);
    }
    const have = parseSemver(this.engineVersion)!;
    if (!isCompatible(have, need)) {
      throw new ReadError('LOAD_ERR_VALIDATE', `Rules require engine version ${formatSemver(need)}, but engine version is ${this.engineVersion}`, node.span);
    }
    this.items.push({ kind: 'required_engine_version', version: formatSemver(need), span });
  }

  private readPluginVersions(map: YAMLMap, span: Span): void {
    const seq = this.sequence(map, 'required_plugin_versions', true)!;
    const requirements: PluginRequirement[] = [];
    for (const entry of seq) {
      if (!isMap(entry)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Unexpected element type. Each element should be a yaml associative array.', this.nodeSpan(entry));
      const one = this.pluginVersion(entry);
      const names = new Set([one.name]);
      const alternatives: { name: string; version: string }[] = [];
      for (const alt of this.sequence(entry, 'alternatives', false) ?? []) {
        if (!isMap(alt)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Unexpected element type. Each element should be a yaml associative array.', this.nodeSpan(alt));
        const a = this.pluginVersion(alt);
        if (names.has(a.name)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Multiple definitions of plugin with name '${a.name}'`, this.nodeSpan(alt));
        names.add(a.name);
        alternatives.push(a);
      }
      requirements.push({ ...one, alternatives, span: this.nodeSpan(entry) });
    }
    this.items.push({ kind: 'required_plugin_versions', requirements, span });
  }

  private pluginVersion(map: YAMLMap): { name: string; version: string } {
    const name = this.requiredScalar(map, 'name');
    const version = this.requiredScalar(map, 'version');
    if (!parseSemver(version.text)) {
      throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Unable to parse plugin version '${version.text}' as a semver string. Expected "x.y.z" semver format.`, version.span);
    }
    return { name: name.text, version: version.text };
  }

  private readList(map: YAMLMap, span: Span): void {
    const nameNode = this.requiredScalar(map, 'list');
    this.currentItem = { label: `list '${nameNode.text}'`, span };
    if (!LIST_NAME.test(nameNode.text)) this.warn('LOAD_INVALID_LIST_NAME', `List has an invalid name. List names should match a regular expression: [^()"'\\s=,]+`, nameNode.span);
    const base = this.itemBase(map, span, nameNode, 'list');
    const seq = this.sequence(map, 'items', true)!;
    const items = seq.map((n) => this.scalarEntry(n));
    const item: ListItem = { kind: 'list', ...base, items };
    this.items.push(item);
  }

  private readMacro(map: YAMLMap, span: Span): void {
    const nameNode = this.requiredScalar(map, 'macro');
    this.currentItem = { label: `macro '${nameNode.text}'`, span };
    if (!MACRO_NAME.test(nameNode.text)) this.warn('LOAD_INVALID_MACRO_NAME', 'Macro has an invalid name. Macro names should match a regular expression: [a-zA-Z]+[a-zA-Z0-9_]*', nameNode.span);
    const base = this.itemBase(map, span, nameNode, 'macro');
    const item: MacroItem = { kind: 'macro', ...base, condition: this.requiredScalar(map, 'condition') };
    this.items.push(item);
  }

  private readRule(map: YAMLMap, span: Span): void {
    const nameNode = this.requiredScalar(map, 'rule');
    this.currentItem = { label: `rule '${nameNode.text}'`, span };
    const base = this.itemBase(map, span, nameNode, 'rule');
    const item: RuleItem = { kind: 'rule', ...base };
    const has = (k: string) => base.keys.has(k);
    const partial = base.append || base.override !== undefined;
    const enabledOnly = !partial && !has('condition') && !has('output') && !has('desc') && !has('priority');
    const required = !partial && !enabledOnly;
    if (enabledOnly && !has('enabled')) throw new ReadError('LOAD_ERR_YAML_VALIDATE', "Item has no mapping for key 'condition'", span);
    item.condition = this.scalarKey(map, 'condition', required);
    const output = this.scalarKey(map, 'output', required);
    if (output) {
      const trimmed = output.text.trim();
      if (trimmed === '') throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Value must be non-empty', output.span);
      item.output = { ...output, text: trimmed };
    }
    item.desc = this.scalarKey(map, 'desc', required);
    const priority = this.scalarKey(map, 'priority', required);
    if (priority) {
      const value = parsePriority(priority.text);
      if (value === undefined) throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Invalid priority '${priority.text}'`, priority.span);
      item.priority = { value, span: priority.span };
    }
    const sourcePair = pairOf(map, 'source');
    if (sourcePair && isScalar(sourcePair.value) && !isEmptyScalar(sourcePair.value as YamlNode)) {
      item.source = this.scalarEntry(sourcePair.value as YamlNode);
      if (item.source.text === '') delete item.source;
    }
    item.enabled = this.boolKey(map, 'enabled');
    item.warnEvttypes = this.boolKey(map, 'warn_evttypes');
    item.skipIfUnknownFilter = this.boolKey(map, 'skip-if-unknown-filter');
    item.capture = this.boolKey(map, 'capture');
    const duration = this.scalarKey(map, 'capture_duration', false);
    if (duration) {
      if (!/^[+-]?\d+$/.test(duration.text)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', "Can't decode YAML scalar value", duration.span);
      item.captureDuration = Number(duration.text);
    }
    const tags = this.sequence(map, 'tags', false);
    if (tags) item.tags = tags.map((n) => this.scalarEntry(n));
    const exceptions = this.sequence(map, 'exceptions', false);
    if (exceptions) item.exceptions = exceptions.map((n) => this.exception(n));
    if (base.append && !item.condition && !item.exceptions) {
      throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Appended rule must have exceptions or condition property', span);
    }
    this.items.push(item);
  }

  /** Keys common to list, macro and rule: append, override, key positions. */
  private itemBase(map: YAMLMap, span: Span, nameNode: TextNode, kind: 'list' | 'macro' | 'rule') {
    const keys = new Map<string, Span>();
    for (const pair of map.items) {
      const key = keyText(pair);
      if (key !== undefined && !keys.has(key)) keys.set(key, this.nodeSpan(pair.key as YamlNode));
    }
    const append = this.boolKey(map, 'append') ?? false;
    const overridePair = pairOf(map, 'override');
    let override: Map<string, { op: OverrideOp; span: Span }> | undefined;
    if (overridePair) {
      if (append) throw new ReadError('LOAD_ERR_YAML_VALIDATE', "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", keys.get('override')!);
      override = this.override(overridePair, kind, keys);
    } else if (append) {
      this.warn('LOAD_DEPRECATED_ITEM', "The 'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.", keys.get('append')!);
    }
    return { span, nameNode, name: nameNode.text, append, override, keys };
  }

  private override(pair: Pair, kind: 'list' | 'macro' | 'rule', keys: Map<string, Span>): Map<string, { op: OverrideOp; span: Span }> {
    const value = pair.value as YamlNode | null;
    if (!value || !isMap(value)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Value is not a map', value ? this.nodeSpan(value) : this.nodeSpan(pair.key as YamlNode));
    const allowed = OVERRIDABLE[kind];
    const out = new Map<string, { op: OverrideOp; span: Span }>();
    for (const p of value.items) {
      const key = keyText(p) ?? '';
      const keySpan = this.nodeSpan(p.key as YamlNode);
      const opNode = p.value && isScalar(p.value) ? this.scalarEntry(p.value as YamlNode) : undefined;
      const opSpan = opNode?.span ?? keySpan;
      const ops = allowed[key];
      if (!ops) throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Key '${key}' cannot be overridden`, keySpan);
      const op = opNode?.text;
      if (op !== 'append' && op !== 'replace') {
        throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Invalid override operation for key '${key}': '${op ?? ''}'. Allowed values are: ${ops.join(', ')}`, opSpan);
      }
      if (!ops.includes(op)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Key '${key}' cannot be appended to, use 'replace' instead`, opSpan);
      if (!keys.has(key)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', `An ${op} override for '${key}' was specified but '${key}' is not defined`, keySpan);
      out.set(key, { op, span: opSpan });
    }
    for (const [key, span] of keys) {
      if (allowed[key] && !out.has(key)) {
        throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Unexpected key '${key}': no corresponding entry under 'override' is defined.`, span);
      }
    }
    return out;
  }

  private exception(node: YamlNode): ExceptionItem {
    if (!isMap(node)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Unexpected element type. Each element should be a yaml associative array.', this.nodeSpan(node));
    const name = this.requiredScalar(node, 'name');
    const item: ExceptionItem = { name, values: [], hasValues: false, span: this.nodeSpan(node) };
    item.fields = this.scalarOrSeq(node, 'fields');
    item.comps = this.scalarOrSeq(node, 'comps');
    const values = this.sequence(node, 'values', false);
    if (values) {
      item.hasValues = true;
      for (const v of values) {
        const entry = isSeq(v) ? v.items.map((x) => this.exceptionValue(x as YamlNode)) : this.scalarEntry(v);
        item.values.push({ entry, span: this.nodeSpan(v) });
      }
    }
    return item;
  }

  private exceptionValue(node: YamlNode): ExceptionValue {
    return isSeq(node) ? node.items.map((x) => this.scalarEntry(x as YamlNode)) : this.scalarEntry(node);
  }

  private scalarOrSeq(map: YAMLMap, key: string): TextNode | TextNode[] | undefined {
    const pair = pairOf(map, key);
    if (!pair || pair.value === null || isEmptyScalar(pair.value as YamlNode)) return undefined;
    const value = pair.value as YamlNode;
    if (isSeq(value)) return value.items.map((x) => this.scalarEntry(x as YamlNode));
    return this.scalarEntry(value);
  }

  // ---- value helpers -------------------------------------------------------------------------

  private requiredScalar(map: YAMLMap, key: string): TextNode {
    return this.scalarKey(map, key, true)!;
  }

  /** The value of `key`: missing → undefined, or an error if required; null or an empty scalar → "is empty". */
  private nonEmptyValue(map: YAMLMap, key: string, required: boolean): YamlNode | undefined {
    const pair = pairOf(map, key);
    if (!pair) {
      if (!required) return undefined;
      throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Item has no mapping for key '${key}'`, this.nodeSpan(map));
    }
    const value = pair.value as YamlNode | null;
    if (value === null || isEmptyScalar(value)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Mapping for key '${key}' is empty`, this.nodeSpan(pair.key as YamlNode));
    return value;
  }

  /** A scalar value: missing → error if required; null → "is empty"; "" → "must be non-empty". */
  private scalarKey(map: YAMLMap, key: string, required: boolean): TextNode | undefined {
    const value = this.nonEmptyValue(map, key, required);
    if (!value) return undefined;
    const node = this.scalarEntry(value);
    if (node.text === '') throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Value must be non-empty', node.span);
    return node;
  }

  private boolKey(map: YAMLMap, key: string): boolean | undefined {
    const node = this.scalarKey(map, key, false);
    if (!node) return undefined;
    const value = parseYamlBool(node.text);
    if (value === undefined) throw new ReadError('LOAD_ERR_YAML_VALIDATE', `Can't decode YAML scalar value: '${node.text}' is not a boolean`, node.span);
    return value;
  }

  private sequence(map: YAMLMap, key: string, required: boolean): YamlNode[] | undefined {
    const value = this.nonEmptyValue(map, key, required);
    if (!value) return undefined;
    if (!isSeq(value)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Value is not a sequence', this.nodeSpan(value));
    return value.items.filter((x): x is YamlNode => x !== null && !isEmptyScalar(x as YamlNode)) as YamlNode[];
  }

  private scalarEntry(node: YamlNode): TextNode {
    if (!isScalar(node)) throw new ReadError('LOAD_ERR_YAML_VALIDATE', 'Value is not a scalar value', this.nodeSpan(node));
    const text = node.value === null || node.value === undefined ? '' : String(node.value);
    return textNodeFromScalar(this.source, node as Scalar, text);
  }

  private warn(code: DiagnosticCode, message: string, span: Span, item?: string): void {
    const ctx = item !== undefined ? { item } : this.itemContext();
    this.diagnostics.push({ code, severity: 'warning', message, span, ...ctx });
  }

  private nodeSpan(node: YamlNode): Span {
    const range = node.range ?? [0, 0, 0];
    return this.span(range[0], range[1]);
  }

  private span(start: number, end: number): Span {
    return { source: this.source, start, end: Math.max(start, end) };
  }
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyText(p) === key);
}

function keyText(pair: Pair): string | undefined {
  const key = pair.key as YamlNode | null;
  return key && isScalar(key) ? String(key.value ?? '') : undefined;
}

function scalarOr(map: YAMLMap, key: string): string {
  const pair = pairOf(map, key);
  return pair && isScalar(pair.value) ? String((pair.value as Scalar).value ?? '') : '';
}

/** A plain scalar with no text at all: YAML's empty value (yaml-cpp's null). */
function isEmptyScalar(node: YamlNode): boolean {
  if (!isScalar(node)) return false;
  const range = node.range;
  return node.type === 'PLAIN' && (node.value === null || node.value === '') && (!range || range[0] === range[1]);
}

/** An unterminated quote is reported at the end of the input; the opening quote is more useful. */
function yamlErrorOffset(text: string, code: string, message: string, at: number): number {
  if (code !== 'MISSING_CHAR') return at;
  const quote = message.includes('"quote') ? '"' : message.includes("'quote") ? "'" : undefined;
  if (!quote) return at;
  const open = text.lastIndexOf(quote, at - 1);
  return open >= 0 ? open : at;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
