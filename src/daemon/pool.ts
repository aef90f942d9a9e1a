/**
 * @module The shard worker pool: one long-lived Piscina task per shard, each in its own worker
 * thread. A task that ends with an error (the worker crashed or threw) is started again on a
 * fresh worker with the current rule set; the ring kept what it had not read, so the shard
 * resumes where it stopped, and the failure is counted.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Alert } from '../alerts/alert.js';
import { ringProducer } from '../sensor/sensor.js';
import type { RuleSetSpec, ShardOptions } from '../workers/pipeline.js';
import type { ShardCommand, ShardNotice } from '../workers/shard-loop.js';
import type { ShardTask } from '../workers/shard.worker.js';
import { moduleUrl } from './module-url.js';
import type { BarrierProducer } from './rule-manager.js';

export interface PoolOptions {
  pipelineUrl: string;
  rings: SharedArrayBuffer[];
  stats: Float64Array[];
  shardOptions: Omit<ShardOptions, 'shard'>;
  onAlerts(alerts: Alert[], shard: number): void;
  onFailure(shard: number, error: unknown): void;
  idleWaitMs?: number;
}

/** The compiled worker, or from the sources a bootstrap that gives the worker thread tsx's hooks. */
function workerModule(): string {
  const url = moduleUrl('../workers/shard.worker.js', import.meta.url);
  return url.endsWith('.ts') ? new URL('../workers/tsx-bootstrap.mjs', import.meta.url).href : url;
}

/** The daemon's node flags minus those that belong to an entry script given with -e/-p. */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') i++;
    else if (!a.startsWith('--input-type') && !a.startsWith('--eval=') && !a.startsWith('--print=')) out.push(a);
  }
  return out;
}

interface Shard {
  port: MessagePort;
  done: Promise<void>;
  ready: Promise<void>;
  failures: number;
  /** Failures since the worker last became ready: restarts back off while a worker cannot start. */
  streak: number;
}

interface Waiter {
  version: number;
  remaining: Set<number>;
  errors: string[];
  resolve(errors: string[]): void;
}

export class ShardPool {
  private readonly piscina: Piscina;
  private readonly shards: Shard[] = [];
  private current!: RuleSetSpec;
  /** Announced sets whose barrier may not have been passed yet; handed to restarted workers. */
  private readonly pending = new Map<number, RuleSetSpec>();
  private readonly waiters = new Set<Waiter>();
  private stopping = false;

  constructor(private readonly o: PoolOptions) {
    const n = o.rings.length;
    this.piscina = new Piscina({
      filename: fileURLToPath(workerModule()),
      minThreads: n,
      maxThreads: n,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      concurrentTasksPerWorker: 1,
      // 'sync' would block the worker's event loop between tasks' messages; the shard loop needs it.
      atomics: 'disabled',
      maxQueue: n,
      // Workers take the daemon's node flags except those that only make sense for an entry script.
      execArgv: workerExecArgv(process.execArgv),
    });
    // A worker that fails outside a task would otherwise be an unhandled 'error' event that ends the
    // daemon; its task's rejection already restarts the shard and counts the failure.
    this.piscina.on('error', (error: unknown) => o.onFailure(-1, error));
  }

  get size(): number {
    return this.o.rings.length;
  }

  failures(): number[] {
    return this.shards.map((s) => s.failures);
  }

  /** Start every shard with `spec`; resolves once every worker has compiled it and is reading. */
  async start(spec: RuleSetSpec): Promise<void> {
    this.current = spec;
    for (let i = 0; i < this.size; i++) this.shards.push(this.launch(i, 0, 0));
    await Promise.all(this.shards.map((s) => s.ready));
  }

  private launch(shard: number, failures: number, streak: number): Shard {
    const channel = new MessageChannel();
    const task: ShardTask = {
      pipelineUrl: this.o.pipelineUrl,
      shardOptions: { ...this.o.shardOptions, shard },
      shards: this.size,
      ring: this.o.rings[shard]!,
      stats: this.o.stats[shard]!,
      port: channel.port2,
      current: this.current,
      pending: [...this.pending.values()],
      ...(this.o.idleWaitMs !== undefined ? { idleWaitMs: this.o.idleWaitMs } : {}),
    };
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    // Messages on the shard's port and the task's result travel on different channels: the port
    // is closed only after the shard's own 'stopped' notice, so no alert batch is left behind.
    let markStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (markStopped = resolve));
    const entry: Shard = { port: channel.port1, ready, failures, streak, done: Promise.resolve() };
    channel.port1.on('message', (notice: ShardNotice) => {
      if (notice.type === 'ready') entry.streak = 0;
      if (notice.type === 'stopped') markStopped();
      this.onNotice(notice, markReady);
    });
    entry.done = this.piscina.run(task, { transferList: [channel.port2] }).then(
      async () => {
        // Bounded: a notice that never comes must not hang the shutdown.
        await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        channel.port1.close();
      },
      (error: unknown) => {
        channel.port1.close();
        markReady();
        if (this.stopping) return;
        this.o.onFailure(shard, error);
        this.failWaiters(shard, error);
        const delay = entry.streak === 0 ? 0 : Math.min(5000, 100 * 2 ** entry.streak);
        const restart = () => {
          if (!this.stopping) this.shards[shard] = this.launch(shard, failures + 1, entry.streak + 1);
        };
        if (delay === 0) restart();
        else setTimeout(restart, delay).unref();
      },
    );
    return entry;
  }

  private onNotice(notice: ShardNotice, markReady: () => void): void {
    switch (notice.type) {
      case 'alerts':
        this.o.onAlerts(notice.alerts, notice.shard);
        break;
      case 'ready':
        markReady();
        break;
      case 'prepared':
        for (const w of this.waiters) {
          if (w.version !== notice.version || !w.remaining.delete(notice.shard)) continue;
          if (notice.error) w.errors.push(`shard ${notice.shard}: ${notice.error}`);
          if (w.remaining.size === 0) {
            this.waiters.delete(w);
            w.resolve(w.errors);
          }
        }
        break;
    }
  }

  private failWaiters(shard: number, error: unknown): void {
    for (const w of this.waiters) {
      if (!w.remaining.delete(shard)) continue;
      w.errors.push(`shard ${shard} failed while compiling: ${String(error)}`);
      if (w.remaining.size === 0) {
        this.waiters.delete(w);
        w.resolve(w.errors);
      }
    }
  }

  private send(shard: number, cmd: ShardCommand): void {
    this.shards[shard]!.port.postMessage(cmd);
  }

  /** Have every worker compile `spec` ahead of its barrier. Resolves with the errors (none = all ready). */
  prepare(spec: RuleSetSpec): Promise<string[]> {
    this.pending.set(spec.version, spec);
    return new Promise((resolve) => {
      this.waiters.add({ version: spec.version, remaining: new Set(this.shards.keys()), errors: [], resolve });
      for (let i = 0; i < this.size; i++) this.send(i, { type: 'prepare', spec });
    });
  }

  discard(version: number): void {
    this.pending.delete(version);
    for (let i = 0; i < this.size; i++) this.send(i, { type: 'discard', version });
  }

  /** The barrier for `spec` is in every ring (or was sent as a message): it is the set restarts use. */
  committed(spec: RuleSetSpec): void {
    this.current = spec;
    for (const v of this.pending.keys()) if (v <= spec.version) this.pending.delete(v);
  }

  /** The live sensor filling every ring of this pool, which can place control records; else undefined. */
  barrier(): BarrierProducer | undefined {
    const producer = ringProducer(this.o.rings[0]!);
    return producer && this.o.rings.every((r) => ringProducer(r) === producer) ? producer : undefined;
  }

  /** Fallback barrier when the producer cannot take control records: switch between two batches. */
  activate(version: number): void {
    for (let i = 0; i < this.size; i++) this.send(i, { type: 'activate', version });
  }

  /** Ask every shard to drain its ring and stop; resolves when all tasks have ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (let i = 0; i < this.size; i++) this.send(i, { type: 'stop' });
    await Promise.all(this.shards.map((s) => s.done));
    await this.piscina.destroy();
  }
}
