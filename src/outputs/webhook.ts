/**
 * @module The webhook output: one HTTP POST per alert, body from a template, bounded queue
 * (alerts beyond it are dropped and counted), retries with exponential backoff on network errors
 * and 5xx/429 answers. One request is in flight at a time, so alerts arrive in order.
 */
import type { Alert } from '../alerts/alert.js';
import { alertToJson } from './format.js';
import type { Output, OutputStats } from './output.js';

export interface WebhookOptions {
  url: string;
  template: string;
  contentType: string;
  retries: number;
  backoffMs: number;
  timeoutMs: number;
  queueSize: number;
  fetch?: typeof fetch;
}

/** `{{json}}`, `{{rule}}`, `{{priority}}`, `{{output}}`, `{{source}}`, `{{hostname}}`, `{{version}}`, `{{time}}`. */
export function renderTemplate(template: string, alert: Alert): string {
  if (template === '') return alertToJson(alert);
  const values: Record<string, () => string> = {
    json: () => alertToJson(alert),
    rule: () => alert.rule,
    priority: () => alert.priority,
    output: () => alert.output,
    source: () => alert.source,
    hostname: () => alert.hostname,
    version: () => String(alert.rulesetVersion),
    time: () => new Date(Number(alert.ts / 1_000_000n)).toISOString(),
    tags: () => alert.tags.join(','),
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key]?.() ?? whole);
}

export class WebhookOutput implements Output {
  readonly name = 'webhook';
  private readonly counts: OutputStats = { written: 0, dropped: 0, errors: 0 };
  private readonly queue: Alert[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly o: WebhookOptions) {}

  write(alert: Alert): void {
    if (this.closed || this.queue.length >= this.o.queueSize) {
      this.counts.dropped++;
      return;
    }
    this.queue.push(alert);
    this.running ??= this.pump().finally(() => (this.running = undefined));
  }

  private async pump(): Promise<void> {
    for (let alert = this.queue.shift(); alert; alert = this.queue.shift()) {
      if (await this.deliver(renderTemplate(this.o.template, alert))) this.counts.written++;
      else this.counts.dropped++;
    }
  }

  private async deliver(body: string): Promise<boolean> {
    const doFetch = this.o.fetch ?? fetch;
    for (let attempt = 0; attempt <= this.o.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.o.backoffMs * 2 ** (attempt - 1)));
      try {
        const res = await doFetch(this.o.url, {
          method: 'POST',
          headers: { 'content-type': this.o.contentType },
          body,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return true;
        this.counts.errors++;
        if (res.status < 500 && res.status !== 429) return false;
      } catch {
        this.counts.errors++;
      }
    }
    return false;
  }

  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  stats(): OutputStats {
    return { ...this.counts };
  }
}
