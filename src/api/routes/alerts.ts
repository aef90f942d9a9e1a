/**
 * @module `GET /alerts/stream`: Server-Sent Events from the SSE hub, with query filters
 * (`priority` = minimum priority, `rule`, `tag`, `container`, `source`; repeat a key or separate
 * values with commas), heartbeats as SSE comments, and `Last-Event-ID` (header, or `lastEventId`
 * in the query) to resume from the hub's replay buffer.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { priorityNumber, PRIORITIES } from '../../daemon/config.js';
import type { SseFilter } from '../../outputs/sse-hub.js';
import type { ApiDeps } from '../app.js';
import { badRequest } from '../errors.js';

function list(values: string[] | undefined): string[] | undefined {
  const out = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

export function parseFilter(query: Record<string, string[]>): SseFilter {
  const filter: SseFilter = {};
  const priority = query['priority']?.[0];
  if (priority !== undefined) {
    if (!PRIORITIES.includes(priority.toLowerCase() as never)) throw badRequest(`priority must be one of ${PRIORITIES.join(', ')}`);
    filter.maxPriorityNum = priorityNumber(priority);
  }
  const set = <K extends keyof SseFilter>(key: K, values: string[] | undefined) => {
    if (values) (filter as Record<string, unknown>)[key] = values;
  };
  set('rules', list(query['rule']));
  set('tags', list(query['tag']));
  set('containers', list(query['container']));
  set('sources', list(query['source']));
  return filter;
}

export function alertRoutes(deps: ApiDeps): Hono {
  return new Hono().get('/alerts/stream', (c) => {
    const filter = parseFilter(c.req.queries());
    const last = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const lastEventId = last !== undefined && /^\d+$/.test(last) ? Number(last) : undefined;
    const client = deps.sse.subscribe(filter, lastEventId);
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => deps.sse.unsubscribe(client));
      await stream.write(': vigil alert stream\n\n');
      for (;;) {
        const message = await client.next(deps.heartbeatMs);
        if (message === null || stream.aborted || stream.closed) break;
        if (message === undefined) await stream.write(': heartbeat\n\n');
        else await stream.writeSSE(message);
      }
      deps.sse.unsubscribe(client);
    });
  });
}
