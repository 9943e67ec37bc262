import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AdminReloadResponse, HealthResponse, InferenceStatusResponse } from '../../shared/contract/health.js';
import { adminReloadRoute, healthRoute, metricsRoute, statusRoute } from '../../shared/contract/routes.js';
import { AppError } from '../../shared/errors.js';
import type { ContainerDeps, ContainerEnv } from '../context.js';
import { requireBearer } from '../http/auth.js';

/** The fields /health and /status share: who answers, since when, and when it answered. */
function liveness(deps: ContainerDeps): Omit<HealthResponse, 'status'> {
  return {
    service: 'inference',
    version: deps.version,
    uptime_seconds: (Date.now() - deps.startedAt) / 1000,
    timestamp: new Date().toISOString(),
  };
}

/** GET /health (liveness: answers while the model works, it never touches the engine). */
export function healthRoutes(deps: ContainerDeps): OpenAPIHono<ContainerEnv> {
  const app = new OpenAPIHono<ContainerEnv>();
  app.openapi(healthRoute, (c) => {
    const body: HealthResponse = { status: 'ok', ...liveness(deps) };
    c.header('Cache-Control', 'no-store');
    return c.json(body, 200);
  });
  return app;
}

/** GET /status (readiness and what is loaded). */
export function statusRoutes(deps: ContainerDeps): OpenAPIHono<ContainerEnv> {
  const app = new OpenAPIHono<ContainerEnv>();
  app.openapi(statusRoute, (c) => {
    const runtime = deps.model.peek();
    const stats = runtime.engine.stats();
    deps.metrics.queueDepth.set(stats.queuedRequests);
    const body: InferenceStatusResponse = {
      status: runtime.info.fixture ? 'degraded' : 'ok',
      ...liveness(deps),
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
      batches: {
        count: stats.completedBatches,
        mean_size: stats.meanBatchSize,
        tokens_generated: runtime.engine.generatedTokensTotal,
        cancelled: runtime.engine.model.stats.cancelled,
      },
      workers: runtime.engine.workers(),
    };
    deps.metrics.observeJobsCancelled(runtime.engine.model, runtime.engine.model.stats.cancelled);
    c.header('Cache-Control', 'no-store');
    return c.json(body, 200);
  });
  return app;
}

/** GET /metrics (Prometheus text; Bearer METRICS_TOKEN when set). */
export function metricsRoutes(deps: ContainerDeps): OpenAPIHono<ContainerEnv> {
  const app = new OpenAPIHono<ContainerEnv>();
  app.openapi({ ...metricsRoute, middleware: [requireBearer(deps.config.auth.metricsToken, '/metrics')] }, async (c) => {
    const { engine } = deps.model.peek();
    deps.metrics.queueDepth.set(engine.stats().queuedRequests);
    deps.metrics.observeJobsCancelled(engine.model, engine.model.stats.cancelled);
    return c.text(await deps.metrics.text(), 200, { 'Content-Type': deps.metrics.contentType });
  });
  return app;
}

/** POST /admin/reload (Bearer ADMIN_TOKEN; without one the admin API is disabled: 404 NOT_FOUND). */
export function adminRoutes(deps: ContainerDeps): OpenAPIHono<ContainerEnv> {
  const app = new OpenAPIHono<ContainerEnv>();
  const token = deps.config.auth.adminToken;
  const enabled: MiddlewareHandler = async (_c, next) => {
    if (!token) throw new AppError('NOT_FOUND', 'the admin API is disabled: set ADMIN_TOKEN to enable it');
    await next();
  };
  app.openapi({ ...adminReloadRoute, middleware: [enabled, requireBearer(token, '/admin')] }, async (c) => {
    const runtime = await deps.reload().catch((err: unknown) => {
      throw new AppError('MODEL_UNAVAILABLE', `reload failed, the previous model keeps serving: ${(err as Error).message}`, { cause: err });
    });
    const body: AdminReloadResponse = { status: 'reloaded', model: runtime.info.label, revision: runtime.info.revision, loaded_at: runtime.info.loadedAt };
    return c.json(body, 200);
  });
  return app;
}
