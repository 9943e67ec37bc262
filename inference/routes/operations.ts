import { Hono } from 'hono';
import type { HealthResponse, InferenceStatusResponse } from '../../shared/contract/health.js';
import { AppError } from '../../shared/errors.js';
import { ltLanguages } from '../../shared/languages/index.js';
import type { ContainerDeps, ContainerEnv } from '../context.js';
import { requireBearer } from '../http/auth.js';

/** GET /health (liveness: answers while the model works, it never touches the engine). */
export function healthRoutes(deps: ContainerDeps): Hono<ContainerEnv> {
  const app = new Hono<ContainerEnv>();
  app.get('/health', (c) => {
    const body: HealthResponse = {
      status: 'ok',
      service: 'inference',
      version: deps.version,
      uptime_seconds: (Date.now() - deps.startedAt) / 1000,
      timestamp: new Date().toISOString(),
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
  return app;
}

/** GET /status (readiness and what is loaded), GET /languages (LibreTranslate). */
export function statusRoutes(deps: ContainerDeps): Hono<ContainerEnv> {
  const app = new Hono<ContainerEnv>();
  app.get('/status', (c) => {
    const runtime = deps.model.peek();
    const stats = runtime.engine.stats();
    deps.metrics.queueDepth.set(stats.queuedRequests);
    const body: InferenceStatusResponse = {
      status: runtime.info.fixture ? 'degraded' : 'ok',
      service: 'inference',
      version: deps.version,
      uptime_seconds: (Date.now() - deps.startedAt) / 1000,
      timestamp: new Date().toISOString(),
      ready: true,
      model: {
        id: runtime.info.id,
        revision: runtime.info.revision,
        fixture: runtime.info.fixture,
        path: runtime.info.path,
        loaded_at: runtime.info.loadedAt,
        load_time_seconds: runtime.info.loadSeconds,
        newer_revision_available: runtime.info.fixture ? 'unknown' : (deps.revisionChecker?.newerAvailable ?? 'unknown'),
        label: runtime.info.label,
        ...(runtime.info.reason ? { fixture_reason: runtime.info.reason } : {}),
      },
      detector: deps.detector.id,
      queue: { depth: stats.queuedRequests, capacity: deps.config.queue.maxRequests },
      batches: { count: stats.completedBatches, mean_size: stats.meanBatchSize, tokens_generated: runtime.engine.generatedTokensTotal },
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
  app.get('/languages', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(ltLanguages());
  });
  return app;
}

/** GET /metrics (Prometheus text; Bearer METRICS_TOKEN when set). */
export function metricsRoutes(deps: ContainerDeps): Hono<ContainerEnv> {
  const app = new Hono<ContainerEnv>();
  app.get('/metrics', requireBearer(deps.config.auth.metricsToken, '/metrics'), async (c) => {
    const stats = deps.model.peek().engine.stats();
    deps.metrics.queueDepth.set(stats.queuedRequests);
    c.header('Content-Type', deps.metrics.contentType);
    return c.body(await deps.metrics.text());
  });
  return app;
}

/** POST /admin/reload (Bearer ADMIN_TOKEN; the route does not exist without one). */
export function adminRoutes(deps: ContainerDeps): Hono<ContainerEnv> {
  const app = new Hono<ContainerEnv>();
  app.post('/admin/reload', async (c, next) => {
    if (!deps.config.auth.adminToken) throw new AppError('NOT_FOUND', 'the admin API is disabled: set ADMIN_TOKEN to enable it');
    return requireBearer(deps.config.auth.adminToken, '/admin')(c, next);
  }, async (c) => {
    const runtime = await deps.reload().catch((err: unknown) => {
      throw new AppError('MODEL_UNAVAILABLE', `reload failed, the previous model keeps serving: ${(err as Error).message}`, { cause: err });
    });
    return c.json({ status: 'reloaded', model: runtime.info.label, revision: runtime.info.revision, loaded_at: runtime.info.loadedAt });
  });
  return app;
}
