import { OpenAPIHono } from '@hono/zod-openapi';
import type { EdgeHealthResponse } from '../../shared/contract/health.js';
import { API_VERSION } from '../../shared/contract/openapi.js';
import { edgeHealthRoute } from '../../shared/contract/routes.js';
import type { EdgeEnv } from '../context.js';

/**
 * GET /health: the edge itself (no I/O) plus each origin's state as this isolate sees it (circuit,
 * consecutive failures, last latency, last error), and the isolate's counters (`metrics`, e.g.
 * rate_limiter_failures for the fail-open policy). status: ok (every circuit closed), degraded
 * (some not closed), unavailable (every circuit open).
 */
export function createHealthApp(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>();
  app.openapi(edgeHealthRoute, (c) => {
    const services = c.get('services');
    const origins = services.origin.states();
    const closed = origins.filter((origin) => origin.circuit === 'closed').length;
    const open = origins.filter((origin) => origin.circuit === 'open').length;
    const now = services.clock.now();
    const body: EdgeHealthResponse = {
      status: closed === origins.length ? 'ok' : open === origins.length ? 'unavailable' : 'degraded',
      service: 'edge',
      version: API_VERSION,
      uptime_seconds: Math.max(0, (now - services.startedAt) / 1000),
      timestamp: new Date(now).toISOString(),
      origins,
      model: services.config.modelId,
      metrics: { ...services.metrics },
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body, 200);
  });
  // The trivial route of bench/edge.ts: the same middleware chain, a constant body, no I/O. Not part
  // of the API, so not documented (and a 404 unless BENCH_TRIVIAL_ROUTE is set).
  app.get('/__bench/constant', (c) => {
    if (!c.get('services').config.benchTrivialRoute) return c.notFound();
    return c.text('ok');
  });
  return app;
}
