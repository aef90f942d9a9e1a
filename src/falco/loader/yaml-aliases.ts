/**
 * yaml-cpp follows aliases (`*name`) to their anchors; so does the reader, by replacing each alias
 * node with its target before reading items. Every alias is resolved before the tree changes
 * (resolving walks the document, which must still be a tree then); shared targets are walked once,
 * so anchors of anchors cannot blow up; an alias inside its own anchor cannot be resolved.
 */
import { isAlias, isMap, isPair, isSeq, visit, type Alias, type Document, type Node as YamlNode } from 'yaml';

export function resolveAliases(root: YamlNode, doc: Document): YamlNode | { unresolved: Alias } {
  const targets = new Map<Alias, YamlNode | undefined>();
  visit(doc, { Alias: (_, alias) => void targets.set(alias, alias.resolve(doc) as YamlNode | undefined) });
  if (targets.size === 0) return root;
  const active = new Set<YamlNode>();
  const done = new Set<YamlNode>();
  class Unresolved {
    constructor(readonly alias: Alias) {}
  }
  const walk = (node: YamlNode): YamlNode => {
    if (isAlias(node)) {
      const target = targets.get(node);
      if (!target || active.has(target)) throw new Unresolved(node);
      return walk(target);
    }
    if ((!isMap(node) && !isSeq(node)) || done.has(node)) return node;
    active.add(node);
    const items = node.items as unknown[];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (isPair(item)) {
        if (item.value) item.value = walk(item.value as YamlNode);
      } else if (item) {
        items[i] = walk(item as YamlNode);
      }
    }
    active.delete(node);
    done.add(node);
    return node;
  };
  try {
    return walk(root);
  } catch (e) {
    if (e instanceof Unresolved) return { unresolved: e.alias };
    throw e;
  }
}
