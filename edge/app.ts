import { Hono } from 'hono';
import { requestContext } from '../shared/http/request-context.js';
import { TieredStore, type CacheTier } from './cache/store.js';
import { TranslationCache } from './cache/translation-cache.js';
import type { Clock } from './clock.js';
import type { EdgeConfig } from './config.js';
import type { EdgeEnv, EdgeServices } from './context.js';
import { createMetrics } from './metrics.js';
import { DOCUMENT_UPLOAD_PATHS } from '../shared/contract/documents-routes.js';
import { bodyLimitMiddleware } from './middleware/body.js';
import { corsMiddleware } from './middleware/cors.js';
import { notFound, onError } from './middleware/errors.js';
import type { GlossaryStore } from './glossaries/store.js';
import type { OriginClient } from './origin/client.js';
import { clientIp } from './ratelimit/client-key.js';
import type { RateLimiter } from './ratelimit/limiter.js';
import { createEdgeRoutes } from './routes/index.js';
import { SingleFlight } from './services/single-flight.js';
import type { Corrections } from './suggestions/corrections.js';
import { libreTranslateErrorShape } from '../shared/libretranslate/errors.js';

/**
 * The collaborators of the app, built once per isolate (edge/worker.ts builds the production ones from
 * the bindings; tests and benchmarks may replace any of them there).
 */
export interface EdgeAppDeps {
  clock: Clock;
  origin: OriginClient;
  limiter: RateLimiter;
  /** The translation cache's tiers, in lookup order (production: Cache API, then KV). */
  cacheTiers: readonly CacheTier[];
  glossaries: GlossaryStore;
  /** Community corrections (edge/suggestions/build.ts); undefined while SUGGESTIONS is off. */
  corrections?: Corrections | undefined;
}

/**
 * The edge Worker as a Hono app, for one parsed configuration; everything it needs is built here, once,
 * and every request shares it. Middleware, in order: request id + response time → services → CORS →
 * body limit → (per JSON route) content type → JSON parse → validation → rate limit → handler. One error
 * handler and one notFound produce the shared envelope.
 */
export function createEdgeApp(config: EdgeConfig, deps: EdgeAppDeps): Hono<EdgeEnv> {
  const metrics = createMetrics();
  const services: EdgeServices = {
    config,
    clock: deps.clock,
    metrics,
    origin: deps.origin,
    limiter: deps.limiter,
    cache: new TranslationCache(new TieredStore(deps.cacheTiers, metrics), deps.clock, config.cacheTtlSeconds),
    singleFlight: new SingleFlight(),
    glossaries: deps.glossaries,
    ...(deps.corrections ? { corrections: deps.corrections } : {}),
    startedAt: deps.clock.now(),
  };

  const app = new Hono<EdgeEnv>();
  app.onError(onError);
  app.notFound(notFound);

  app.use('*', requestContext());
  app.use('*', async (c, next) => {
    c.set('services', services);
    c.set('clientIp', clientIp(c));
    await next();
  });
  app.use('*', corsMiddleware(config.corsOrigins));
  app.use('*', libreTranslateErrorShape());
  // Document uploads are bounded on their routes by the document limit instead (edge/routes/documents.ts).
  const bodyLimit = bodyLimitMiddleware(config.limits.MAX_BODY_BYTES);
  app.use('*', (c, next) => (DOCUMENT_UPLOAD_PATHS.includes(c.req.path) ? next() : bodyLimit(c, next)));

  app.route('/', createEdgeRoutes());
  return app;
}
