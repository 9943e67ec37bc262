import { z } from 'zod';
import { FLORES_CODE_PATTERN } from '../../shared/languages/flores.js';
import type { Clock } from '../clock.js';
import { EXPIRED, type Defer, type TieredStore } from './store.js';

const Flores = z.string().regex(FLORES_CODE_PATTERN);

/**
 * What the cache stores. Only the parts of a result that depend on the key: per-request fields
 * (request_id, timestamps, timings) are rebuilt for every answer. Each value carries its own key,
 * model, languages and expiry, so a value written under another key (foreign or poisoned), by
 * another model, or past its TTL is rejected on read and treated as a miss. Only clean results are
 * stored (no warnings, no unreliable detection), so an entry has no warnings field: a hit has none.
 */
export const TranslationEntrySchema = z
  .object({
    v: z.literal(2),
    kind: z.literal('translation'),
    key: z.string(),
    model: z.string().min(1),
    source_language: Flores,
    target_language: Flores,
    translated_text: z.string(),
    alternatives: z.array(z.string()).max(8),
    score: z.number().min(0).max(1).nullable(),
    stored_at: z.number().int(),
    expires_at: z.number().int(),
  })
  .strict();

/**
 * For requests without source_language: which source the detector found for this exact text. Written
 * only for reliable detections (an unreliable one is detected again every time).
 */
export const AutoEntrySchema = z
  .object({
    v: z.literal(2),
    kind: z.literal('auto'),
    key: z.string(),
    model: z.string().min(1),
    detector: z.string().min(1),
    target_language: Flores,
    source_language: Flores,
    confidence: z.number().min(0).max(1).nullable(),
    stored_at: z.number().int(),
    expires_at: z.number().int(),
  })
  .strict();

export type TranslationEntry = z.infer<typeof TranslationEntrySchema>;
export type AutoEntry = z.infer<typeof AutoEntrySchema>;

export interface TranslationExpectation {
  model: string;
  source: string;
  target: string;
}

export interface AutoExpectation {
  model: string;
  detector: string;
  target: string;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * Schema-checked reads and writes of translation and auto-detection entries over the tiered store, one
 * per isolate. Reads take the request's `defer` (ctx.waitUntil), which back-fills earlier tiers.
 */
export class TranslationCache {
  constructor(
    private readonly store: TieredStore,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  private remainingSeconds = (entry: { expires_at: number }): number => Math.floor((entry.expires_at - this.clock.now()) / 1000);

  getTranslation(key: string, expect: TranslationExpectation, defer: Defer): Promise<TranslationEntry | undefined> {
    return this.getChecked(key, TranslationEntrySchema, defer, (entry) =>
      entry.model === expect.model && entry.source_language === expect.source && entry.target_language === expect.target,
    );
  }

  getAuto(key: string, expect: AutoExpectation, defer: Defer): Promise<AutoEntry | undefined> {
    return this.getChecked(key, AutoEntrySchema, defer, (entry) =>
      entry.model === expect.model && entry.detector === expect.detector && entry.target_language === expect.target,
    );
  }

  /**
   * A read that accepts only a value of `schema`, written under this very key, that `matches` what the
   * request expects; past its expiry it is a quiet miss (EXPIRED), anything else an invalid entry.
   */
  private getChecked<T extends { key: string; expires_at: number }>(
    key: string,
    schema: z.ZodType<T>,
    defer: Defer,
    matches: (entry: T) => boolean,
  ): Promise<T | undefined> {
    return this.store.get(
      key,
      (raw) => {
        const parsed = schema.safeParse(parseJson(raw));
        if (!parsed.success) return undefined;
        const entry = parsed.data;
        if (entry.key !== key || !matches(entry)) return undefined;
        if (entry.expires_at <= this.clock.now()) return EXPIRED;
        return entry;
      },
      this.remainingSeconds,
      defer,
    );
  }

  putTranslation(
    key: string,
    value: Pick<TranslationEntry, 'model' | 'source_language' | 'target_language' | 'translated_text' | 'alternatives' | 'score'>,
  ): Promise<void> {
    const now = this.clock.now();
    const entry: TranslationEntry = {
      v: 2,
      kind: 'translation',
      key,
      model: value.model,
      source_language: value.source_language,
      target_language: value.target_language,
      translated_text: value.translated_text,
      alternatives: value.alternatives,
      score: value.score,
      stored_at: now,
      expires_at: now + this.ttlSeconds * 1000,
    };
    return this.store.put(key, JSON.stringify(entry), this.ttlSeconds);
  }

  putAuto(key: string, value: Pick<AutoEntry, 'model' | 'detector' | 'target_language' | 'source_language' | 'confidence'>): Promise<void> {
    const now = this.clock.now();
    const entry: AutoEntry = {
      v: 2,
      kind: 'auto',
      key,
      model: value.model,
      detector: value.detector,
      target_language: value.target_language,
      source_language: value.source_language,
      confidence: value.confidence,
      stored_at: now,
      expires_at: now + this.ttlSeconds * 1000,
    };
    return this.store.put(key, JSON.stringify(entry), this.ttlSeconds);
  }
}
