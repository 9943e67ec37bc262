import { Hono } from 'hono';
import type { EdgeHealthResponse } from '../../shared/contract/health.js';
import { API_VERSION } from '../../shared/contract/openapi.js';
import type { EdgeEnv } from '../context.js';

/**
 * GET /health: the edge itself (no I/O) plus each origin's state as this isolate sees it (circuit,
 * consecutive failures, last latency, last error), and the isolate's counters (`metrics`, e.g.
 * rate_limiter_failures for the fail-open policy). status: ok (every circuit closed), degraded
 * (some not closed), unavailable (every circuit open).
 */
export function createHealthApp(): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  app.get('/health', (c) => {
    const services = c.get('services');
    const origins = services.origin.states();
    const closed = origins.filter((origin) => origin.circuit === 'closed').length;
    const open = origins.filter((origin) => origin.circuit === 'open').length;
    const now = services.clock.now();
    const body: EdgeHealthResponse & Record<string, unknown> = {
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
    return c.json(body);
  });
  // The trivial route of bench/edge.ts: the same middleware chain, a constant body, no I/O.
  app.get('/__bench/constant', (c) => {
    if (!c.get('services').config.benchTrivialRoute) return c.notFound();
    return c.text('ok');
  });
  return app;
}
