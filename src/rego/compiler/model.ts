/** What the compiler stages hand each other. */
import type { Diagnostic, SourceText } from '../../diagnostics/index.js';
import type { Loc, Module, Rule, RuleKind, Term } from '../ast.js';
import type { Value } from '../runtime/value.js';

export interface RuleDef {
  rule: Rule;
  module: Module;
}

/** All definitions of one rule name in one package. */
export interface RuleGroup {
  id: number;
  /** `['tracee', 'TRC_2', 'tracee_match']` */
  path: string[];
  kind: RuleKind;
  defs: RuleDef[];
  defaultDef: RuleDef | null;
  arity: number;
}

export interface PackageNode {
  path: string[];
  children: Map<string, PackageNode>;
  rules: Map<string, RuleGroup>;
  modules: Module[];
}

export interface CompileOptions {
  strict?: boolean;
  /** Base `data` document (the JSON data OPA loads beside policies). */
  data?: Value;
}

export interface CompileState {
  options: CompileOptions;
  sources: SourceText[];
  modules: Module[];
  root: PackageNode;
  groups: RuleGroup[];
  diagnostics: Diagnostic[];
}

export function newPackageNode(path: string[]): PackageNode {
  return { path, children: new Map(), rules: new Map(), modules: [] };
}

export function spanOf(module: Module, loc: Loc): { source: SourceText; start: number; end: number } {
  return { source: module.source, start: loc.start, end: loc.end };
}

/** Walks the package tree along `path`; returns the node and how many segments were consumed. */
export function findPackage(root: PackageNode, path: readonly string[]): PackageNode | undefined {
  let node: PackageNode | undefined = root;
  for (const seg of path) {
    node = node.children.get(seg);
    if (!node) return undefined;
  }
  return node;
}

export type DataTarget =
  | { kind: 'rule'; group: RuleGroup; consumed: number }
  | { kind: 'package'; node: PackageNode; consumed: number }
  | { kind: 'base'; node: PackageNode; consumed: number };

/** Follows the constant prefix of a `data` ref into the package tree (`path` excludes `data`). */
export function lookupData(root: PackageNode, path: readonly Term[]): DataTarget {
  let node = root;
  let i = 0;
  for (; i < path.length; i++) {
    const seg = path[i]!;
    if (seg.kind !== 'scalar' || typeof seg.value !== 'string') break;
    const group = node.rules.get(seg.value);
    if (group) return { kind: 'rule', group, consumed: i + 1 };
    const child = node.children.get(seg.value);
    if (!child) return { kind: 'base', node, consumed: i };
    node = child;
  }
  return { kind: 'package', node, consumed: i };
}

export function groupsUnder(node: PackageNode): RuleGroup[] {
  return [...node.rules.values(), ...[...node.children.values()].flatMap(groupsUnder)];
}

export function allDefs(group: RuleGroup): RuleDef[] {
  return group.defaultDef ? [...group.defs, group.defaultDef] : group.defs;
}
