/**
 * @module The seam between the daemon and the parts it glues: the wire format, the state tables
 * and the two rule engines. The workers and the daemon load one Pipeline module by URL
 * (`default-pipeline.ts` in production, a fixture in tests), so the shard loop, the pool, the
 * rule manager and the API are tested with the same code whatever engines sit behind them.
 */
import type { Alert } from '../alerts/alert.js';
import type { Diagnostic } from '../diagnostics/index.js';
import type { VigilEvent } from '../events/event.js';
import type { StateSeed } from '../scap/seed.js';
import type { ContainerInfo } from '../state/types.js';
import type { KernelEvents } from './kernel-events.js';

export interface RuleSource {
  name: string;
  text: string;
}

/** Everything a worker needs to build the same rule set as the rule manager validated. */
export interface RuleSetSpec {
  version: number;
  /** Falco YAML sources, in load order. */
  falco: RuleSource[];
  /** Rego signature sources. */
  rego: RuleSource[];
  /** Directory holding JS/TS signatures (loaded from disk only, never from an HTTP body). */
  signatureDir: string;
  /** Rules and signatures switched off by name. */
  disabled: string[];
  ruleMatching: 'first' | 'all';
}

export interface RuleSummary {
  name: string;
  engine: 'falco' | 'tracee';
  id?: string;
  priority: string;
  enabled: boolean;
  tags: string[];
  source?: string;
}

export interface CompiledRules {
  readonly version: number;
}

export interface CompileResult {
  /** Present when the set has no errors. */
  rules?: CompiledRules;
  diagnostics: Diagnostic[];
  summary: RuleSummary[];
  /** The kernel events the set needs (src/workers/kernel-events.ts); absent means all. */
  kernelEvents?: KernelEvents;
}

/** One shard's state tables and engines; lives inside a worker. */
export interface ShardEvaluator {
  /** Seed the state tables from the capture's seed when replaying one, else from /proc (or the configured root). */
  seed(): void;
  /** Apply the event to the state, evaluate both engines, finish the event. `num` is evt.num. */
  evaluate(rules: CompiledRules, evt: VigilEvent, num: number): readonly Alert[];
  /** Apply the event to the state only (life-cycle events another shard evaluates). */
  observe(evt: VigilEvent, num: number): void;
  /** Container metadata a replayed capture announces mid-stream (a container started while it was recorded). */
  container(info: ContainerInfo): void;
  stats(): Record<string, number>;
}

export interface ShardOptions {
  shard: number;
  procRoot: string;
  maxThreads: number;
  maxFdsPerProcess: number;
  maxContainers: number;
  /** Replaying a .scap capture: its process, fd and user lists replace /proc (sent to every shard). */
  captureSeed?: StateSeed;
}

export interface Pipeline {
  /** Byte length of the record starting at `off`, or 0 when fewer than a header's bytes are there. */
  recordLength(buf: Uint8Array, off: number, avail: number): number;
  decodeRecord(buf: Uint8Array, off: number, len: number): VigilEvent;
  encodeEvent(evt: VigilEvent): Uint8Array;
  /** A record the sensor never produces: "switch to rule-set version v here". */
  encodeControl(version: number): Uint8Array;
  /** The version a control record carries, or -1 for an ordinary record. */
  controlVersion(buf: Uint8Array, off: number, len: number): number;
  /** A record the sensor never produces: "this container's metadata", written to every shard in stream order. */
  encodeContainer(info: ContainerInfo): Uint8Array;
  /** The metadata a container record carries, or undefined for any other record. */
  containerOf(buf: Uint8Array, off: number, len: number): ContainerInfo | undefined;
  /** One Tracee JSON line → event, or an error message. */
  parseTraceeLine(line: string): VigilEvent | string;
  compile(spec: RuleSetSpec): Promise<CompileResult>;
  createShard(options: ShardOptions): ShardEvaluator;
}

export async function loadPipeline(url: string): Promise<Pipeline> {
  const mod = (await import(url)) as { default?: Pipeline; pipeline?: Pipeline };
  const pipeline = mod.pipeline ?? mod.default;
  if (!pipeline) throw new Error(`pipeline module ${url} exports no pipeline`);
  return pipeline;
}
