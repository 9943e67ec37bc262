import { z } from '@hono/zod-openapi';
import { DEFAULT_LIMITS } from '../limits.js';
import { FloresCode, LanguageCodeInput } from './common.js';
import { GlossaryEntriesSchema, ProtectedTermsSchema } from './terminology.js';

const TextItem = z.string().openapi({ example: 'Good morning, how are you?' });

export const TranslateOptionsSchema = z
  .object({
    beam_size: z.number().int().min(1).max(DEFAULT_LIMITS.MAX_BEAMS).default(1)
      .openapi({ description: 'Beam search width (1 = greedy). With `alternatives` n > 0 the search uses max(beam_size, n + 1) beams.' }),
    max_new_tokens: z.number().int().min(1).max(DEFAULT_LIMITS.MAX_NEW_TOKENS_CAP).optional()
      .openapi({ description: 'Upper bound on generated tokens per sentence; the server also bounds it by the input length. An output it cuts carries the warning `truncated`.' }),
    placeholders: z.enum(['auto', 'none']).default('auto')
      .openapi({ description: "'auto': placeholders ({name}, {{name}}, ${name}, %s), markup tags, URLs, e-mail addresses, @mentions, #hashtags, emoji and numbers are masked before translation and restored byte-identical after it (ICU MessageFormat is translated message by message) (a sentence whose masks the model breaks is translated piecewise between them, warning `placeholder_fallback`); 'none': the text goes to the model as it is." }),
    alternatives: z.number().int().min(0).max(DEFAULT_LIMITS.MAX_BEAMS - 1).default(0)
      .openapi({
        description: `Other translations to return per item, best first (0 to ${DEFAULT_LIMITS.MAX_BEAMS - 1}): the next-best distinct hypotheses of beam search, which then runs max(beam_size, alternatives + 1) beams (at most MAX_BEAMS = ${DEFAULT_LIMITS.MAX_BEAMS}). For an item of several sentences, each alternative is the whole item with one or more sentences in their next-best translation, ranked by how little they fall below the best (the sum of the beam-score differences); the model may have fewer than asked.`,
      }),
    format: z.enum(['text', 'html']).default('text')
      .openapi({ description: "'text': plain text. 'html': an HTML fragment or document; block elements are translated one by one, inline elements travel through the model as masks and come back where it placed them; script, style, code, pre, kbd, samp, var, comments and anything inside translate=\"no\" or class notranslate are left as they are; the attributes alt, title, placeholder, aria-label and the value of button-like inputs are translated. The output's element tree equals the input's (a model that moves a tag out of its element gets the sentence translated piecewise between its tags, warning `placeholder_fallback`). Malformed markup is parsed as browsers parse it; nesting deeper than 512 elements is VALIDATION_FAILED. Characters counted against MAX_CHARACTERS, budgets and `character_count` are the text the model sees: text nodes and translated attributes, not markup; the body limit still bounds the whole document." }),
    protected_terms: ProtectedTermsSchema.optional(),
    glossary: GlossaryEntriesSchema.optional(),
    glossary_id: z.string().min(1).max(64).optional()
      .openapi({ description: 'A glossary stored for the calling API key (POST /api/v1/glossaries), applied like `glossary`; with both, inline entries win. Resolved by the edge.' }),
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
      description: `One string, or an array of up to ${DEFAULT_LIMITS.MAX_BATCH_ITEMS} strings translated in order. At most ${DEFAULT_LIMITS.MAX_CHARACTERS} characters in all (with options.format 'html': characters of text, not of markup).`,
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
    reliable: z.boolean().nullable().openapi({
      description:
        "Whether the detection is reliable, by the rule of POST /api/v1/detect-language: the detector's top label is an NLLB-200 language with confidence >= LID_MIN_CONFIDENCE (default 0.5). When false the item was still translated, from the best guess (`source_language`), never returned as is for being in the target language, and the result is never cached. null when the source was given.",
    }),
    character_count: z.number().int().nonnegative(),
    /**
     * Seconds of model (worker) time attributed to this request: for each batch its sentences ran in,
     * the batch's worker time × this request's share of the tokens the batch generated. Requests that
     * share a batch split its time (they add up to it); batches one after another add up. The same
     * value on every item of a batch request; 0 for a cache hit or when nothing went to the model.
     */
    inference_time: z.number().nonnegative().openapi({
      description: 'Seconds of model time attributed to this request: its share (by generated tokens) of each model batch its sentences ran in, summed; 0 for a cache hit',
    }),
    total_time: z.number().nonnegative().openapi({ description: 'Seconds from request to response' }),
    timestamp: z.string().datetime(),
    request_id: z.string(),
    cached: z.boolean(),
    model: z.string().openapi({ description: 'Model id and revision; says so loudly when a test fixture is serving' }),
    warnings: z.array(z.string()).openapi({
      description:
        "Why the translation may be incomplete or altered, [] when nothing is suspicious; stable strings: `possible_omission` (a sentence's output is implausibly short for its input, even after it was retried split finer), `truncated` (a sentence hit its new-token cap: max_new_tokens or the server's bound), `repetition` (generation degenerated into repetition and was stopped), `placeholder_fallback` (the model broke a protected span, so the text around it was translated piecewise). A result with warnings is never cached.",
      example: [],
    }),
    alternatives: z.array(z.string()).openapi({
      description: 'Other translations of the item, best first, distinct and different from translated_text; [] unless options.alternatives was asked (and possibly fewer than asked).',
      example: [],
    }),
    score: z.number().min(0).max(1).nullable().openapi({
      description:
        "The model's confidence in translated_text: exp of the mean log-probability per generated token of the chosen hypothesis (the language token excluded, </s> included), over every sentence of the item (a token-weighted mean of their log-probabilities). 1 = certain. null when nothing was translated (the text was returned as it is).",
      example: 0.82,
    }),
    correction: z.literal(true).optional().openapi({
      description:
        "Present (true) only when translated_text is a community correction (POST /api/v1/suggestions or LibreTranslate's /suggest) of this exact text, source and target, served ahead of the model and the cache; `model` is then 'community-correction'.",
    }),
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
