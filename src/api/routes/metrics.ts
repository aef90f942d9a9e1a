import { Hono } from 'hono';
import type { ApiDeps } from '../app.js';

export function metricsRoutes(deps: ApiDeps): Hono {
  return new Hono().get('/metrics', async (c) => {
    const body = await deps.metrics.metrics();
    return c.body(body, 200, { 'content-type': deps.metrics.contentType });
  });
}
