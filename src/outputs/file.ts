/**
 * @module The file output: alerts appended to a file, rotated by size (`name` → `name.1` →
 * … → `name.N`, the oldest dropped). Writes are batched and chained, so alerts stay in order and
 * the event loop is never blocked on the disk.
 */
import { appendFile, rename, stat, unlink } from 'node:fs/promises';
import type { Alert } from '../alerts/alert.js';
import { renderAlert } from './format.js';
import type { Output, OutputStats } from './output.js';

export interface FileOutputOptions {
  filename: string;
  json: boolean;
  maxBytes: number;
  maxFiles: number;
}

export class FileOutput implements Output {
  readonly name = 'file';
  private readonly counts: OutputStats = { written: 0, dropped: 0, errors: 0 };
  private pending: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private size: number | undefined;

  constructor(private readonly o: FileOutputOptions) {}

  write(alert: Alert): void {
    this.pending.push(`${renderAlert(alert, this.o.json)}\n`);
    if (this.pending.length === 1) this.chain = this.chain.then(() => this.drain());
  }

  private async drain(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const text = batch.join('');
    try {
      if (this.size === undefined) this.size = await stat(this.o.filename).then((s) => s.size, () => 0);
      if (this.o.maxBytes > 0 && this.size > 0 && this.size + Buffer.byteLength(text) > this.o.maxBytes) await this.rotate();
      await appendFile(this.o.filename, text);
      this.size += Buffer.byteLength(text);
      this.counts.written += batch.length;
    } catch {
      this.counts.errors++;
      this.counts.dropped += batch.length;
    }
  }

  private async rotate(): Promise<void> {
    const name = (i: number) => (i === 0 ? this.o.filename : `${this.o.filename}.${i}`);
    await unlink(name(this.o.maxFiles)).catch(() => undefined);
    for (let i = this.o.maxFiles - 1; i >= 0; i--) await rename(name(i), name(i + 1)).catch(() => undefined);
    this.size = 0;
  }

  async flush(): Promise<void> {
    this.chain = this.chain.then(() => this.drain());
    await this.chain;
  }

  close(): Promise<void> {
    return this.flush();
  }

  stats(): OutputStats {
    return { ...this.counts };
  }
}
