/**
 * @module The alert bus: batches of alerts from the shard workers go through the priority
 * threshold and the optional per-rule rate limit, are counted per rule, and are handed to every
 * output. Outputs never block the bus (see outputs/output.ts).
 */
import type { Alert } from '../alerts/alert.js';
import type { Output } from '../outputs/output.js';
import type { RateLimiter } from '../outputs/rate-limit.js';

export interface AlertBusOptions {
  /** Alerts with a higher priority number (less severe) are dropped (Falco's `priority`). */
  maxPriorityNum: number;
  rateLimiter?: RateLimiter;
  outputs: Output[];
}

export class AlertBus {
  private readonly byRule = new Map<string, number>();
  private readonly byVersion = new Map<number, number>();
  belowPriority = 0;
  total = 0;
  private readonly listeners = new Set<(alert: Alert) => void>();

  constructor(private readonly o: AlertBusOptions) {}

  get outputs(): readonly Output[] {
    return this.o.outputs;
  }

  /** Observe every alert that passed the filters (tests, benchmarks). */
  onAlert(listener: (alert: Alert) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(alerts: readonly Alert[]): void {
    for (const alert of alerts) {
      if (alert.priorityNum > this.o.maxPriorityNum) {
        this.belowPriority++;
        continue;
      }
      if (this.o.rateLimiter && !this.o.rateLimiter.allow(alert.rule)) continue;
      this.total++;
      this.byRule.set(alert.rule, (this.byRule.get(alert.rule) ?? 0) + 1);
      this.byVersion.set(alert.rulesetVersion, (this.byVersion.get(alert.rulesetVersion) ?? 0) + 1);
      for (const output of this.o.outputs) output.write(alert);
      for (const listener of this.listeners) listener(alert);
    }
  }

  alertsByRule(): Record<string, number> {
    return Object.fromEntries(this.byRule);
  }

  alertsByVersion(): Record<string, number> {
    return Object.fromEntries(this.byVersion);
  }

  suppressed(): Record<string, number> {
    return this.o.rateLimiter?.suppressed() ?? {};
  }

  async flush(): Promise<void> {
    await Promise.all(this.o.outputs.map((o) => o.flush()));
  }

  async close(): Promise<void> {
    await Promise.all(this.o.outputs.map((o) => o.close()));
  }
}
