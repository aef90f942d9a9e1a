/**
 * @module The API's one error mapping: a refused rule set is 422 with its located diagnostics,
 * a set the workers could not take is 503 (the running set stays; retrying may work once the
 * restarted workers are up), an HTTPException keeps its status, anything else is a 500. Every
 * error body is JSON with a message; unknown routes get a JSON 404.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ReloadFailedError } from '../daemon/rule-manager.js';
import { RuleSetError, locate, sortDiagnostics } from '../diagnostics/index.js';

/** Messages for exceptions thrown without one (hono's bearer-auth throws a bare 401). */
const STATUS_MESSAGES: Record<number, string> = {
  400: 'bad request',
  401: 'a valid bearer token is required (Authorization: Bearer <token>)',
  413: 'request body too large',
};

export function onError(err: Error, c: Context): Response {
  if (err instanceof RuleSetError) {
    return c.json({ error: 'rule set refused', message: err.message, diagnostics: sortDiagnostics(err.diagnostics).map(locate) }, 422);
  }
  if (err instanceof ReloadFailedError) {
    return c.json({ error: 'reload failed', message: err.message, runningVersion: err.runningVersion }, 503, { 'retry-after': '1' });
  }
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    const headers = new Headers(res.headers);
    headers.set('content-type', 'application/json');
    return new Response(JSON.stringify({ error: err.message || res.statusText || STATUS_MESSAGES[err.status] || `HTTP ${err.status}` }), { status: err.status, headers });
  }
  return c.json({ error: 'internal error', message: err.message }, 500);
}

export function notFound(c: Context): Response {
  return c.json({ error: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404);
}

export function badRequest(message: string): HTTPException {
  return new HTTPException(400, { message });
}
