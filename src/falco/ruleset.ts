/**
 * The runnable Falco rule set (spec 5): compiled rules indexed by event type, so an event meets only
 * the rules that can match it, followed by the rules that constrain no event type. Within a bucket
 * rules keep rule order (the order of first definition across files).
 *
 * `rule_matching: all` (vigil's default) gives one alert per matching rule, in rule order; `first`
 * stops at the first match, as Falco's default does. Rules below the minimum priority are not
 * indexed. Rules can be enabled and disabled at run time; a rule enabled later goes to the end of
 * its buckets, as in Falco.
 */
import type { Alert } from '../alerts/alert.js';
import { EVENTS, eventByName } from '../events/event-table.js';
import type { EvalContext } from './fields/field.js';
import { PRIORITY_NAMES } from './loader/items.js';
import type { OutputFormat } from './output/format.js';

export interface CompiledRule {
  name: string;
  desc: string;
  /** 0 (Emergency) … 7 (Debug). */
  priority: number;
  source: string;
  tags: readonly string[];
  /** Enabled at load. */
  enabled: boolean;
  /** Event names the condition can match; 'all' when it constrains none. */
  eventTypes: 'all' | ReadonlySet<string>;
  matches(ctx: EvalContext): boolean;
  output: OutputFormat;
}

export type RuleMatching = 'first' | 'all';

export interface RulesetOptions {
  ruleMatching?: RuleMatching;
  /** Keep rules at least this severe (numeric priority ≤ this); default 7 (debug). */
  minPriority?: number;
  hostname?: string;
  version?: number;
}

const NO_ALERTS: readonly Alert[] = Object.freeze([]);

export class FalcoRuleset {
  readonly rules: readonly CompiledRule[];
  ruleMatching: RuleMatching;
  hostname: string;
  version: number;
  private minPriority: number;
  /** Enabled rules in bucket order: load order, then rules in the order they were enabled. */
  private active: CompiledRule[];
  private byEventId: (readonly CompiledRule[])[] = [];
  private anyType: readonly CompiledRule[] = [];
  /** Rule name → number of evaluation errors (a compiled rule that threw). */
  readonly errors = new Map<string, number>();

  constructor(rules: readonly CompiledRule[], options: RulesetOptions = {}) {
    this.rules = rules;
    this.ruleMatching = options.ruleMatching ?? 'all';
    this.minPriority = options.minPriority ?? 7;
    this.hostname = options.hostname ?? '';
    this.version = options.version ?? 1;
    this.active = rules.filter((r) => r.enabled);
    this.rebuildIndex();
  }

  /** Enable or disable a rule by name; false when there is no such rule. */
  setEnabled(name: string, enabled: boolean): boolean {
    const rule = this.rules.find((r) => r.name === name);
    if (!rule) return false;
    const at = this.active.indexOf(rule);
    if (enabled && at < 0) this.active.push(rule);
    if (!enabled && at >= 0) this.active.splice(at, 1);
    this.rebuildIndex();
    return true;
  }

  isEnabled(name: string): boolean {
    return this.active.some((r) => r.name === name);
  }

  setMinPriority(priority: number): void {
    this.minPriority = priority;
    this.rebuildIndex();
  }

  /** Rules an event of this type meets, in evaluation order. */
  rulesFor(eventId: number): readonly CompiledRule[] {
    return this.byEventId[eventId] ?? this.anyType;
  }

  /**
   * The alerts of one event, in rule order; a shared empty array when nothing matches. The caller
   * bumps `ctx.epoch` once per event: compiled macros memoise their result per epoch.
   */
  evaluate(ctx: EvalContext): readonly Alert[] {
    const bucket = this.byEventId[ctx.evt.id] ?? this.anyType;
    let alerts: Alert[] | undefined;
    for (let i = 0; i < bucket.length; i++) {
      const rule = bucket[i]!;
      let matched: boolean;
      try {
        matched = rule.matches(ctx);
      } catch {
        this.errors.set(rule.name, (this.errors.get(rule.name) ?? 0) + 1);
        continue;
      }
      if (!matched) continue;
      (alerts ??= []).push(this.alertFor(rule, ctx));
      if (this.ruleMatching === 'first') break;
    }
    return alerts ?? NO_ALERTS;
  }

  private alertFor(rule: CompiledRule, ctx: EvalContext): Alert {
    const containerId = ctx.thread?.containerId || undefined;
    const alert: Alert = {
      engine: 'falco',
      rule: rule.name,
      priority: PRIORITY_NAMES[rule.priority]!,
      priorityNum: rule.priority,
      source: rule.source,
      tags: rule.tags.slice(),
      ts: ctx.evt.ts,
      output: rule.output.format(ctx),
      fields: rule.output.values(ctx),
      hostname: this.hostname,
      rulesetVersion: this.version,
      eventNum: ctx.num,
    };
    if (containerId) {
      alert.containerId = containerId;
      const image = ctx.state.container(containerId)?.image;
      if (image) alert.containerImage = image;
    }
    return alert;
  }

  private rebuildIndex(): void {
    const rules = this.active.filter((r) => r.priority <= this.minPriority);
    const anyType = rules.filter((r) => r.eventTypes === 'all');
    const typed = new Map<number, CompiledRule[]>();
    for (const rule of rules) {
      if (rule.eventTypes === 'all') continue;
      for (const name of rule.eventTypes) {
        const id = eventByName(name)?.id;
        if (id === undefined) continue;
        let list = typed.get(id);
        if (!list) typed.set(id, (list = []));
        list.push(rule);
      }
    }
    const byEventId: (readonly CompiledRule[])[] = [];
    for (const e of EVENTS) {
      const own = typed.get(e.id);
      byEventId[e.id] = own ? [...own, ...anyType] : anyType;
    }
    this.byEventId = byEventId;
    this.anyType = anyType;
  }
}
