import { Hono } from 'hono';
import { VERSION } from '../../version.js';
import type { ApiDeps } from '../app.js';

export function healthRoutes(deps: ApiDeps): Hono {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok', rulesetVersion: deps.rules.currentVersion, uptimeSeconds: Math.round(process.uptime()) }))
    .get('/version', (c) => c.json({ name: 'vigil', version: VERSION, node: process.version }));
}
