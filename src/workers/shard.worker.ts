/**
 * @module The Piscina worker module: one task per shard, which runs for the daemon's lifetime.
 * It loads the pipeline, seeds its state tables from /proc (also after a restart, so a replaced
 * worker knows the processes that started before it), compiles the current rule set and runs the
 * shard loop until told to stop.
 */
import type { MessagePort } from 'node:worker_threads';
import { loadPipeline, type RuleSetSpec, type ShardOptions } from './pipeline.js';
import { compileOrThrow, runShardLoop } from './shard-loop.js';

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
  const pipeline = await loadPipeline(task.pipelineUrl);
  const evaluator = pipeline.createShard(task.shardOptions);
  evaluator.seed();
  const result = await runShardLoop({
    shard: task.shardOptions.shard,
    shards: task.shards,
    ring: task.ring,
    stats: task.stats,
    port: task.port,
    pipeline,
    evaluator,
    initial: await compileOrThrow(pipeline, task.current),
    pending: await Promise.all(task.pending.map((spec) => compileOrThrow(pipeline, spec))),
    ...(task.idleWaitMs !== undefined ? { idleWaitMs: task.idleWaitMs } : {}),
  });
  // The port is left open: closing it here could drop the 'stopped' notice just posted; the main
  // thread closes its end once that notice has arrived.
  return result;
}
