/**
 * Per-isolate counters, surfaced in GET /health under `metrics`. They reset when the isolate is
 * recycled; they exist so an operator (and the tests) can see that a documented degradation happened.
 */
export interface EdgeMetrics {
  /** The rate limiter threw and the request was let through (fail-open). */
  rate_limiter_failures: number;
  /** Origin answers from a model other than MODEL_ID: served, not cached. */
  uncacheable_model_responses: number;
  /** Origin results with warnings or an unreliable detection: served, not cached. */
  uncacheable_results: number;
  /** Cache reads that found a value failing validation (treated as a miss). */
  cache_invalid_entries: number;
  /** Cache tier operations that threw (treated as a miss / a skipped write). */
  cache_errors: number;
  /** Items answered from the cache. */
  cache_hits: number;
  /** Items sent to an origin. */
  cache_misses: number;
  /** Items that joined another request's in-flight origin call (single-flight). */
  single_flight_joins: number;
}

export function createMetrics(): EdgeMetrics {
  return {
    rate_limiter_failures: 0,
    uncacheable_model_responses: 0,
    uncacheable_results: 0,
    cache_invalid_entries: 0,
    cache_errors: 0,
    cache_hits: 0,
    cache_misses: 0,
    single_flight_joins: 0,
  };
}
