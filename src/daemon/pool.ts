/**
 * @module The shard worker pool: one long-lived Piscina task per shard, each in its own worker
 * thread. A task that ends with an error (the worker crashed or threw) is started again on a
 * fresh worker with the current rule set; the ring kept what it had not read, so the shard
 * resumes where it stopped, and the failure is counted.
 *
 * A worker that hangs never fails by itself, so a watchdog ends it: a shard whose ring holds
 * unread records while its worker makes no progress for the stall timeout (watchdog.ts), or whose
 * worker does not acknowledge a prepare within it, has its task aborted (Piscina terminates the
 * thread) and takes the same restart path as a crash, counted as "stalled". The record it was stuck
 * on is skipped once by the replacement, as after a crash (shard-loop.ts), and a reload waiting on
 * that worker fails instead of waiting forever. A worker that does not finish starting (loading the
 * pipeline, seeding its state, compiling the rules) within the start timeout is ended the same way,
 * named with the start-up step it hung in.
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
import { atMost } from './wait.js';
import { StallWatch, formatSeconds, sampleProgress } from './watchdog.js';

export type FailureReason = 'crashed' | 'stalled';
export type FailureCounts = Record<FailureReason, number>;

export interface PoolOptions {
  pipelineUrl: string;
  rings: SharedArrayBuffer[];
  stats: Float64Array[];
  shardOptions: Omit<ShardOptions, 'shard'>;
  onAlerts(alerts: Alert[], shard: number): void;
  onFailure(shard: number, error: unknown, reason: FailureReason): void;
  idleWaitMs?: number;
  /** A worker stalled this long (or this late with a prepare acknowledgement) is restarted; 0 or absent = never. */
  stallTimeoutMs?: number;
  /** A worker not ready this long after its launch (seeding, compiling) is restarted; 0 or absent = never. */
  startTimeoutMs?: number;
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
  /** Failures since the worker last became ready: restarts back off while a worker cannot start. */
  streak: number;
  abort: AbortController;
  /** The task has not ended (the worker may still be starting). */
  live: boolean;
  /** The worker said it is ready and reads its ring: the watchdog judges it. */
  running: boolean;
  threadId?: number;
  /** Why the watchdog ended this worker. */
  stalled?: string;
  /** Resolves when the ended worker's thread is gone, so two threads never read one ring. */
  exited?: Promise<unknown>;
}

interface Waiter {
  version: number;
  remaining: Set<number>;
  errors: string[];
  timer?: NodeJS.Timeout;
  resolve(errors: string[]): void;
}

/** Longest wait for a terminated worker's thread to exit before its replacement starts anyway. */
const EXIT_WAIT_MS = 5000;

export class ShardPool {
  private readonly piscina: Piscina;
  private readonly shards: Shard[] = [];
  private readonly failureCounts: FailureCounts[];
  private readonly watch: StallWatch;
  private watchTimer: NodeJS.Timeout | undefined;
  private current!: RuleSetSpec;
  /** Announced sets whose barrier may not have been passed yet; handed to restarted workers. */
  private readonly pending = new Map<number, RuleSetSpec>();
  private readonly waiters = new Set<Waiter>();
  private stopping = false;

  constructor(private readonly o: PoolOptions) {
    const n = o.rings.length;
    this.failureCounts = Array.from({ length: n }, () => ({ crashed: 0, stalled: 0 }));
    this.watch = new StallWatch(o.stallTimeoutMs ?? 0);
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
    this.piscina.on('error', (error: unknown) => o.onFailure(-1, error, 'crashed'));
  }

  get size(): number {
    return this.o.rings.length;
  }

  /** Per shard: workers that died (crashed) or were ended by the watchdog (stalled). */
  failures(): FailureCounts[] {
    return this.failureCounts.map((c) => ({ ...c }));
  }

  /** Start every shard with `spec`; resolves once every worker has compiled it and is reading. */
  async start(spec: RuleSetSpec): Promise<void> {
    this.current = spec;
    for (let i = 0; i < this.size; i++) this.shards.push(this.launch(i, 0));
    if (this.watch.enabled) {
      this.watchTimer = setInterval(() => this.checkStalls(), Math.min(1000, Math.max(20, this.watch.timeoutMs / 4)));
      this.watchTimer.unref();
    }
    await Promise.all(this.shards.map((s) => s.ready));
  }

  private launch(shard: number, streak: number): Shard {
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
    // The worker compiles the sets announced so far before it reads: its readiness acknowledges
    // them (a prepare sent while this shard was down reached no worker).
    const announced = [...this.pending.keys()];
    const abort = new AbortController();
    const entry: Shard = { port: channel.port1, ready, streak, abort, live: true, running: false, done: Promise.resolve() };
    let step = 'starting';
    const startTimer = this.o.startTimeoutMs
      ? setTimeout(() => this.wedge(shard, `did not finish starting within ${formatSeconds(this.o.startTimeoutMs!)} (it was ${step})`), this.o.startTimeoutMs).unref()
      : undefined;
    channel.port1.on('message', (notice: ShardNotice) => {
      if (notice.type === 'starting') {
        step = notice.step;
        entry.threadId = notice.threadId;
      }
      if (notice.type === 'ready') {
        clearTimeout(startTimer);
        entry.streak = 0;
        entry.threadId = notice.threadId;
        entry.running = true;
        this.watch.reset(shard, sampleProgress(this.o.rings[shard]!, this.o.stats[shard]!), Date.now());
        for (const version of announced) this.acknowledge(shard, version);
      }
      if (notice.type === 'stopped') markStopped();
      this.onNotice(notice, markReady);
    });
    const ended = () => {
      clearTimeout(startTimer);
      entry.live = entry.running = false;
      this.watch.forget(shard);
    };
    entry.done = this.piscina.run(task, { transferList: [channel.port2], signal: abort.signal }).then(
      async () => {
        ended();
        // Bounded: a notice that never comes must not hang the shutdown.
        await atMost(stopped, 5000);
        channel.port1.close();
      },
      async (error: unknown) => {
        ended();
        channel.port1.close();
        markReady();
        if (this.stopping) return;
        const reason: FailureReason = entry.stalled === undefined ? 'crashed' : 'stalled';
        this.failureCounts[shard]![reason]++;
        this.o.onFailure(shard, entry.stalled === undefined ? error : new Error(entry.stalled), reason);
        this.failWaiters(shard, (version) =>
          entry.stalled === undefined
            ? `shard ${shard} failed while compiling: ${String(error)}`
            : `worker for shard ${shard} stalled before acknowledging rule set v${version} (${entry.stalled}); it was restarted`,
        );
        if (entry.exited) await atMost(entry.exited, EXIT_WAIT_MS);
        const delay = entry.streak === 0 ? 0 : Math.min(5000, 100 * 2 ** entry.streak);
        const restart = () => {
          if (!this.stopping) this.shards[shard] = this.launch(shard, entry.streak + 1);
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
        this.acknowledge(notice.shard, notice.version, notice.error && `shard ${notice.shard}: ${notice.error}`);
        break;
    }
  }

  private acknowledge(shard: number, version: number, error?: string): void {
    for (const w of this.waiters) {
      if (w.version !== version || !w.remaining.delete(shard)) continue;
      if (error) w.errors.push(error);
      if (w.remaining.size === 0) this.finish(w);
    }
  }

  private failWaiters(shard: number, message: (version: number) => string): void {
    for (const w of this.waiters) {
      if (!w.remaining.delete(shard)) continue;
      w.errors.push(message(w.version));
      if (w.remaining.size === 0) this.finish(w);
    }
  }

  private finish(w: Waiter): void {
    clearTimeout(w.timer);
    this.waiters.delete(w);
    w.resolve(w.errors);
  }

  private checkStalls(): void {
    const now = Date.now();
    this.shards.forEach((entry, shard) => {
      if (entry.running && this.watch.stalled(shard, sampleProgress(this.o.rings[shard]!, this.o.stats[shard]!), now)) {
        this.wedge(shard, `no progress for ${formatSeconds(this.watch.timeoutMs)} with records waiting in its ring`);
      }
    });
  }

  /** End a hung worker: its task's rejection then restarts the shard like a crash, counted as stalled. */
  private wedge(shard: number, why: string): void {
    const entry = this.shards[shard]!;
    if (!entry.live || entry.stalled !== undefined) return;
    entry.stalled = why;
    entry.running = false;
    this.watch.forget(shard);
    // Taken before the abort: Piscina forgets the worker as it terminates it.
    const worker = this.piscina.threads.find((w) => w.threadId === entry.threadId);
    if (worker) entry.exited = new Promise((resolve) => worker.once('exit', resolve));
    entry.abort.abort(new Error(why));
  }

  /** A prepare some workers did not acknowledge in time: the reload fails and those workers are restarted. */
  private prepareTimedOut(w: Waiter): void {
    if (!this.waiters.has(w)) return;
    const late = [...w.remaining];
    const within = formatSeconds(this.watch.timeoutMs);
    // The set is refused: a restarted worker must not be handed it.
    this.pending.delete(w.version);
    w.remaining.clear();
    for (const shard of late) w.errors.push(`worker for shard ${shard} did not acknowledge rule set v${w.version} within ${within}; it was restarted`);
    this.finish(w);
    for (const shard of late) this.wedge(shard, `did not acknowledge rule set v${w.version} within ${within}`);
  }

  private send(shard: number, cmd: ShardCommand): void {
    this.shards[shard]!.port.postMessage(cmd);
  }

  /** Have every worker compile `spec` ahead of its barrier. Resolves with the errors (none = all ready). */
  prepare(spec: RuleSetSpec): Promise<string[]> {
    this.pending.set(spec.version, spec);
    return new Promise((resolve) => {
      const w: Waiter = { version: spec.version, remaining: new Set(this.shards.keys()), errors: [], resolve };
      this.waiters.add(w);
      if (this.watch.enabled) {
        w.timer = setTimeout(() => this.prepareTimedOut(w), this.watch.timeoutMs);
        w.timer.unref();
      }
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
    // The watchdog keeps running: a hung worker that cannot drain and stop is ended by it.
    await Promise.all(this.shards.map((s) => s.done));
    clearInterval(this.watchTimer);
    await this.piscina.destroy();
  }
}
