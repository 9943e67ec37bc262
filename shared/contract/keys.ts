import { z } from '@hono/zod-openapi';
import { DisplayNameSchema } from './names.js';

/**
 * Longest key name, in characters (code points). The record is also the key's KV metadata (at most
 * 1024 bytes serialised): 100 code points are at most 400 bytes of UTF-8, which leaves room for the rest.
 */
export const MAX_KEY_NAME_LENGTH = 100;
/** At most this many keys per page of GET /api/v1/admin/keys. */
export const MAX_KEYS_PAGE = 100;

const KeyName = DisplayNameSchema(MAX_KEY_NAME_LENGTH).openapi({
  description: `A label for people (1–${MAX_KEY_NAME_LENGTH} characters; no control characters, lone surrogates or bidirectional controls); never the key`,
  example: 'acme staging',
});

const positive = (max: number, description: string) => z.number().int().min(1).max(max).openapi({ description });
/** null = unlimited. */
const quota = (description: string) => positive(1e12, description).nullable();

/** What a client may set; absent fields keep their value (update) or their default (create). */
export const KeyLimitsInputSchema = z
  .object({
    requests_per_minute: positive(1_000_000, 'Requests per rate-limit window (RATE_LIMIT_WINDOW_SECONDS); default RATE_LIMIT_PER_MINUTE').optional(),
    cost_per_minute: positive(1e12, 'Work units per window (shared/cost.ts); null (the default): COST_BUDGET_PER_MINUTE scaled by requests_per_minute / RATE_LIMIT_PER_MINUTE').nullable().optional(),
    characters_per_day: quota('Characters per UTC day; null = unlimited (the default)').optional(),
    characters_per_month: quota('Characters per UTC calendar month; null = unlimited (the default)').optional(),
  })
  .strict()
  .openapi('KeyLimitsInput');

export const KeyLimitsSchema = z
  .object({
    requests_per_minute: z.number().int().positive(),
    /** The effective budget (the key's own or the scaled default). */
    cost_per_minute: z.number().int().positive(),
    characters_per_day: z.number().int().positive().nullable(),
    characters_per_month: z.number().int().positive().nullable(),
  })
  .openapi('KeyLimits');

export const CreateKeyRequestSchema = z.object({ name: KeyName, limits: KeyLimitsInputSchema.optional() }).strict().openapi('CreateKeyRequest');

export const UpdateKeyRequestSchema = z
  .object({ name: KeyName.optional(), limits: KeyLimitsInputSchema.optional() })
  .strict()
  .refine((body) => body.name !== undefined || body.limits !== undefined, { message: 'nothing to update: give name or limits' })
  .openapi('UpdateKeyRequest');

export const WindowUsageSchema = z
  .object({
    used: z.number().int().nonnegative().openapi({ description: 'Characters served in this window (cache hits included)' }),
    limit: z.number().int().positive().nullable().openapi({ description: 'null = unlimited' }),
    remaining: z.number().int().nonnegative().nullable(),
    resets_at: z.string().datetime().openapi({ description: 'When the window ends (00:00 UTC; the 1st of the month for the month)' }),
  })
  .openapi('WindowUsage');

export const KeyUsageSchema = z.object({ day: WindowUsageSchema, month: WindowUsageSchema }).openapi('KeyUsage');

export const KeySummarySchema = z
  .object({
    id: z.string().openapi({ example: 'key_3f2a9c0d1e4b5a6978c0d1e2', description: 'Names the key in the admin API; not the key' }),
    name: z.string(),
    limits: KeyLimitsSchema,
    created_at: z.string().datetime().nullable().openapi({ description: 'null for keys written into API_KEYS by hand' }),
    last_used_at: z.string().datetime().nullable().openapi({ description: 'The last request with the key (stored at most once a minute, so up to a minute old)' }),
    revoked_at: z.string().datetime().nullable(),
    usage: KeyUsageSchema,
  })
  .openapi('KeySummary');

export const CreatedKeySchema = KeySummarySchema.extend({
  key: z.string().openapi({ description: 'The API key. Shown once: only its SHA-256 is stored', example: 'sk_4mZ…' }),
}).openapi('CreatedKey');

export const KeyListSchema = z
  .object({
    keys: z.array(KeySummarySchema),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as ?cursor= for the next page; null on the last' }),
  })
  .openapi('KeyList');

export const KeyListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_KEYS_PAGE).optional().openapi({ description: `Keys per page (1–${MAX_KEYS_PAGE}, default ${MAX_KEYS_PAGE})` }),
  cursor: z.string().max(1024).optional(),
});

export const KeyIdParamsSchema = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'key_3f2a9c0d1e4b5a6978c0d1e2' }) });

export const UsageResponseSchema = z
  .object({
    key: z.object({ id: z.string(), name: z.string() }),
    character_count: z.number().int().nonnegative().openapi({ description: "As DeepL's /v2/usage: characters this month" }),
    character_limit: z.number().int().positive().nullable().openapi({ description: "As DeepL's /v2/usage: the monthly quota (null = unlimited)" }),
    day: WindowUsageSchema,
    month: WindowUsageSchema,
    rate_limit: z.object({ requests_per_minute: z.number().int().positive(), cost_per_minute: z.number().int().positive(), window_seconds: z.number().int().positive() }),
    cache_hits_counted: z.literal(true).openapi({ description: 'Characters served from the cache count like any others' }),
  })
  .openapi('Usage');

export type KeyLimitsInput = z.infer<typeof KeyLimitsInputSchema>;
export type KeyLimits = z.infer<typeof KeyLimitsSchema>;
export type KeySummary = z.infer<typeof KeySummarySchema>;
export type KeyUsage = z.infer<typeof KeyUsageSchema>;
export type UsageResponse = z.infer<typeof UsageResponseSchema>;
