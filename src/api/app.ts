/**
 * @module The REST API as a Hono app: `createApp(deps)` wires the routes over the daemon's parts,
 * so route tests call `app.request(...)` with no socket and the daemon serves the same app with
 * @hono/node-server.
 *
 * @example
 *   const app = createApp({ token, rules, stats, metrics, sse, heartbeatMs: 15000, bodyLimit: 1 << 20 });
 *   const res = await app.request('/healthz');
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Registry } from 'prom-client';
import type { StatsSnapshot } from '../daemon/counters.js';
import type { RuleManager } from '../daemon/rule-manager.js';
import type { SseHub } from '../outputs/sse-hub.js';
import { notFound, onError } from './errors.js';
import { requireTokenForChanges } from './middleware/auth.js';
import { alertRoutes } from './routes/alerts.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { rulesRoutes } from './routes/rules.js';
import { statsRoutes } from './routes/stats.js';

export interface ApiDeps {
  token: string;
  rules: RuleManager;
  /** Where PUT/DELETE /rules/files/:name write; unset = those routes answer 409. */
  rulesDir?: string;
  stats(): StatsSnapshot;
  metrics: Registry;
  sse: SseHub;
  heartbeatMs: number;
  bodyLimit: number;
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.onError(onError);
  app.notFound(notFound);
  app.use('*', requireTokenForChanges({ token: deps.token }));
  app.use(
    '*',
    bodyLimit({ maxSize: deps.bodyLimit, onError: (c) => c.json({ error: `request body larger than ${deps.bodyLimit} bytes` }, 413) }),
  );
  app.route('/', healthRoutes(deps));
  app.route('/', rulesRoutes(deps));
  app.route('/', statsRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/', alertRoutes(deps));
  return app;
}
