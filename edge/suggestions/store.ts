import { SuggestionSchema, type Suggestion } from '../../shared/contract/suggestions.js';
import { describeError, log } from '../log.js';

/**
 * Where corrections live, behind a small interface (tests may inject another). One record per
 * (exact text, source, target), under its id.
 */
export interface SuggestionStore {
  /** The correction with this id, or undefined (also when the stored value does not parse). */
  get(id: string): Promise<Suggestion | undefined>;
  put(suggestion: Suggestion): Promise<void>;
  /** Whether there was one to delete. */
  delete(id: string): Promise<boolean>;
  /** A page of corrections in id order, and the cursor of the next page (null on the last). */
  list(limit: number, cursor: string | undefined): Promise<{ suggestions: Suggestion[]; cursor: string | null }>;
}

/** The key prefix in the KV namespace; cache keys start with 'tx:', so the two never meet. */
export const SUGGESTION_KEY_PREFIX = 'suggestion:v1:';

/**
 * Corrections in Workers KV (the TRANSLATION_CACHE namespace, under their own prefix, without expiry).
 * Why KV and not a Durable Object: the translate path needs one read per text at every location, and a
 * KV read is served from the location's cache; a Durable Object lives in one place, so every translate
 * request (while suggestions are enabled) would cross to it. The price is KV's eventual consistency: a
 * new or deleted correction may take up to ~60 s to be seen everywhere. The per-client limits, which
 * need exact counts, are kept by the rate limiter's Durable Object instead (edge/suggestions/corrections.ts).
 */
export class KvSuggestionStore implements SuggestionStore {
  constructor(private readonly kv: KVNamespace) {}

  async get(id: string): Promise<Suggestion | undefined> {
    const raw = await this.kv.get(SUGGESTION_KEY_PREFIX + id, 'text');
    return raw === null ? undefined : parseRecord(raw, id);
  }

  async put(suggestion: Suggestion): Promise<void> {
    await this.kv.put(SUGGESTION_KEY_PREFIX + suggestion.id, JSON.stringify(suggestion));
  }

  async delete(id: string): Promise<boolean> {
    const existed = (await this.kv.get(SUGGESTION_KEY_PREFIX + id, 'text')) !== null;
    if (existed) await this.kv.delete(SUGGESTION_KEY_PREFIX + id);
    return existed;
  }

  async list(limit: number, cursor: string | undefined): Promise<{ suggestions: Suggestion[]; cursor: string | null }> {
    const page = await this.kv.list({ prefix: SUGGESTION_KEY_PREFIX, limit, ...(cursor ? { cursor } : {}) });
    const records = await Promise.all(page.keys.map((key) => this.get(key.name.slice(SUGGESTION_KEY_PREFIX.length))));
    return {
      suggestions: records.filter((record): record is Suggestion => record !== undefined),
      cursor: page.list_complete ? null : page.cursor,
    };
  }
}

/** A stored value that does not parse is logged and treated as absent (never served). */
function parseRecord(raw: string, id: string): Suggestion | undefined {
  try {
    return SuggestionSchema.parse(JSON.parse(raw));
  } catch (err) {
    log('error', 'suggestion_record_invalid', { id, error: describeError(err) });
    return undefined;
  }
}
