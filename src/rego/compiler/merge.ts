/**
 * Stage "merge": packages from all modules are merged into one tree, and rule definitions of the same
 * name in the same package are grouped. Also checks the rule-kind conflicts OPA reports at this point.
 */
import { newPackageNode, spanOf, type CompileState, type PackageNode, type RuleDef } from './model.js';

export function mergePackages(state: CompileState): void {
  for (const module of state.modules) {
    let node = state.root;
    for (const seg of module.pkg) {
      let child = node.children.get(seg);
      if (!child) {
        child = newPackageNode([...node.path, seg]);
        node.children.set(seg, child);
      }
      node = child;
    }
    node.modules.push(module);
    for (const rule of module.rules) addRule(state, node, { rule, module });
  }
  checkPackageRuleClashes(state, state.root);
}

function addRule(state: CompileState, node: PackageNode, def: RuleDef): void {
  const { rule } = def;
  let group = node.rules.get(rule.name);
  if (!group) {
    group = { id: state.groups.length, path: [...node.path, rule.name], kind: rule.kind, defs: [], defaultDef: null, arity: rule.args.length };
    node.rules.set(rule.name, group);
    state.groups.push(group);
  } else if (group.kind !== rule.kind) {
    report(state, def, 'rego_type_error', `conflicting rules data.${group.path.join('.')} found`);
    return;
  } else if (rule.kind === 'function' && rule.args.length !== group.arity) {
    report(state, def, 'rego_type_error', `conflicting rules data.${group.path.join('.')} found (function arity differs)`);
    return;
  } else if (rule.kind !== 'function' && (rule.assigned || group.defs.some((d) => d.rule.assigned))) {
    if (!rule.isDefault && !(group.defs.length === 0 && group.defaultDef)) {
      report(state, def, 'rego_compile_error', `rule ${rule.name} redeclared at ${locText(group.defs[0] ?? group.defaultDef!)}`);
      return;
    }
  }
  if (rule.isDefault) {
    if (group.defaultDef) {
      report(state, def, 'rego_type_error', `multiple default rules data.${group.path.join('.')} found`);
      return;
    }
    group.defaultDef = def;
  } else group.defs.push(def);
}

function checkPackageRuleClashes(state: CompileState, node: PackageNode): void {
  for (const [name, child] of node.children) {
    const clash = node.rules.get(name);
    if (clash) {
      const def = clash.defs[0] ?? clash.defaultDef!;
      report(state, def, 'rego_type_error', `package data.${child.path.join('.')} conflicts with rule ${name} defined at ${locText(def)}`);
    }
    checkPackageRuleClashes(state, child);
  }
}

function locText(def: RuleDef): string {
  const p = def.module.source.position(def.rule.loc.start);
  return `${def.module.source.name}:${p.line}`;
}

function report(state: CompileState, def: RuleDef, code: 'rego_type_error' | 'rego_compile_error', message: string): void {
  state.diagnostics.push({ code, severity: 'error', message, span: spanOf(def.module, def.rule.loc), item: def.rule.name });
}
