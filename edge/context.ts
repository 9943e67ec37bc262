import type { RequestContextVariables } from '../shared/http/request-context.js';
import type { Clock } from './clock.js';
import type { EdgeConfig } from './config.js';
import type { EdgeBindings } from './env.js';
import type { EdgeMetrics } from './metrics.js';
import type { TranslationCache } from './cache/translation-cache.js';
import type { KeyUsageSnapshot } from './keys/gate.js';
import type { OriginClient } from './origin/client.js';
import type { GlossaryStore } from './glossaries/store.js';
import type { ClientIdentity } from './ratelimit/client-key.js';
import type { RateLimiter } from './ratelimit/limiter.js';
import type { SingleFlight } from './services/single-flight.js';
import type { Corrections } from './suggestions/corrections.js';

/**
 * Per-isolate state and the collaborators, built once by createEdgeApp from the parsed config (and the
 * bindings of the first request); every request sees the same objects.
 */
export interface EdgeServices {
  config: EdgeConfig;
  clock: Clock;
  metrics: EdgeMetrics;
  origin: OriginClient;
  singleFlight: SingleFlight;
  /** When this isolate's services were built (for uptime). */
  startedAt: number;
  limiter: RateLimiter;
  /** The two-tier translation cache; its reads take the request's `defer` (ctx.waitUntil) for back-fills. */
  cache: TranslationCache;
  /** Community corrections; undefined while SUGGESTIONS is off (then nothing looks one up). */
  corrections?: Corrections;
  /** API keys' stored glossaries (one Durable Object per key). */
  glossaries: GlossaryStore;
}

/** requestId and startedAt (performance.now()) come from the shared requestContext() middleware. */
export interface EdgeVariables extends RequestContextVariables {
  services: EdgeServices;
  /** The parsed JSON body (set by the JSON middleware). */
  body: unknown;
  /** CF-Connecting-IP, or 'unknown'. */
  clientIp: string;
  /** The calling API key and its character usage, set by the key account gate (edge/keys/gate.ts). */
  keyUsage?: KeyUsageSnapshot;
  /** Who the rate limiter charged (set by rateLimit(), for routes that act for an API key). */
  client?: ClientIdentity;
}

export type EdgeEnv = { Bindings: EdgeBindings; Variables: EdgeVariables };
