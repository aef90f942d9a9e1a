/**
 * @module The stdout output: one rendered alert per line (or block), written through one
 * buffered stream write per alert batch so a burst of alerts is one syscall, not hundreds.
 */
import type { Writable } from 'node:stream';
import type { Alert } from '../alerts/alert.js';
import { renderAlert } from './format.js';
import type { Output, OutputStats } from './output.js';

export class StdoutOutput implements Output {
  readonly name = 'stdout';
  private readonly counts: OutputStats = { written: 0, dropped: 0, errors: 0 };
  private buffered: string[] = [];
  private scheduled = false;

  constructor(
    private readonly json: boolean,
    private readonly stream: Writable = process.stdout,
  ) {}

  write(alert: Alert): void {
    this.buffered.push(renderAlert(alert, this.json));
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (this.buffered.length === 0) return;
    const lines = this.buffered;
    this.buffered = [];
    this.counts.written += lines.length;
    this.stream.write(`${lines.join('\n')}\n`);
  }

  async flush(): Promise<void> {
    this.drain();
    if (this.stream.writableNeedDrain) await new Promise((resolve) => this.stream.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
  }

  stats(): OutputStats {
    return { ...this.counts };
  }
}
