import type { RequestContextVariables } from '../shared/http/request-context.js';
import type { Clock } from './clock.js';
import type { EdgeConfig } from './config.js';
import type { EdgeBindings } from './env.js';
import type { EdgeMetrics } from './metrics.js';
import type { TranslationCache } from './cache/translation-cache.js';
import type { OriginClient } from './origin/client.js';
import type { RateLimiter } from './ratelimit/limiter.js';
import type { SingleFlight } from './services/single-flight.js';

/** Per-isolate state and the injected collaborators, built once from the first request's env. */
export interface EdgeServices {
  config: EdgeConfig;
  clock: Clock;
  metrics: EdgeMetrics;
  origin: OriginClient;
  singleFlight: SingleFlight;
  /** When this isolate's services were built (for uptime). */
  startedAt: number;
  /** The limiter for this request's bindings. */
  limiter(env: EdgeBindings): RateLimiter;
  /** The two-tier cache for this request's bindings; `defer` runs work after the response. */
  cache(env: EdgeBindings, defer: (work: Promise<unknown>) => void): TranslationCache;
}

/** requestId and startedAt (performance.now()) come from the shared requestContext() middleware. */
export interface EdgeVariables extends RequestContextVariables {
  services: EdgeServices;
  /** The parsed JSON body (set by the JSON middleware). */
  body: unknown;
  /** CF-Connecting-IP, or 'unknown'. */
  clientIp: string;
}

export type EdgeEnv = { Bindings: EdgeBindings; Variables: EdgeVariables };
