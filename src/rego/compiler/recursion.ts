/** Stage "recursion": rules may not depend on themselves, directly or through others (rego_recursion_error). */
import { walkLiteral, walkTerms, type Term } from '../ast.js';
import { allDefs, findPackage, groupsUnder, lookupData, spanOf, type CompileState, type RuleGroup } from './model.js';
import { DATA } from './resolve.js';

export function checkRecursion(state: CompileState): void {
  const deps = new Map<RuleGroup, Set<RuleGroup>>();
  for (const g of state.groups) deps.set(g, dependencies(state, g));
  const done = new Set<RuleGroup>();
  const stack: RuleGroup[] = [];
  const visit = (g: RuleGroup): void => {
    if (done.has(g)) return;
    const at = stack.indexOf(g);
    if (at >= 0) {
      const cycle = [...stack.slice(at), g].map((x) => x.path[x.path.length - 1]).join(' -> ');
      const def = allDefs(g)[0]!;
      state.diagnostics.push({
        code: 'rego_recursion_error', severity: 'error', message: `rule data.${g.path.join('.')} is recursive: ${cycle}`,
        span: spanOf(def.module, def.rule.loc), item: def.rule.name,
      });
      return;
    }
    stack.push(g);
    for (const d of deps.get(g)!) visit(d);
    stack.pop();
    done.add(g);
  };
  for (const g of state.groups) visit(g);
}

function dependencies(state: CompileState, group: RuleGroup): Set<RuleGroup> {
  const out = new Set<RuleGroup>();
  const refHeads = new WeakSet<Term>();
  const onTerm = (t: Term): void => {
    if (t.kind === 'ref') refHeads.add(t.head);
    if (t.kind === 'ref' && t.head.kind === 'var' && t.head.name === DATA) {
      const target = lookupData(state.root, t.path);
      if (target.kind === 'rule') out.add(target.group);
      else if (target.kind === 'package') groupsUnder(target.node).forEach((g) => out.add(g));
    } else if (t.kind === 'var' && t.name === DATA && !refHeads.has(t)) {
      groupsUnder(state.root).forEach((g) => out.add(g));
    } else if (t.kind === 'call' && t.name[0] === DATA) {
      const node = findPackage(state.root, t.name.slice(1, -1));
      const g = node?.rules.get(t.name[t.name.length - 1]!);
      if (g) out.add(g);
    }
  };
  for (const { rule } of allDefs(group)) {
    for (const t of [...rule.args, rule.key, rule.value]) if (t) walkTerms(t, onTerm, true);
    for (const body of [rule.body, ...rule.elses.map((e) => e.body)]) for (const l of body) walkLiteral(l, onTerm, true);
    for (const e of rule.elses) if (e.value) walkTerms(e.value, onTerm, true);
  }
  return out;
}
