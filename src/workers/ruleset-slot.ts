/**
 * @module The rule set a worker evaluates, and the one it will switch to. A new set is compiled
 * when the rule manager announces it (`prepare`) but only becomes current at its barrier: the
 * control record in the ring, so every event before it meets the old set and every event after it
 * the new one. Nothing in between: an event never meets two versions.
 */
import type { CompiledRules } from './pipeline.js';

export class RulesetSlot {
  private readonly pending = new Map<number, CompiledRules>();

  constructor(private active: CompiledRules) {}

  get current(): CompiledRules {
    return this.active;
  }

  prepare(rules: CompiledRules): void {
    this.pending.set(rules.version, rules);
  }

  discard(version: number): void {
    this.pending.delete(version);
  }

  /** Switch to a prepared version; older prepared versions are dropped. False when it was never prepared. */
  activate(version: number): boolean {
    const next = this.pending.get(version);
    if (!next) return version === this.active.version;
    this.active = next;
    for (const v of this.pending.keys()) if (v <= version) this.pending.delete(v);
    return true;
  }
}
