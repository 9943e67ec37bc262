import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema, FloresCode, LanguageCodeInput } from './common.js';
import { DisplayNameSchema } from './names.js';
import { GlossaryEntriesSchema, TERMINOLOGY_LIMITS } from './terminology.js';

/**
 * Glossaries stored per API key at the edge, DeepL-style: create (entries as JSON, or TSV/CSV text),
 * list, get with entries, delete; a translate request names one with `options.glossary_id`. A glossary
 * is immutable (edit = delete + create), so its id always means the same entries.
 */
export const GlossaryCreateRequestSchema = z
  .object({
    name: DisplayNameSchema(TERMINOLOGY_LIMITS.MAX_GLOSSARY_NAME_CHARACTERS).openapi({ example: 'App UI terms' }),
    target_language: LanguageCodeInput.openapi({ description: 'The language of the target terms; a request to another target cannot use the glossary.' }),
    source_language: LanguageCodeInput.optional().openapi({ description: 'When set, a request with another explicit source cannot use the glossary.' }),
    // Bounds (entries, term length, duplicates) are checked after parsing, each with its own code.
    entries: z.union([z.record(z.string(), z.string()), z.string()]).openapi({
      description: `At most ${TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES} entries (GLOSSARY_TOO_LARGE) of terms of at most ${TERMINOLOGY_LIMITS.MAX_TERM_CHARACTERS} characters, no source term twice (case-insensitively). Source term → target term as a JSON object, or the text of a TSV (source<TAB>target per line) or CSV (source,target per line, RFC 4180 quoting) file, as \`entries_format\` says.`,
    }),
    entries_format: z.enum(['json', 'tsv', 'csv']).default('json'),
  })
  .strict()
  .openapi('GlossaryCreateRequest');

export const GlossaryInfoSchema = z
  .object({
    glossary_id: z.string(),
    name: z.string(),
    source_language: FloresCode.nullable(),
    target_language: FloresCode,
    entry_count: z.number().int().nonnegative(),
    /** SHA-256 of the canonical entries (shared/glossary/canonical.ts): the cache keys translations made with exactly these entries by it (merged with inline entries: by the merge's hash). */
    content_hash: z.string(),
    creation_time: z.string().datetime(),
  })
  .openapi('GlossaryInfo');

export const GlossaryWithEntriesSchema = GlossaryInfoSchema.extend({ entries: GlossaryEntriesSchema }).openapi('GlossaryWithEntries');

export const GlossaryListSchema = z.object({ glossaries: z.array(GlossaryInfoSchema) }).openapi('GlossaryList');

export type GlossaryCreateRequest = z.output<typeof GlossaryCreateRequestSchema>;
export type GlossaryInfo = z.infer<typeof GlossaryInfoSchema>;
export type GlossaryWithEntries = z.infer<typeof GlossaryWithEntriesSchema>;

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const error = (description: string) => json(ErrorBodySchema, description);
const IdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const security = [{ bearerAuth: [] }];
const common = {
  401: error('UNAUTHORIZED: glossaries belong to an API key (Authorization: Bearer <key>)'),
  429: error('RATE_LIMITED (with Retry-After)'),
};

export const createGlossaryRoute = createRoute({
  method: 'post',
  path: '/api/v1/glossaries',
  tags: ['Glossaries'],
  summary: "Store a glossary for the calling API key",
  security,
  request: { body: { ...json(GlossaryCreateRequestSchema, 'The glossary'), required: true } },
  responses: {
    201: json(GlossaryInfoSchema, 'Stored'),
    400: error('INVALID_JSON, VALIDATION_FAILED (also a malformed TSV/CSV line, an empty or duplicate term) or UNSUPPORTED_LANGUAGE'),
    409: error(`GLOSSARY_LIMIT_REACHED: the key already has ${TERMINOLOGY_LIMITS.MAX_GLOSSARIES_PER_KEY} glossaries`),
    413: error(`BODY_TOO_LARGE, or GLOSSARY_TOO_LARGE: more than ${TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES} entries`),
    415: error('UNSUPPORTED_MEDIA_TYPE'),
    ...common,
  },
});

export const listGlossariesRoute = createRoute({
  method: 'get',
  path: '/api/v1/glossaries',
  tags: ['Glossaries'],
  summary: "The calling API key's glossaries (without entries)",
  security,
  responses: { 200: json(GlossaryListSchema, 'Newest first'), ...common },
});

export const getGlossaryRoute = createRoute({
  method: 'get',
  path: '/api/v1/glossaries/{id}',
  tags: ['Glossaries'],
  summary: 'One glossary with its entries',
  security,
  request: { params: IdParam },
  responses: { 200: json(GlossaryWithEntriesSchema, 'The glossary'), 404: error("GLOSSARY_NOT_FOUND (also another key's glossary)"), ...common },
});

export const deleteGlossaryRoute = createRoute({
  method: 'delete',
  path: '/api/v1/glossaries/{id}',
  tags: ['Glossaries'],
  summary: 'Delete a glossary; requests naming it are refused from then on',
  security,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, 404: error("GLOSSARY_NOT_FOUND (also another key's glossary)"), ...common },
});
