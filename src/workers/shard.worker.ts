/**
 * @module The Piscina worker module: one task per shard, which runs for the daemon's lifetime.
 * It loads the pipeline, seeds its state tables from /proc (also after a restart, so a replaced
 * worker knows the processes that started before it), compiles the current rule set and runs the
 * shard loop until told to stop.
 */
import { threadId, type MessagePort } from 'node:worker_threads';
import { loadPipeline, type RuleSetSpec, type ShardOptions } from './pipeline.js';
import { compileOrThrow, runShardLoop, type ShardNotice } from './shard-loop.js';

export interface ShardTask {
  pipelineUrl: string;
  shardOptions: ShardOptions;
  shards: number;
  ring: SharedArrayBuffer;
  stats: Float64Array;
  port: MessagePort;
  current: RuleSetSpec;
  pending: RuleSetSpec[];
  idleWaitMs?: number;
}

export default async function shardWorker(task: ShardTask): Promise<{ events: number }> {
  const shard = task.shardOptions.shard;
  const starting = (step: string) => task.port.postMessage({ type: 'starting', shard, step, threadId } satisfies ShardNotice);
  const compile = (spec: RuleSetSpec) => {
    starting(`compiling rule set v${spec.version}`);
    return compileOrThrow(pipeline, spec);
  };
  starting('loading the pipeline');
  const pipeline = await loadPipeline(task.pipelineUrl);
  const evaluator = pipeline.createShard(task.shardOptions);
  starting('seeding its state tables');
  evaluator.seed();
  const initial = await compile(task.current);
  const pending: Awaited<ReturnType<typeof compile>>[] = [];
  for (const spec of task.pending) pending.push(await compile(spec));
  const result = await runShardLoop({
    shard,
    shards: task.shards,
    ring: task.ring,
    stats: task.stats,
    port: task.port,
    pipeline,
    evaluator,
    initial,
    pending,
    ...(task.idleWaitMs !== undefined ? { idleWaitMs: task.idleWaitMs } : {}),
  });
  // The port is left open: closing it here could drop the 'stopped' notice just posted; the main
  // thread closes its end once that notice has arrived.
  return result;
}
