/**
 * @module The rule manager: compiles and validates rule sets on the main thread, away from the
 * shards, and swaps a valid set into every worker without losing an event or letting one event
 * meet two versions.
 *
 * Reload protocol (the barrier):
 *  1. compile the new sources here; any error → RuleSetError with located diagnostics, the running
 *     set stays and no version is used up;
 *  2. give it the next version `v` and send `prepare(v)` to every worker; each compiles it beside
 *     the running set (workers keep evaluating meanwhile) and acknowledges;
 *  3. once all have acknowledged, the producer writes one control record "switch to v" into every
 *     shard ring at the same point of its stream (between two events it routes);
 *  4. each worker switches when it reads that record: events before it were evaluated by v−1,
 *     events after it by v, and every alert carries the version that produced it.
 * Rings are never paused or cleared, so nothing is lost. The producer is the replay reader, or for
 * live rings the sensor, whose poller thread writes the record between two kernel records (found
 * through the targets when attach() is given none). Only when no producer can write control
 * records does step 3 become an `activate` message: each worker still switches between two
 * batches, never inside an event, but not at one common position.
 * Reloads are serialised: a second one waits for the first. A hung worker cannot hold them: the
 * pool fails a prepare that a worker does not acknowledge within `workers_stall_timeout` (the
 * reload is refused like any other), and its watchdog restarts a worker that leaves its ring full,
 * so a control record waiting for room lands once the replacement reads (pool.ts).
 *
 * Kernel events: each set needs some of the sensor's events (CompileResult.kernelEvents). A reload
 * switches on the union of the old and the new set's events before the barrier (so the new set
 * misses nothing after it) and narrows to the new set once every worker has switched.
 */
import { RuleSetError, errorsIn, type Diagnostic } from '../diagnostics/index.js';
import { unionKernelEvents, type KernelEvents } from '../workers/kernel-events.js';
import type { CompileResult, Pipeline, RuleSetSpec, RuleSource, RuleSummary } from '../workers/pipeline.js';
import type { RuleFiles } from './rule-sources.js';

export interface BarrierProducer {
  /** Write `record` into every shard ring at one common position of the stream. */
  insertControl(record: Uint8Array): Promise<void>;
}

/** Where the kernel events a rule set needs are switched on (the live sensor). */
export interface KernelEventSwitch {
  setEvents(events: KernelEvents): void;
}

/** The part of the worker pool the rule manager drives (a fake in unit tests). */
export interface RuleTargets {
  prepare(spec: RuleSetSpec): Promise<string[]>;
  discard(version: number): void;
  committed(spec: RuleSetSpec): void;
  activate(version: number): void;
  /** The producer of the targets' rings, when it can place control records itself (the live sensor). */
  barrier?(): BarrierProducer | undefined;
}

/** The set compiled here but a worker could not take it (it failed to compile there, or hung): the running set stays. */
export class ReloadFailedError extends Error {
  constructor(message: string, readonly runningVersion: number) {
    super(message);
    this.name = 'ReloadFailedError';
  }
}

export interface ReloadRecord {
  version: number | null;
  trigger: string;
  at: string;
  ok: boolean;
  durationMs: number;
  errors: number;
  warnings: number;
  message?: string;
}

export interface RuleManagerOptions {
  pipeline: Pipeline;
  readSources(): Promise<RuleFiles>;
  signatureDir: string;
  ruleMatching: 'first' | 'all';
  historySize?: number;
}

/** A pipeline that does not say which kernel events its set needs needs them all. */
function kernelEventsOf(result: CompileResult): KernelEvents {
  return result.kernelEvents ?? 'all';
}

export class RuleManager {
  private version = 0;
  private spec: RuleSetSpec | undefined;
  private summary: RuleSummary[] = [];
  private diagnostics: Diagnostic[] = [];
  private readonly disabled = new Set<string>();
  private readonly history: ReloadRecord[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private targets: RuleTargets | undefined;
  private barrier: BarrierProducer | undefined;
  private kernelSwitch: KernelEventSwitch | undefined;
  private neededEvents: KernelEvents = 'all';

  constructor(private readonly o: RuleManagerOptions) {}

  /** Compile the initial set; throws RuleSetError when it has errors (the daemon cannot start). */
  async initial(): Promise<RuleSetSpec> {
    const files = await this.o.readSources();
    const { spec, result } = await this.compileOrThrow(files, 'start');
    this.spec = spec;
    this.neededEvents = kernelEventsOf(result);
    return spec;
  }

  /** `kernel`: switched to each installed set's kernel events (the daemon sets the first one at sensor start). */
  attach(targets: RuleTargets, barrier: BarrierProducer | undefined, kernel?: KernelEventSwitch): void {
    this.targets = targets;
    this.barrier = barrier ?? targets.barrier?.();
    this.kernelSwitch = kernel;
  }

  /** The kernel events the running set needs. */
  kernelEvents(): KernelEvents {
    return this.neededEvents;
  }

  get currentVersion(): number {
    return this.spec?.version ?? 0;
  }

  currentSpec(): RuleSetSpec | undefined {
    return this.spec;
  }

  rules(): RuleSummary[] {
    return this.summary;
  }

  warnings(): Diagnostic[] {
    return this.diagnostics;
  }

  reloadHistory(): ReloadRecord[] {
    return [...this.history];
  }

  sourceFiles(): string[] {
    return this.spec ? [...this.spec.falco, ...this.spec.rego].map((s) => s.name) : [];
  }

  /** Compile sources without installing them (POST /rules/validate, PUT before writing). */
  validate(files: { falco?: RuleSource[]; rego?: RuleSource[] }): Promise<CompileResult> {
    return this.o.pipeline.compile(this.makeSpec({ falco: files.falco ?? [], rego: files.rego ?? [] }, 0));
  }

  /** Validate `extra` together with the running set's files (minus those it replaces). */
  validateWith(extra: RuleSource, kind: 'falco' | 'rego'): Promise<CompileResult> {
    const base = this.spec ?? { falco: [], rego: [] };
    const keep = (list: RuleSource[]) => list.filter((s) => s.name !== extra.name);
    const files = { falco: keep(base.falco), rego: keep(base.rego) };
    files[kind].push(extra);
    return this.o.pipeline.compile(this.makeSpec(files, 0));
  }

  /** Read the files again and swap the set in; serialised with other reloads. */
  reload(trigger: string): Promise<ReloadRecord> {
    return this.serialise(async () => this.install(await this.readSources(trigger), trigger));
  }

  /** Read the files; an unreadable one refuses the reload like a rules error, and is recorded. */
  private async readSources(trigger: string): Promise<RuleFiles> {
    const started = performance.now();
    try {
      return await this.o.readSources();
    } catch (err) {
      if (err instanceof RuleSetError) this.record({ version: null, trigger, ok: false, started, diagnostics: err.diagnostics, message: err.message });
      throw err;
    }
  }

  hasRule(name: string): boolean {
    return this.summary.some((r) => r.name === name);
  }

  /** Enable or disable one rule by name: a new version of the running set. */
  setEnabled(name: string, enabled: boolean): Promise<ReloadRecord> {
    return this.serialise(async () => {
      const before = new Set(this.disabled);
      if (enabled) this.disabled.delete(name);
      else this.disabled.add(name);
      const current = this.spec ?? { falco: [], rego: [] };
      try {
        return await this.install({ falco: current.falco, rego: current.rego }, `api:${enabled ? 'enable' : 'disable'} ${name}`);
      } catch (err) {
        this.disabled.clear();
        for (const n of before) this.disabled.add(n);
        throw err;
      }
    });
  }

  private serialise<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private makeSpec(files: RuleFiles, version: number): RuleSetSpec {
    return {
      version,
      falco: files.falco,
      rego: files.rego,
      signatureDir: this.o.signatureDir,
      disabled: [...this.disabled],
      ruleMatching: this.o.ruleMatching,
    };
  }

  private async compileOrThrow(files: RuleFiles, trigger: string): Promise<{ spec: RuleSetSpec; result: CompileResult }> {
    const started = performance.now();
    const spec = this.makeSpec(files, this.version + 1);
    const result = await this.o.pipeline.compile(spec);
    const errors = errorsIn(result.diagnostics);
    if (!result.rules || errors.length > 0) {
      this.record({ version: null, trigger, ok: false, started, diagnostics: result.diagnostics, message: errors[0]?.message ?? 'rule set refused' });
      throw new RuleSetError(result.diagnostics);
    }
    this.version = spec.version;
    this.summary = result.summary;
    this.diagnostics = result.diagnostics;
    if (trigger === 'start') this.record({ version: spec.version, trigger, ok: true, started, diagnostics: result.diagnostics });
    return { spec, result };
  }

  private async install(files: RuleFiles, trigger: string): Promise<ReloadRecord> {
    const started = performance.now();
    const previous = { version: this.version, summary: this.summary, diagnostics: this.diagnostics };
    const restore = () => {
      this.version = previous.version;
      this.summary = previous.summary;
      this.diagnostics = previous.diagnostics;
    };
    const { spec, result } = await this.compileOrThrow(files, trigger);
    const needed = kernelEventsOf(result);
    if (this.targets) {
      const errors = await this.targets.prepare(spec);
      if (errors.length > 0) {
        this.targets.discard(spec.version);
        restore();
        const rec = this.record({ version: null, trigger, ok: false, started, diagnostics: result.diagnostics, message: errors.join('; ') });
        throw new ReloadFailedError(`workers refused rule set: ${rec.message}`, this.version);
      }
      this.kernelSwitch?.setEvents(unionKernelEvents(this.neededEvents, needed));
      if (this.barrier) await this.barrier.insertControl(this.o.pipeline.encodeControl(spec.version));
      else this.targets.activate(spec.version);
      this.targets.committed(spec);
      this.kernelSwitch?.setEvents(needed);
    }
    this.spec = spec;
    this.neededEvents = needed;
    return this.record({ version: spec.version, trigger, ok: true, started, diagnostics: result.diagnostics });
  }

  private record(r: { version: number | null; trigger: string; ok: boolean; started: number; diagnostics: Diagnostic[]; message?: string }): ReloadRecord {
    const entry: ReloadRecord = {
      version: r.version,
      trigger: r.trigger,
      at: new Date().toISOString(),
      ok: r.ok,
      durationMs: Math.round((performance.now() - r.started) * 1000) / 1000,
      errors: r.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: r.diagnostics.filter((d) => d.severity === 'warning').length,
      ...(r.message !== undefined ? { message: r.message } : {}),
    };
    this.history.push(entry);
    if (this.history.length > (this.o.historySize ?? 100)) this.history.shift();
    return entry;
  }
}
