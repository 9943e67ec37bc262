import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../shared/errors.js';
import { sha256Hex } from '../../shared/bytes.js';
import type { EdgeEnv } from '../context.js';

/**
 * Whether `authorization` is `Bearer <ADMIN_TOKEN>`. Without a configured token nothing matches. Both
 * sides are hashed first, so the comparison runs over equal lengths and in constant time.
 */
export async function isAdmin(authorization: string | undefined, adminToken: string | undefined): Promise<boolean> {
  if (adminToken === undefined || authorization === undefined) return false;
  const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
  if (presented === undefined) return false;
  const [a, b] = await Promise.all([sha256Hex(presented), sha256Hex(adminToken)]);
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * The admin API's gate: without a configured ADMIN_TOKEN the admin routes do not exist (404 NOT_FOUND,
 * as the container's admin API); with one, a request without `Authorization: Bearer <ADMIN_TOKEN>` is
 * 401 UNAUTHORIZED (no token and a wrong token alike).
 */
export function requireAdmin(): MiddlewareHandler<EdgeEnv> {
  return async (c, next) => {
    const adminToken = c.get('services').config.adminToken;
    if (adminToken === undefined) throw new AppError('NOT_FOUND', 'the admin API is disabled (no ADMIN_TOKEN is configured)');
    if (!(await isAdmin(c.req.header('authorization'), adminToken))) {
      throw new AppError('UNAUTHORIZED', "the admin API needs 'Authorization: Bearer <ADMIN_TOKEN>'", { headers: { 'www-authenticate': 'Bearer' } });
    }
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
