import type { Clock } from '../clock.js';
import type { EdgeConfig } from '../config.js';
import type { EdgeBindings } from '../env.js';
import { log } from '../log.js';
import { DurableObjectRateLimiter, type RateLimiter } from '../ratelimit/limiter.js';
import { Corrections, SUGGESTION_WINDOW_MS } from './corrections.js';
import { KvSuggestionStore, type SuggestionStore } from './store.js';

export interface CorrectionsOverrides {
  suggestionStore?: SuggestionStore;
  /** A limiter whose window is SUGGESTION_WINDOW_MS. */
  suggestionLimiter?: RateLimiter;
}

/**
 * The corrections service for `config`, or undefined while SUGGESTIONS is off (then the translate path
 * never looks a correction up). Production: KV (TRANSLATION_CACHE) for the records, the RATE_LIMITER
 * Durable Object with a 24-hour window for the per-client counts. Without the KV binding suggestions
 * cannot be stored, so they stay off (logged).
 */
export function buildCorrections(config: EdgeConfig, env: EdgeBindings, clock: Clock, overrides: CorrectionsOverrides = {}): Corrections | undefined {
  if (config.suggestions === 'off') return undefined;
  let store = overrides.suggestionStore;
  if (store === undefined) {
    if (!env.TRANSLATION_CACHE) {
      log('error', 'suggestions_without_storage', { reason: 'SUGGESTIONS is on but the TRANSLATION_CACHE KV binding is missing; suggestions stay off' });
      return undefined;
    }
    store = new KvSuggestionStore(env.TRANSLATION_CACHE);
  }
  const limiter = overrides.suggestionLimiter ?? new DurableObjectRateLimiter(env.RATE_LIMITER, clock, SUGGESTION_WINDOW_MS);
  return new Corrections(store, limiter, clock, { mode: config.suggestions, perDay: config.suggestionsPerDay });
}
