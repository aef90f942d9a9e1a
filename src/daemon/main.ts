/**
 * @module The daemon: configuration → rule set → shard rings and workers → input (sensor or
 * replay) → alert bus and outputs → API. `startDaemon` returns a handle whose `stop()` shuts down
 * in order: stop the input, let the workers drain their rings, flush the outputs, close the API.
 */
import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { createApp } from '../api/app.js';
import type { Alert } from '../alerts/alert.js';
import { FileOutput } from '../outputs/file.js';
import { createMetrics } from '../outputs/metrics.js';
import type { Output } from '../outputs/output.js';
import { RateLimiter } from '../outputs/rate-limit.js';
import { SseHub } from '../outputs/sse-hub.js';
import { StdoutOutput } from '../outputs/stdout.js';
import { WebhookOutput } from '../outputs/webhook.js';
import { scapItems, type ScapItem, type ScapReadSummary, type StateSeed } from '../scap/index.js';
import { loadPipeline } from '../workers/pipeline.js';
import { createShardRing, ringDepth } from '../workers/shard-ring.js';
import { SHARD_STAT, createShardStats } from '../workers/shard-stats.js';
import { AlertBus } from './alert-bus.js';
import { defaultWorkers, parseListen, priorityNumber, type VigilConfig } from './config.js';
import { collectStats, type StatsSnapshot } from './counters.js';
import { moduleUrl } from './module-url.js';
import { ShardPool } from './pool.js';
import { ReplayProducer, openTraceeInput } from './replay.js';
import { RuleManager } from './rule-manager.js';
import { readRuleFiles } from './rule-sources.js';
import { startSensor } from './sensor.js';

export interface DaemonOptions {
  /** Pipeline module URL (tests pass a fixture); default: the real wire format, state and engines. */
  pipelineUrl?: string;
  /** Where notices go (the generated token, reload results); default stderr. */
  log?: (line: string) => void;
  /** Extra outputs (benchmarks, tests). */
  outputs?: Output[];
  /** Replay input stream instead of config.input_tracee's file (tests, benchmarks); not for captures. */
  input?: Readable;
  /** How long idle shards sleep between looks at their ring when nobody notifies them. */
  idleWaitMs?: number;
}

export interface Daemon {
  readonly config: VigilConfig;
  readonly url: string | undefined;
  readonly token: string;
  readonly rules: RuleManager;
  readonly bus: AlertBus;
  readonly sse: SseHub;
  readonly replay: ReplayProducer | undefined;
  /** Resolves when the replay input has been read to its end (never for the live sensor). */
  readonly inputDone: Promise<void>;
  stats(): StatsSnapshot;
  /** Resolves once every event written so far has been evaluated and its alerts published. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

function buildOutputs(config: VigilConfig, extra: Output[]): { outputs: Output[]; sse: SseHub } {
  const outputs: Output[] = [];
  if (config.stdout_output.enabled) outputs.push(new StdoutOutput(config.json_output));
  if (config.file_output.enabled) {
    const f = config.file_output;
    outputs.push(new FileOutput({ filename: f.filename, json: config.json_output, maxBytes: f.max_size_mb * 1024 * 1024, maxFiles: f.max_files }));
  }
  const w = config.webhook_output;
  if (w.enabled) {
    outputs.push(new WebhookOutput({ url: w.url, template: w.template, contentType: w.content_type, retries: w.retries, backoffMs: w.backoff_ms, timeoutMs: w.timeout_ms, queueSize: w.queue_size }));
  }
  const sse = new SseHub({ replayBuffer: config.sse.replay_buffer, clientQueue: config.sse.client_queue });
  outputs.push(sse, ...extra);
  return { outputs, sse };
}

interface OpenCapture {
  seed: StateSeed;
  /** The items after the seed (events, then an error item for a corrupt or truncated capture). */
  items: AsyncGenerator<ScapItem, ScapReadSummary>;
}

/** Reads a capture up to its seed, which the workers need before they start; a capture that has none does not start. */
async function openCapture(path: string): Promise<OpenCapture> {
  const items = scapItems(path);
  const first = await items.next();
  if (!first.done && first.value.kind === 'seed') return { seed: first.value.seed, items };
  const error = first.done ? first.value.error : first.value.kind === 'error' ? first.value.error : undefined;
  await items.return(undefined as never);
  throw new Error(`cannot replay capture ${path}: ${error ? `byte offset ${error.offset}: ${error.message}` : 'no process list before its events'}`);
}

function watchRules(config: VigilConfig, reload: () => void): FSWatcher[] {
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 300);
  };
  const paths = [...config.rules_files, ...(config.rules_dir ? [config.rules_dir] : [])];
  return paths.map((p) => watch(p, changed));
}

export async function startDaemon(config: VigilConfig, options: DaemonOptions = {}): Promise<Daemon> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const startedAt = Date.now();
  const pipeline = await loadPipeline(options.pipelineUrl ?? moduleUrl('../workers/default-pipeline.js', import.meta.url));
  const rules = new RuleManager({
    pipeline,
    readSources: () => readRuleFiles(config.rules_files, config.rules_dir),
    signatureDir: config.rules_dir,
    ruleMatching: config.rule_matching,
  });
  const spec = await rules.initial();

  const shardCount = config.workers > 0 ? config.workers : defaultWorkers();
  const capture = options.input || !config.input_scap ? undefined : await openCapture(config.input_scap);
  const replaying = Boolean(config.input_tracee || capture || options.input);
  // The addon creates the rings it fills; replay writes rings of our own.
  const sensor = replaying ? undefined : startSensor(shardCount, config.ring_size, config.sensor.all_events ? 'all' : rules.kernelEvents(), log);
  const rings = sensor?.rings ?? Array.from({ length: shardCount }, () => createShardRing(config.ring_size));
  const shardStats = Array.from({ length: shardCount }, () => createShardStats());
  const { outputs, sse } = buildOutputs(config, options.outputs ?? []);
  const bus = new AlertBus({
    maxPriorityNum: priorityNumber(config.priority),
    outputs,
    ...(config.rate_limit.enabled ? { rateLimiter: new RateLimiter(config.rate_limit.rate, config.rate_limit.burst) } : {}),
  });

  const pool = new ShardPool({
    pipelineUrl: options.pipelineUrl ?? moduleUrl('../workers/default-pipeline.js', import.meta.url),
    rings,
    stats: shardStats,
    shardOptions: {
      procRoot: config.state.proc_root,
      maxThreads: config.state.max_threads,
      maxFdsPerProcess: config.state.max_fds_per_process,
      maxContainers: config.state.max_containers,
      // Every worker seeds its tables from the capture (also after a restart), not from /proc.
      ...(capture ? { captureSeed: capture.seed } : {}),
    },
    onAlerts: (alerts: Alert[]) => bus.publish(alerts),
    onFailure: (shard, error, reason) => log(`vigil: shard ${shard} worker ${reason === 'stalled' ? 'stalled' : 'failed'} and was restarted: ${error instanceof Error ? error.message : String(error)}`),
    stallTimeoutMs: config.workers_stall_timeout * 1000,
    startTimeoutMs: config.workers_start_timeout * 1000,
    // The addon writes the rings from C++ and cannot wake a JS waiter: live shards look every 5 ms
    // when idle (a timed wait, not a spin); the replay writer notifies, so replay shards sleep longer.
    idleWaitMs: options.idleWaitMs ?? (replaying ? 100 : 5),
  });
  try {
    await pool.start(spec);
  } catch (err) {
    sensor?.stop();
    throw err;
  }

  let replay: ReplayProducer | undefined;
  let inputDone: Promise<void>;
  if (replaying) {
    replay = new ReplayProducer(pipeline, rings, (line, message) => log(`vigil: replay line ${line}: ${message}`));
    const producer = replay;
    inputDone = capture
      ? producer.runScap(capture.items).then((stats) => {
        if (stats.captureError) log(`vigil: capture ${config.input_scap}: byte offset ${stats.captureError.offset}: ${stats.captureError.message}; the events before it were replayed`);
      })
      : producer.run(options.input ?? openTraceeInput(config.input_tracee)).then(() => undefined);
    rules.attach(pool, replay);
  } else {
    inputDone = new Promise(() => {});
    // Live: the pool hands the rule manager the sensor that fills its rings, whose poller thread
    // writes each reload's control record into every ring between two kernel records.
    rules.attach(pool, undefined, config.sensor.all_events ? undefined : sensor);
  }

  const stats = () =>
    collectStats({
      startedAt,
      rings,
      shardStats,
      workerFailures: () => pool.failures(),
      ...(sensor ? { sensor: () => sensor!.stats() } : {}),
      ...(replay ? { replay: () => ({ ...replay!.stats }) } : {}),
      bus,
      sse: () => ({ clients: sse.clientCount, slowDisconnects: sse.slowDisconnects }),
      rulesetVersion: () => rules.currentVersion,
      reloads: () => rules.reloadHistory(),
    });

  const reload = (trigger: string) => {
    rules.reload(trigger).then(
      (r) => log(`vigil: rules reloaded (${trigger}): version ${r.version}`),
      (err: Error) => log(`vigil: rules reload (${trigger}) refused, version ${rules.currentVersion} stays: ${err.message}`),
    );
  };
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  const watchers = config.watch_rules ? watchRules(config, () => reload('watch')) : [];

  const token = process.env['VIGIL_API_TOKEN'] || config.api.token || randomBytes(24).toString('base64url');
  let server: ServerType | undefined;
  let url: string | undefined;
  if (config.api.enabled) {
    const app = createApp({
      token,
      rules,
      ...(config.rules_dir ? { rulesDir: config.rules_dir } : {}),
      stats,
      metrics: createMetrics(stats),
      sse,
      heartbeatMs: config.sse.heartbeat_ms,
      bodyLimit: config.api.body_limit,
    });
    const listen = parseListen(config.api.listen)!;
    try {
      server = await new Promise<ServerType>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, hostname: listen.host, port: listen.port }, () => resolve(s));
        s.once('error', reject);
      });
    } catch (err) {
      // Nothing may keep running (workers, sensor) when the daemon cannot start.
      process.off('SIGHUP', onHup);
      for (const w of watchers) w.close();
      replay?.stop();
      sensor?.stop();
      await pool.stop();
      throw new Error(`cannot listen on ${config.api.listen}: ${(err as Error).message}`);
    }
    const address = server.address() as AddressInfo;
    url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    log(`vigil: API listening on ${url}`);
    if (!process.env['VIGIL_API_TOKEN'] && !config.api.token) log(`vigil: API token (generated, shown once): ${token}`);
  }

  const settle = async () => {
    await inputDone;
    // A shard has settled when it has processed every byte the producer wrote into its ring; its
    // alerts were posted before it said so, and a timer turn later they have been received.
    const written = () => replay?.writers.map((w) => w.bytesWritten) ?? rings.map(() => 0);
    while (shardStats.some((s, i) => s[SHARD_STAT.bytesDone]! < written()[i]! || ringDepth(rings[i]!) > 0)) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 20));
  };

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.off('SIGHUP', onHup);
      for (const w of watchers) w.close();
      replay?.stop();
      sensor?.stop();
      await pool.stop();
      await bus.flush();
      await bus.close();
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          (s as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
      }
    })());

  return { config, url, token, rules, bus, sse, replay, inputDone, stats, settle, stop };
}
