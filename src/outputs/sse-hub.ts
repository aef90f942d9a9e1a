/**
 * @module The SSE hub: fans alerts out to stream clients. Each alert gets an increasing event id
 * and is kept in a bounded replay buffer, so a client that reconnects with `Last-Event-ID` gets
 * what it missed (if it is still buffered). Each client has its own bounded queue: publishing
 * only appends to queues and never waits on a socket, so a slow client cannot slow the pipeline
 * or the other clients; when its queue overflows it gets one final `error` event and is closed.
 */
import type { Alert } from '../alerts/alert.js';
import { alertToJson } from './format.js';
import type { Output, OutputStats } from './output.js';

export interface SseEntry {
  id: number;
  alert: Alert;
  data: string;
}

export interface SseFilter {
  /** Highest priority number let through (0 Emergency … 7 Debug). */
  maxPriorityNum?: number;
  rules?: string[];
  tags?: string[];
  /** Container ids (12-char prefix match) or `host`. */
  containers?: string[];
  /** `syscall`, `tracee`, or an engine name. */
  sources?: string[];
}

export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export function matches(filter: SseFilter, alert: Alert): boolean {
  if (filter.maxPriorityNum !== undefined && alert.priorityNum > filter.maxPriorityNum) return false;
  if (filter.rules && !filter.rules.includes(alert.rule)) return false;
  if (filter.tags && !filter.tags.some((t) => alert.tags.includes(t))) return false;
  if (filter.sources && !filter.sources.includes(alert.source) && !filter.sources.includes(alert.engine)) return false;
  if (filter.containers) {
    const id = alert.containerId ?? 'host';
    if (!filter.containers.some((c) => (c === 'host' ? id === 'host' : id.startsWith(c) || c.startsWith(id)))) return false;
  }
  return true;
}

export class SseClient {
  private readonly queue: SseMessage[] = [];
  private wake: (() => void) | undefined;
  private closing = false;
  closed = false;
  delivered = 0;

  constructor(
    readonly filter: SseFilter,
    private readonly limit: number,
    private readonly onOverflow: () => void,
  ) {}

  offer(entry: SseEntry): void {
    if (this.closing || !matches(this.filter, entry.alert)) return;
    if (this.queue.length >= this.limit) {
      this.queue.length = 0;
      this.queue.push({ event: 'error', data: JSON.stringify({ error: 'client too slow: alert queue overflowed', lastEventId: entry.id - 1 }) });
      this.closing = true;
      this.onOverflow();
    } else {
      this.queue.push({ id: String(entry.id), event: 'alert', data: entry.data });
    }
    this.wake?.();
  }

  notice(message: SseMessage): void {
    this.queue.push(message);
    this.wake?.();
  }

  /** The next message; `undefined` after a timeout (time for a heartbeat); `null` once closed. */
  async next(timeoutMs: number): Promise<SseMessage | undefined | null> {
    if (this.queue.length === 0) {
      if (this.closing || this.closed) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      if (this.closed) return null;
      if (this.queue.length === 0) return this.closing ? null : undefined;
    }
    this.delivered++;
    return this.queue.shift()!;
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }
}

export interface SseHubOptions {
  replayBuffer: number;
  clientQueue: number;
}

export class SseHub implements Output {
  readonly name = 'sse';
  private readonly buffer: SseEntry[] = [];
  private readonly clients = new Set<SseClient>();
  private nextId = 1;
  private readonly counts: OutputStats = { written: 0, dropped: 0, errors: 0 };
  /** Clients disconnected because their queue overflowed. */
  slowDisconnects = 0;

  constructor(private readonly o: SseHubOptions) {}

  write(alert: Alert): void {
    const entry: SseEntry = { id: this.nextId++, alert, data: alertToJson(alert) };
    this.buffer.push(entry);
    if (this.buffer.length > this.o.replayBuffer) this.buffer.shift();
    this.counts.written++;
    for (const c of this.clients) c.offer(entry);
  }

  /** A new client; with `lastEventId`, buffered alerts after it are queued first. */
  subscribe(filter: SseFilter, lastEventId?: number): SseClient {
    const client = new SseClient(filter, this.o.clientQueue, () => {
      this.slowDisconnects++;
      this.counts.dropped++;
    });
    if (lastEventId !== undefined && Number.isFinite(lastEventId)) {
      const oldest = this.buffer[0]?.id ?? this.nextId;
      if (lastEventId + 1 < oldest) {
        client.notice({ event: 'gap', data: JSON.stringify({ missedFrom: lastEventId + 1, resumedAt: oldest }) });
      }
      for (const e of this.buffer) if (e.id > lastEventId) client.offer(e);
    }
    this.clients.add(client);
    return client;
  }

  unsubscribe(client: SseClient): void {
    client.close();
    this.clients.delete(client);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get lastId(): number {
    return this.nextId - 1;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    for (const c of this.clients) c.close();
    this.clients.clear();
  }

  stats(): OutputStats {
    return { ...this.counts };
  }
}
