/**
 * @module Replay: Tracee JSON lines from a file or stdin, or the events of a .scap capture,
 * encoded into the wire format and routed into the shard rings, the same path as live events. The
 * replay reader is the rings' producer, so it also writes the rule manager's control records: they
 * go into every ring between two events of the stream, which makes the reload barrier exact.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { VigilEvent } from '../events/event.js';
import type { ScapItem, ScapReadSummary } from '../scap/index.js';
import type { Pipeline } from '../workers/pipeline.js';
import { ShardRingWriter } from '../workers/shard-ring.js';
import { isLifecycle, shardOf } from '../workers/shard-route.js';
import type { BarrierProducer } from './rule-manager.js';

export interface ReplayStats {
  linesRead: number;
  eventsWritten: number;
  badLines: number;
  /** A .scap capture's fault (corrupt or truncated); the events before it were replayed. */
  captureError?: { offset: number; message: string };
  lastError?: string;
  done: boolean;
}

export function openTraceeInput(spec: string): Readable {
  // `file:PATH`, `file:stdin` (tracee-rules' --input-tracee syntax) or a bare path.
  const path = spec.startsWith('file:') ? spec.slice(5) : spec;
  return path === 'stdin' || path === '-' ? process.stdin : createReadStream(path);
}

export class ReplayProducer implements BarrierProducer {
  readonly stats: ReplayStats = { linesRead: 0, eventsWritten: 0, badLines: 0, done: false };
  readonly writers: ShardRingWriter[];
  /** Serialises event writes and control records, so a control record lands between two events in every ring. */
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private stopped = false;

  constructor(
    private readonly pipeline: Pipeline,
    rings: SharedArrayBuffer[],
    private readonly onBadLine: (line: number, message: string) => void = () => {},
  ) {
    this.writers = rings.map((r) => new ShardRingWriter(r));
  }

  insertControl(record: Uint8Array): Promise<void> {
    return this.enqueue(async () => {
      for (const w of this.writers) await w.write(record);
    });
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queued++;
    const run = this.tail.then(job).finally(() => this.queued--);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Stop reading input (shutdown); what was written stays in the rings for the workers to drain. */
  stop(): void {
    this.stopped = true;
  }

  /** Read every line of `input` into the rings. Bad lines are counted and reported, never fatal. */
  async run(input: Readable): Promise<ReplayStats> {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      if (this.stopped) break;
      const lineNo = ++this.stats.linesRead;
      if (line.trim() === '') continue;
      const evt = this.pipeline.parseTraceeLine(line);
      if (typeof evt === 'string') {
        this.stats.badLines++;
        this.stats.lastError = `line ${lineNo}: ${evt}`;
        this.onBadLine(lineNo, evt);
        continue;
      }
      await this.write(evt);
    }
    lines.close();
    await this.tail;
    this.stats.done = true;
    return this.stats;
  }

  /**
   * Write the events of a capture's items into the rings (the seed item went to the workers
   * before they started). A capture's fault ends the replay; it is recorded, never thrown.
   */
  async runScap(items: AsyncGenerator<ScapItem, ScapReadSummary>): Promise<ReplayStats> {
    for (let next = await items.next(); !next.done && !this.stopped; next = await items.next()) {
      const item = next.value;
      if (item.kind === 'error') {
        this.stats.captureError = item.error;
        this.stats.lastError = `byte offset ${item.error.offset}: ${item.error.message}`;
      } else if (item.kind === 'events') {
        for (const evt of item.events) {
          if (this.stopped) break;
          await this.write(evt);
        }
      } else if (item.kind === 'container') {
        await this.writeRecord(this.pipeline.encodeContainer(item.info), this.writers);
      }
    }
    await items.return(undefined as never);
    await this.tail;
    this.stats.done = true;
    return this.stats;
  }

  /** Life-cycle events go to every shard (each keeps the whole process tree), the rest to their pid's shard. */
  private async write(evt: VigilEvent): Promise<void> {
    const n = this.writers.length;
    const targets = n > 1 && isLifecycle(evt) ? this.writers : [this.writers[shardOf(evt, n)]!];
    await this.writeRecord(this.pipeline.encodeEvent(evt), targets);
    this.stats.eventsWritten++;
  }

  /** One record into `targets`' rings, in stream order behind anything queued. */
  private async writeRecord(record: Uint8Array, targets: readonly ShardRingWriter[]): Promise<void> {
    // Fast path: nothing queued (no control record pending) and room in the rings → write now.
    let written = 0;
    if (this.queued === 0) while (written < targets.length && targets[written]!.tryWrite(record)) written++;
    if (written < targets.length) {
      const rest = targets.slice(written);
      await this.enqueue(async () => {
        for (const w of rest) await w.write(record);
      });
    }
  }
}
