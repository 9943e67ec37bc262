import { Hono } from 'hono';
import { AppError } from '../shared/errors.js';
import { requestContext } from '../shared/http/request-context.js';
import { createEdgeApp, type EdgeAppDeps } from './app.js';
import { CacheApiTier, KvTier, type CacheTier } from './cache/store.js';
import { systemClock, type Clock } from './clock.js';
import { ConfigError, parseConfig, type EdgeConfig } from './config.js';
import type { EdgeEnv } from './context.js';
import type { EdgeBindings } from './env.js';
import { describeError, log } from './log.js';
import { notFound, onError } from './middleware/errors.js';
import { DurableObjectGlossaryStore, type GlossaryStore } from './glossaries/store.js';
import type { OriginClient } from './origin/client.js';
import { OriginPool, type Fetcher } from './origin/pool.js';
import { DurableObjectRateLimiter, type RateLimiter } from './ratelimit/limiter.js';
import { buildCorrections, type CorrectionsOverrides } from './suggestions/build.js';

/**
 * Collaborators the tests (and benchmarks) may replace. Each defaults to the production one, built from
 * the bindings: the system clock, global fetch to ORIGIN_URLS, the Durable Object limiter, Cache API + KV.
 */
export interface EdgeOverrides extends CorrectionsOverrides {
  clock?: Clock;
  /** Used by the default origin pool (fault injection without replacing the pool's logic). */
  fetch?: Fetcher;
  /** Replaces the origin pool entirely. */
  originClient?: OriginClient;
  rateLimiter?: RateLimiter;
  /** The cache tiers, from the bindings; default [Cache API, KV TRANSLATION_CACHE]. */
  cacheTiers?: (env: EdgeBindings) => CacheTier[];
  glossaries?: GlossaryStore;
}

/** workerd's CacheStorage has `default` (the colo's cache); the WebWorker lib's type does not know it. */
function hasDefaultCache(storage: CacheStorage): storage is CacheStorage & { readonly default: Cache } {
  return 'default' in storage;
}

function defaultTiers(env: EdgeBindings): CacheTier[] {
  const tiers: CacheTier[] = [];
  if (typeof caches !== 'undefined' && hasDefaultCache(caches)) tiers.push(new CacheApiTier(caches.default));
  if (env.TRANSLATION_CACHE) tiers.push(new KvTier(env.TRANSLATION_CACHE));
  return tiers;
}

/** The app's collaborators for `config` and the isolate's bindings, overrides first. */
export function edgeDeps(config: EdgeConfig, env: EdgeBindings, overrides: EdgeOverrides = {}): EdgeAppDeps {
  const clock = overrides.clock ?? systemClock;
  return {
    clock,
    origin:
      overrides.originClient ??
      new OriginPool(
        {
          urls: config.originUrls,
          timeoutMs: config.originTimeoutMs,
          sharedSecret: config.edgeSharedSecret,
          failureThreshold: config.circuitFailureThreshold,
          cooldownMs: config.circuitCooldownMs,
        },
        overrides.fetch ?? ((input, init) => fetch(input, init)),
        clock,
      ),
    limiter: overrides.rateLimiter ?? new DurableObjectRateLimiter(env.RATE_LIMITER, clock, config.limits.RATE_LIMIT_WINDOW_SECONDS * 1000),
    cacheTiers: (overrides.cacheTiers ?? defaultTiers)(env),
    glossaries: overrides.glossaries ?? new DurableObjectGlossaryStore(env.GLOSSARIES),
    corrections: buildCorrections(config, env, clock, overrides),
  };
}

/** What a Worker that cannot start serves: every request a logged 500 INTERNAL envelope. */
function failedApp(event: string, reason: Record<string, unknown>, message: string): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use('*', requestContext());
  app.all('*', () => {
    log('error', event, reason);
    throw new AppError('INTERNAL', message);
  });
  return app;
}

export interface EdgeWorker {
  fetch(request: Request, env: EdgeBindings, ctx: ExecutionContext): Promise<Response>;
}

/**
 * The Worker's fetch handler. Workers give the env only with a request, so the first request's env is
 * parsed (edge/config.ts) and the app and its services are built from it, once; later requests of the
 * isolate reuse them (the env of an isolate does not change: a new deployment or new vars start new
 * isolates). A configuration that does not parse is remembered too: every request is then a 500
 * INTERNAL envelope and an `invalid_configuration` log line naming every bad variable (any other
 * failure to build the app: `edge_start_failed`, with its stack).
 */
export function createEdgeWorker(overrides: EdgeOverrides = {}): EdgeWorker {
  let app: Hono<EdgeEnv> | undefined;
  const appFor = (env: EdgeBindings): Hono<EdgeEnv> => {
    if (app === undefined) {
      try {
        const config = parseConfig(env);
        app = createEdgeApp(config, edgeDeps(config, env, overrides));
      } catch (err) {
        // describeError shortens; the problems (one per bad variable) are logged in full
        app =
          err instanceof ConfigError
            ? failedApp('invalid_configuration', { error: describeError(err), problems: err.problems }, 'the service is misconfigured; see the edge logs')
            : failedApp('edge_start_failed', { error: describeError(err), stack: err instanceof Error ? err.stack : undefined }, 'the service failed to start; see the edge logs');
      }
    }
    return app;
  };
  return {
    fetch: async (request, env, ctx) => await appFor(env).fetch(request, env, ctx),
  };
}
