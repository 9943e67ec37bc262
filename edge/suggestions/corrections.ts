import type { NormalizedSuggestion, Suggestion, SuggestionsMode } from '../../shared/contract/suggestions.js';
import { AppError } from '../../shared/errors.js';
import { sha256Hex } from '../../shared/bytes.js';
import type { Clock } from '../clock.js';
import type { RateLimiter } from '../ratelimit/limiter.js';
import type { ItemResult } from '../services/translate.js';
import type { SuggestionStore } from './store.js';

/** The `model` of a result served from a correction: no model made it. */
export const CORRECTION_MODEL = 'community-correction';

/** The per-client limits' window: a client may send `perDay` suggestions in any 24 hours. */
export const SUGGESTION_WINDOW_MS = 24 * 3600 * 1000;

export interface CorrectionsOptions {
  /** Who may send suggestions; 'off' never builds this service (the translate path then costs nothing). */
  mode: Exclude<SuggestionsMode, 'off'>;
  /** Suggestions per client per 24 hours. */
  perDay: number;
}

/** Who sent a suggestion: the rate limiter's bucket of the client (`key:<sha256>` or `ip:<group>`). */
export interface Submitter {
  bucket: string;
  kind: 'ip' | 'api_key';
}

/** The id of a correction: the SHA-256 of (source, target, exact text) as one JSON array. */
export async function suggestionId(text: string, source: string, target: string): Promise<string> {
  return await sha256Hex(JSON.stringify(['suggestion', source, target, text]));
}

/**
 * Community corrections at the edge: stores what clients suggest (within their limits) and finds the
 * correction of a text on the translate path, ahead of the cache and the model.
 */
export class Corrections {
  constructor(
    private readonly store: SuggestionStore,
    /** A limiter whose window is SUGGESTION_WINDOW_MS (its own Durable Object buckets: `suggest:<client>`). */
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    readonly options: CorrectionsOptions,
  ) {}

  /**
   * The corrections of `texts` (distinct) from `source` into `target`: one store read per text, in
   * parallel. A failing read is no correction (the model serves), never a failed request.
   */
  async find(texts: readonly string[], source: string, target: string): Promise<Map<string, ItemResult>> {
    const found = new Map<string, ItemResult>();
    await Promise.all(
      texts.map(async (text) => {
        const record = await this.store.get(await suggestionId(text, source, target)).catch(() => undefined);
        // The id is a hash: the record's own fields must match too.
        if (record && record.text === text && record.source_language === source && record.target_language === target) {
          found.set(text, correctionResult(record));
        }
      }),
    );
    return found;
  }

  /**
   * Stores a checked suggestion from `submitter`, replacing an earlier one of the same (text, source,
   * target). Refused: without an API key when the mode is 'api_keys' (401), past the client's daily
   * count (429 SUGGESTION_LIMIT_REACHED with Retry-After; a refused one does not count).
   */
  async submit(suggestion: NormalizedSuggestion, submitter: Submitter): Promise<Suggestion> {
    if (this.options.mode === 'api_keys' && submitter.kind !== 'api_key') {
      throw new AppError('UNAUTHORIZED', 'this server takes suggestions only with an API key');
    }
    const charge = { limit: this.options.perDay, cost: 1 };
    const decision = await this.limiter.consume(`suggest:${submitter.bucket}`, { requests: charge, cost: charge });
    if (!decision.allowed) {
      const retryAfterSeconds = decision.budgets.requests.retryAfterSeconds;
      throw new AppError('SUGGESTION_LIMIT_REACHED', `suggestion limit of ${this.options.perDay} per 24 hours reached; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
        details: { limit: this.options.perDay, window_seconds: SUGGESTION_WINDOW_MS / 1000 },
      });
    }
    const record: Suggestion = {
      id: await suggestionId(suggestion.text, suggestion.source, suggestion.target),
      text: suggestion.text,
      translation: suggestion.translation,
      source_language: suggestion.source,
      target_language: suggestion.target,
      submitted_by: submitter.bucket,
      created_at: new Date(this.clock.now()).toISOString(),
    };
    await this.store.put(record);
    return record;
  }

  list(limit: number, cursor: string | undefined): ReturnType<SuggestionStore['list']> {
    return this.store.list(limit, cursor);
  }

  delete(id: string): Promise<boolean> {
    return this.store.delete(id);
  }
}

/** A result served from a correction: the corrected text, marked `correction: true`, no model time. */
function correctionResult(record: Suggestion): ItemResult {
  return {
    translated_text: record.translation,
    source_language: record.source_language,
    target_language: record.target_language,
    detected: false,
    confidence: null,
    reliable: null,
    warnings: [],
    alternatives: [],
    score: null,
    inference_time: 0,
    model: CORRECTION_MODEL,
    cached: false,
    correction: true,
  };
}
