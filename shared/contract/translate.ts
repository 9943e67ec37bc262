import { z } from '@hono/zod-openapi';
import { DEFAULT_LIMITS } from '../limits.js';
import { FloresCode, LanguageCodeInput } from './common.js';

const TextItem = z.string().openapi({ example: 'Good morning, how are you?' });

export const TranslateOptionsSchema = z
  .object({
    beam_size: z.number().int().min(1).max(DEFAULT_LIMITS.MAX_BEAMS).default(1)
      .openapi({ description: 'Beam search width (1 = greedy).' }),
    max_new_tokens: z.number().int().min(1).max(DEFAULT_LIMITS.MAX_NEW_TOKENS_CAP).optional()
      .openapi({ description: 'Upper bound on generated tokens per sentence; the server also bounds it by the input length.' }),
  })
  .strict()
  .openapi('TranslateOptions');

/**
 * Structure only: limits (characters, items), emptiness and language resolution are checked by
 * `validateTranslateRequest`, so each failure gets its own stable code.
 */
export const TranslateRequestSchema = z
  .object({
    text: z.union([TextItem, z.array(TextItem)]).openapi({
      description: `One string, or an array of up to ${DEFAULT_LIMITS.MAX_BATCH_ITEMS} strings translated in order. At most ${DEFAULT_LIMITS.MAX_CHARACTERS} characters in all.`,
    }),
    target_language: LanguageCodeInput,
    source_language: LanguageCodeInput.optional().openapi({ description: 'Detected per item when omitted.' }),
    options: TranslateOptionsSchema.optional(),
  })
  .strict()
  .openapi('TranslateRequest');

export const TranslationResultSchema = z
  .object({
    translated_text: z.string(),
    source_language: FloresCode,
    target_language: FloresCode,
    detected: z.boolean().openapi({ description: 'true when the source language was detected, not given' }),
    confidence: z.number().min(0).max(1).nullable().openapi({ description: 'Detection confidence; null when the source was given' }),
    character_count: z.number().int().nonnegative(),
    inference_time: z.number().nonnegative().openapi({ description: 'Seconds spent in the model (0 for a cache hit)' }),
    total_time: z.number().nonnegative().openapi({ description: 'Seconds from request to response' }),
    timestamp: z.string().datetime(),
    request_id: z.string(),
    cached: z.boolean(),
    model: z.string().openapi({ description: 'Model id and revision; says so loudly when a test fixture is serving' }),
  })
  .openapi('TranslationResult');

export const BatchTranslationResponseSchema = z
  .object({
    results: z.array(TranslationResultSchema),
    count: z.number().int().nonnegative(),
    character_count: z.number().int().nonnegative(),
    total_time: z.number().nonnegative(),
    timestamp: z.string().datetime(),
    request_id: z.string(),
    model: z.string(),
  })
  .openapi('BatchTranslationResponse');

export const TranslateResponseSchema = z.union([TranslationResultSchema, BatchTranslationResponseSchema]);

export type TranslateRequestBody = z.input<typeof TranslateRequestSchema>;
export type TranslateOptions = z.output<typeof TranslateOptionsSchema>;
export type TranslationResult = z.infer<typeof TranslationResultSchema>;
export type BatchTranslationResponse = z.infer<typeof BatchTranslationResponseSchema>;
export type TranslateResponse = z.infer<typeof TranslateResponseSchema>;
