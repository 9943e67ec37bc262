import type { MiddlewareHandler } from 'hono';
import { elapsedSeconds } from '../../shared/http/index.js';
import type { ContainerDeps, ContainerEnv } from '../context.js';
import { logRequest } from '../observability/index.js';

/**
 * One metric sample and one log line per request, written after the response (errors included).
 * The endpoint label is the route pattern, never the raw URL.
 */
export function observe(deps: Pick<ContainerDeps, 'metrics' | 'logger' | 'config'>): MiddlewareHandler<ContainerEnv> {
  return async (c, next) => {
    c.set('logDetails', {});
    await next();
    const seconds = elapsedSeconds(c.get('startedAt'));
    const endpoint = c.req.routePath === '/*' ? 'other' : c.req.routePath;
    const status = c.res.status;
    deps.metrics.recordRequest(endpoint, status, seconds);
    const errorCode = c.get('errorCode');
    // recordError also counts sema_rate_limited_total for RATE_LIMITED (the one place that does).
    if (errorCode) deps.metrics.recordError(errorCode, endpoint);
    logRequest(
      deps.logger,
      { request_id: c.get('requestId'), method: c.req.method, endpoint, status, total_ms: seconds * 1000, error_code: errorCode, ...c.get('logDetails') },
      deps.config.log.text,
    );
  };
}
