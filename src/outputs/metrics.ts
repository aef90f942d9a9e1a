/**
 * @module Prometheus metrics (prom-client), named in the style of Falco's exporter
 * (`vigil_…_total`). Every value is read from one counters snapshot at scrape time, so the hot
 * path never touches prom-client.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { StatsSnapshot } from '../daemon/counters.js';

type Sample = [labels: Record<string, string | number>, value: number];

export function createMetrics(snapshot: () => StatsSnapshot): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  let current: StatsSnapshot | undefined;
  // One snapshot per scrape: the first collector takes it, the rest reuse it.
  const snap = (): StatsSnapshot => (current ??= snapshot());
  const counter = (name: string, help: string, labelNames: string[], samples: (s: StatsSnapshot) => Sample[]) =>
    new Counter({
      name, help, labelNames, registers: [registry],
      collect() {
        this.reset();
        for (const [labels, value] of samples(snap())) this.inc(labels, value);
      },
    });
  const gauge = (name: string, help: string, labelNames: string[], samples: (s: StatsSnapshot) => Sample[]) =>
    new Gauge({
      name, help, labelNames, registers: [registry],
      collect() {
        this.reset();
        for (const [labels, value] of samples(snap())) this.set(labels, value);
      },
    });

  const perShard = (f: (s: StatsSnapshot['shards'][number]) => number) => (s: StatsSnapshot): Sample[] =>
    s.shards.map((sh) => [{ shard: sh.shard }, f(sh)]);
  const perKey = (f: (s: StatsSnapshot) => Record<string, number>, label: string) => (s: StatsSnapshot): Sample[] =>
    Object.entries(f(s)).map(([k, v]) => [{ [label]: k }, v]);

  counter('vigil_events_total', 'Events evaluated by the rule engines', ['shard'], perShard((s) => s.eventsEvaluated));
  counter('vigil_records_read_total', 'Records read from the shard rings', ['shard'], perShard((s) => s.recordsRead));
  counter('vigil_decode_errors_total', 'Records that could not be decoded', ['shard'], perShard((s) => s.decodeErrors));
  counter('vigil_eval_errors_total', 'Events whose evaluation threw', ['shard'], perShard((s) => s.evalErrors));
  counter('vigil_shard_drops_total', 'Records dropped because a shard ring was full', ['shard'], perShard((s) => s.drops));
  counter('vigil_worker_failures_total', 'Shard workers that died (crashed) or hung (stalled) and were restarted', ['shard', 'reason'], (s) =>
    s.shards.flatMap((sh) => Object.entries(sh.workerFailuresByReason).map(([reason, n]): Sample => [{ shard: sh.shard, reason }, n])));
  counter('vigil_kernel_drops_total', 'Records the kernel could not reserve in its ring buffer', ['cpu'], (s) =>
    s.kernel.dropsPerCpu.map((v, cpu) => [{ cpu }, v]));
  counter('vigil_alerts_total', 'Alerts delivered to the outputs', ['rule'], perKey((s) => s.alerts.byRule, 'rule'));
  counter('vigil_alerts_suppressed_total', 'Alerts suppressed by the per-rule rate limit', ['rule'], perKey((s) => s.alerts.suppressedByRule, 'rule'));
  counter('vigil_output_drops_total', 'Alerts an output dropped', ['output'], (s) =>
    Object.entries(s.outputs).map(([output, o]) => [{ output }, o.dropped]));
  counter('vigil_output_written_total', 'Alerts an output delivered', ['output'], (s) =>
    Object.entries(s.outputs).map(([output, o]) => [{ output }, o.written]));
  counter('vigil_replay_bad_lines_total', 'Replay input lines that could not be read', [], (s) => (s.replay ? [[{}, s.replay.badLines]] : []));
  counter('vigil_rule_reloads_total', 'Rule-set reloads by result', ['result'], (s) => [
    [{ result: 'ok' }, s.rules.reloads.filter((r) => r.ok).length],
    [{ result: 'refused' }, s.rules.reloads.filter((r) => !r.ok).length],
  ]);
  gauge('vigil_shard_queue_depth_bytes', 'Bytes waiting in each shard ring', ['shard'], perShard((s) => s.queueDepthBytes));
  gauge('vigil_shard_lag_seconds', 'Event time of the newest evaluated event behind now', ['shard'], perShard((s) => s.lagMs / 1000));
  gauge('vigil_ruleset_version', 'Version of the running rule set', [], (s) => [[{}, s.rules.version]]);
  gauge('vigil_kernel_events_enabled', 'Sensor events switched on in the kernel (0 when replaying)', [], (s) => [[{}, s.kernel.eventsEnabled]]);
  gauge('vigil_sse_clients', 'Connected SSE clients', [], (s) => [[{}, s.sse.clients]]);

  const metrics = registry.metrics.bind(registry);
  registry.metrics = async () => {
    current = undefined;
    try {
      return await metrics();
    } finally {
      current = undefined;
    }
  };
  return registry;
}
