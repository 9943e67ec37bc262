import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../errors.js';
import type { Limits } from '../limits.js';
import { ErrorBodySchema, FloresCode, LanguageCodeInput, characterCount } from './common.js';
import { isBlankText, isMissing, ltFields, ltLanguage, ltMissing, ltText, resolveLanguageOrThrow, validationError } from './validate.js';

/**
 * Community corrections: a better translation of one exact text from one language into another,
 * served from then on ahead of the model and of cached model output (marked `correction: true` in
 * the result). POST /api/v1/suggestions and LibreTranslate's POST /suggest store them, when the
 * server's SUGGESTIONS setting allows; an admin lists and deletes them.
 */
export const SUGGESTIONS_MODES = ['off', 'api_keys', 'all'] as const;
export type SuggestionsMode = (typeof SUGGESTIONS_MODES)[number];

export const SuggestionRequestSchema = z
  .object({
    text: z.string().openapi({ description: 'The original text, exactly as it is sent to translate (a correction matches that exact text only)', example: 'Good morning' }),
    translation: z.string().openapi({ description: 'The corrected translation', example: 'Habari za asubuhi' }),
    source_language: LanguageCodeInput,
    target_language: LanguageCodeInput,
  })
  .strict()
  .openapi('SuggestionRequest');

export const SuggestionSchema = z
  .object({
    id: z.string().openapi({ description: 'Stable id of (text, source, target): a later suggestion for the same text replaces this one' }),
    text: z.string(),
    translation: z.string(),
    source_language: FloresCode,
    target_language: FloresCode,
    submitted_by: z.string().openapi({ description: "Who sent it: 'key:<SHA-256 of the API key>' or 'ip:<client address group>'" }),
    created_at: z.string().datetime(),
  })
  .openapi('Suggestion');

export const SuggestionCreatedSchema = SuggestionSchema.omit({ submitted_by: true }).openapi('SuggestionCreated');

export const SuggestionListSchema = z
  .object({
    suggestions: z.array(SuggestionSchema),
    cursor: z.string().nullable().openapi({ description: 'Pass as ?cursor= for the next page; null on the last' }),
  })
  .openapi('SuggestionList');

export const SuggestionListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ description: 'Suggestions per page (1–100)' }),
  cursor: z.string().max(2048).optional(),
});

export const SuggestionIdParamsSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/).openapi({ param: { name: 'id', in: 'path' }, description: 'The id of a suggestion' }),
});

export const SuggestionDeletedSchema = z.object({ id: z.string(), deleted: z.literal(true) }).openapi('SuggestionDeleted');

export type SuggestionRequest = z.infer<typeof SuggestionRequestSchema>;
export type Suggestion = z.infer<typeof SuggestionSchema>;
export type SuggestionList = z.infer<typeof SuggestionListSchema>;

/** A suggestion after every check: FLORES-200 codes, texts within the limits. */
export interface NormalizedSuggestion {
  text: string;
  translation: string;
  source: string;
  target: string;
  characterCount: number;
}

function checkSuggestionTexts(text: string, translation: string, limits: Pick<Limits, 'MAX_CHARACTERS'>, names: [string, string]): number {
  let total = 0;
  for (const [value, name] of [[text, names[0]], [translation, names[1]]] as const) {
    if (isBlankText(value)) throw new AppError('VALIDATION_FAILED', `${name} is empty or only whitespace and invisible characters`);
    const count = characterCount(value);
    if (count > limits.MAX_CHARACTERS) {
      throw new AppError('TEXT_TOO_LONG', `${name} has ${count} characters; the limit is ${limits.MAX_CHARACTERS}`, {
        details: { characters: count, limit: limits.MAX_CHARACTERS, field: name },
      });
    }
    total += count;
  }
  return total;
}

/** POST /api/v1/suggestions's JSON body, in the layers of the translate body (schema → texts → languages). */
export function validateSuggestionRequest(body: unknown, limits: Pick<Limits, 'MAX_CHARACTERS'>): NormalizedSuggestion {
  const parsed = SuggestionRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const { text, translation, source_language, target_language } = parsed.data;
  const characters = checkSuggestionTexts(text, translation, limits, ['text', 'translation']);
  return {
    text,
    translation,
    source: resolveLanguageOrThrow(source_language, 'source_language'),
    target: resolveLanguageOrThrow(target_language, 'target_language'),
    characterCount: characters,
  };
}

/** LibreTranslate's POST /suggest fields (`q`, `s`, `source`, `target`), refused in its words and order. */
export function validateLtSuggestRequest(body: unknown, limits: Pick<Limits, 'MAX_CHARACTERS'>): NormalizedSuggestion {
  const fields = ltFields(body);
  for (const name of ['q', 's', 'source', 'target']) {
    if (isMissing(fields[name])) throw ltMissing(name);
  }
  const text = ltText(fields.q, 'q');
  const translation = ltText(fields.s, 's');
  const source = ltText(fields.source, 'source');
  if (source === 'auto') throw new AppError('VALIDATION_FAILED', 'Invalid request: source must be the language of q, not auto');
  const resolvedSource = ltLanguage(source);
  const resolvedTarget = ltLanguage(ltText(fields.target, 'target'));
  let characters: number;
  try {
    characters = checkSuggestionTexts(text, translation, limits, ['q', 's']);
  } catch (err) {
    if (err instanceof AppError) throw new AppError(err.code, `Invalid request: ${err.message}`, { status: 400, ...(err.details ? { details: err.details } : {}) });
    throw err;
  }
  return { text, translation, source: resolvedSource, target: resolvedTarget, characterCount: characters };
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const error = (description: string) => json(ErrorBodySchema, description);
const ADMIN_ERRORS = {
  401: error("UNAUTHORIZED: not 'Authorization: Bearer <ADMIN_TOKEN>'"),
  404: error('NOT_FOUND: the admin API is disabled (no ADMIN_TOKEN), or no such suggestion'),
};

export const createSuggestionRoute = createRoute({
  method: 'post',
  path: '/api/v1/suggestions',
  tags: ['Community corrections'],
  summary: 'Suggest a better translation of one exact text (when the SUGGESTIONS setting allows)',
  request: { body: { ...json(SuggestionRequestSchema, 'The text, its corrected translation and both languages'), required: true } },
  responses: {
    201: json(SuggestionCreatedSchema, 'Stored; served from now on for this exact text, source and target'),
    400: error('INVALID_JSON, VALIDATION_FAILED or UNSUPPORTED_LANGUAGE'),
    401: error('UNAUTHORIZED: an invalid API key, or none while SUGGESTIONS is api_keys'),
    403: error('SUGGESTIONS_DISABLED: SUGGESTIONS is off'),
    413: error('BODY_TOO_LARGE or TEXT_TOO_LONG (text or translation over MAX_CHARACTERS)'),
    415: error('UNSUPPORTED_MEDIA_TYPE'),
    429: error('SUGGESTION_LIMIT_REACHED: SUGGESTIONS_PER_DAY of this client in the last 24 hours (with Retry-After)'),
  },
});

export const listSuggestionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/suggestions',
  tags: ['Community corrections'],
  summary: 'List stored corrections, a page at a time (Bearer ADMIN_TOKEN)',
  request: { query: SuggestionListQuerySchema },
  responses: { 200: json(SuggestionListSchema, 'A page of corrections'), 400: error('VALIDATION_FAILED'), ...ADMIN_ERRORS },
});

export const deleteSuggestionRoute = createRoute({
  method: 'delete',
  path: '/api/v1/suggestions/{id}',
  tags: ['Community corrections'],
  summary: 'Delete a correction: the model serves that text again (Bearer ADMIN_TOKEN)',
  request: { params: SuggestionIdParamsSchema },
  responses: { 200: json(SuggestionDeletedSchema, 'Deleted'), 400: error('VALIDATION_FAILED'), ...ADMIN_ERRORS },
});
