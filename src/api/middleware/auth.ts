/**
 * @module Bearer-token guard for every call that can change anything: all methods but GET, HEAD
 * and OPTIONS need `Authorization: Bearer <token>`. The token comes from VIGIL_API_TOKEN, the
 * config's api.token, or is generated at start (see daemon/main.ts).
 */
import type { MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { timingSafeEqual } from 'node:crypto';

export interface AuthOptions {
  token: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireTokenForChanges(options: AuthOptions): MiddlewareHandler {
  if (options.token.length < 16) throw new Error('the API token must be at least 16 characters');
  const expected = Buffer.from(options.token);
  const check = bearerAuth({
    verifyToken: (token) => {
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  });
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    return check(c, next);
  };
}
