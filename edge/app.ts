import { Hono } from 'hono';
import { AppError } from '../shared/errors.js';
import { requestContext } from '../shared/http/request-context.js';
import { createLanguagesApp } from '../shared/languages/index.js';
import { CacheApiTier, KvTier, TieredStore, type CacheTier } from './cache/store.js';
import { TranslationCache } from './cache/translation-cache.js';
import { systemClock, type Clock } from './clock.js';
import { parseConfig } from './config.js';
import type { EdgeEnv, EdgeServices } from './context.js';
import type { EdgeBindings } from './env.js';
import { describeError, log } from './log.js';
import { createMetrics } from './metrics.js';
import { bodyLimitMiddleware } from './middleware/body.js';
import { corsMiddleware } from './middleware/cors.js';
import { notFound, onError } from './middleware/errors.js';
import type { OriginClient } from './origin/client.js';
import { OriginPool, type Fetcher } from './origin/pool.js';
import { clientIp } from './ratelimit/client-key.js';
import { DurableObjectRateLimiter, type RateLimiter } from './ratelimit/limiter.js';
import { createDetectApp } from './routes/detect.js';
import { createDocsApp } from './routes/docs.js';
import { createHealthApp } from './routes/health.js';
import { createLibreTranslateApp } from './routes/libretranslate.js';
import { createTranslateApp } from './routes/translate.js';
import { SingleFlight } from './services/single-flight.js';

/**
 * Collaborators the tests (and benchmarks) may replace. Each defaults to the production one:
 * the system clock, global fetch to ORIGIN_URLS, the Durable Object limiter, Cache API + KV.
 */
export interface EdgeDeps {
  clock?: Clock;
  /** Used by the default origin pool (fault injection without replacing the pool's logic). */
  fetch?: Fetcher;
  /** Replaces the origin pool entirely. */
  originClient?: OriginClient;
  rateLimiter?: RateLimiter;
  /** The cache tiers for a request's bindings; default [Cache API, KV]. */
  cacheTiers?: (env: EdgeBindings) => CacheTier[];
}

function defaultTiers(env: EdgeBindings): CacheTier[] {
  const tiers: CacheTier[] = [];
  const cacheStorage = (globalThis as { caches?: { default?: Cache } }).caches;
  if (cacheStorage?.default) tiers.push(new CacheApiTier(cacheStorage.default));
  if (env.TRANSLATION_CACHE) tiers.push(new KvTier(env.TRANSLATION_CACHE));
  return tiers;
}

/**
 * The edge Worker as a Hono app. Middleware, in order: request id + response time → configuration
 * (parsed once per isolate; a bad one is a logged 500 INTERNAL) → CORS → body limit → (per JSON route)
 * content type → JSON parse → validation → rate limit → handler. One error handler and one notFound
 * produce the shared envelope.
 */
export function createEdgeApp(deps: EdgeDeps = {}): Hono<EdgeEnv> {
  const clock = deps.clock ?? systemClock;
  let built: { services: EdgeServices } | { error: string } | undefined;

  const servicesFor = (env: EdgeBindings): EdgeServices => {
    if (built === undefined) {
      try {
        const config = parseConfig(env);
        const metrics = createMetrics();
        const origin =
          deps.originClient ??
          new OriginPool(
            {
              urls: config.originUrls,
              timeoutMs: config.originTimeoutMs,
              sharedSecret: config.edgeSharedSecret,
              failureThreshold: config.circuitFailureThreshold,
              cooldownMs: config.circuitCooldownMs,
            },
            deps.fetch ?? ((input, init) => fetch(input, init)),
            clock,
          );
        const tiersFor = deps.cacheTiers ?? defaultTiers;
        built = {
          services: {
            config,
            clock,
            metrics,
            origin,
            singleFlight: new SingleFlight(),
            startedAt: clock.now(),
            limiter: (requestEnv) => deps.rateLimiter ?? new DurableObjectRateLimiter(requestEnv.RATE_LIMITER, clock),
            cache: (requestEnv, defer) =>
              new TranslationCache(new TieredStore(tiersFor(requestEnv), defer, metrics), clock, config.cacheTtlSeconds),
          },
        };
      } catch (err) {
        built = { error: describeError(err) };
      }
    }
    if ('error' in built) {
      log('error', 'invalid_configuration', { error: built.error });
      throw new AppError('INTERNAL', 'the service is misconfigured; see the edge logs');
    }
    return built.services;
  };

  const app = new Hono<EdgeEnv>();
  app.onError(onError);
  app.notFound(notFound);

  app.use('*', requestContext());
  app.use('*', async (c, next) => {
    c.set('services', servicesFor(c.env ?? ({} as EdgeBindings)));
    c.set('clientIp', clientIp(c));
    await next();
  });
  app.use('*', corsMiddleware());
  app.use('*', bodyLimitMiddleware());

  app.route('/', createDocsApp());
  app.route('/', createHealthApp());
  app.route('/', createTranslateApp());
  app.route('/', createDetectApp());
  app.route('/api/v1', createLanguagesApp());
  app.route('/', createLibreTranslateApp());
  return app;
}
