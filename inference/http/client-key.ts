import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { CLIENT_IP_HEADER } from '../../shared/contract/headers.js';
import { clientIp } from './client-ip.js';

/**
 * The client's identity as the edge decided it (its rate-limit bucket: an API key's hash or the client
 * IP). Believed only from a caller that proved the edge's shared secret.
 */
export const CLIENT_KEY_HEADER = 'x-sema-client-key';

declare module 'hono' {
  interface ContextVariableMap {
    /** Who asked: the fair scheduler's and the standalone limiter's key (see clientKey below). */
    clientKey: string;
  }
}

/** Longer values are cut: a key is an id, and the scheduler keeps one queue per key. */
const MAX_KEY_LENGTH = 128;

export function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // in-process requests (app.request) have no socket
  }
}

export interface ClientKeyOptions {
  /** The edge's shared secret is configured, so every request that gets here has proved it. */
  behindEdge: boolean;
  /** TRUST_PROXY: proxy hops whose X-Forwarded-For is believed (standalone). */
  trustProxyHops: number;
}

/**
 * Sets `clientKey`. Behind the edge: the edge's client key header, else the client IP it forwarded,
 * else the socket (an edge that sends neither still gets one queue per edge, not a crash). Standalone:
 * the client IP (inference/http/client-ip.ts); the edge's headers are then ignored, since anyone could
 * send them. Must run after the secret check.
 */
export function clientKey(options: ClientKeyOptions): MiddlewareHandler {
  return async (c, next) => {
    const socket = socketAddress(c);
    let key: string;
    if (options.behindEdge) {
      const fromEdge = c.req.header(CLIENT_KEY_HEADER)?.trim();
      const ip = c.req.header(CLIENT_IP_HEADER)?.trim();
      key = fromEdge ? fromEdge : ip ? `ip:${ip}` : `socket:${socket ?? 'unknown'}`;
    } else {
      key = `ip:${clientIp(socket, c.req.header('x-forwarded-for'), options.trustProxyHops)}`;
    }
    c.set('clientKey', key.slice(0, MAX_KEY_LENGTH));
    await next();
  };
}
