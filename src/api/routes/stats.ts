import { Hono } from 'hono';
import type { ApiDeps } from '../app.js';

export function statsRoutes(deps: ApiDeps): Hono {
  return new Hono().get('/stats', (c) => c.json(deps.stats()));
}
