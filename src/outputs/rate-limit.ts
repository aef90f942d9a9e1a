/**
 * @module Per-rule token buckets: each rule may emit `burst` alerts at once and `rate` per second
 * after that; what a bucket refuses is counted per rule and reported by /stats and /metrics.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly suppressedByRule = new Map<string, number>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  allow(rule: string): boolean {
    const t = this.now();
    let b = this.buckets.get(rule);
    if (!b) {
      b = { tokens: this.burst, at: t };
      this.buckets.set(rule, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    this.suppressedByRule.set(rule, (this.suppressedByRule.get(rule) ?? 0) + 1);
    return false;
  }

  suppressed(): Record<string, number> {
    return Object.fromEntries(this.suppressedByRule);
  }
}
