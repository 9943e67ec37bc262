import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema } from '../contract/common.js';
import {
  LanguageListSchema,
  LanguageSchema,
  LanguageSearchQuerySchema,
  LanguageSearchResponseSchema,
  LanguageStatsSchema,
  REGIONS,
} from '../contract/languages.js';

/**
 * OpenAPI route definitions of the language routes, relative to the mount point (/api/v1). Exported so
 * the OpenAPI document and typed clients can use them; app.ts binds the handlers.
 */

const tags = ['Languages'];

const cacheHeaders = z.object({
  ETag: z.string().openapi({ description: 'Strong validator of the body; send it back in If-None-Match' }),
  'Cache-Control': z.string().openapi({ example: 'public, max-age=3600, stale-while-revalidate=86400' }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: cacheHeaders,
  content: { 'application/json': { schema } },
});

const notModified = { description: 'Not modified: the If-None-Match tag matches', headers: cacheHeaders };
const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBodySchema } } });

const listRoute = (path: string, summary: string) =>
  createRoute({
    method: 'get',
    path,
    tags,
    summary,
    responses: { 200: json(LanguageListSchema, 'Languages in tokenizer order'), 304: notModified },
  });

export const listLanguagesRoute = listRoute('/languages', 'All 202 NLLB-200 languages');
export const popularLanguagesRoute = listRoute('/languages/popular', 'Widely used languages, including the big African ones');
export const africanLanguagesRoute = listRoute('/languages/african', 'Languages of Africa');

export const RegionParamSchema = z.object({
  region: z.string().openapi({
    param: { name: 'region', in: 'path' },
    description: `One of ${REGIONS.join(', ')}; case-insensitive, "middle-east" accepted`,
    example: 'africa',
  }),
});

export const languagesByRegionRoute = createRoute({
  method: 'get',
  path: '/languages/region/{region}',
  tags,
  summary: 'Languages of one region',
  request: { params: RegionParamSchema },
  responses: {
    200: json(LanguageListSchema, 'Languages of the region in tokenizer order'),
    304: notModified,
    400: error('Unknown region (VALIDATION_FAILED, details.allowed lists the regions)'),
  },
});

export const searchLanguagesRoute = createRoute({
  method: 'get',
  path: '/languages/search',
  tags,
  summary: 'Search by code, English name or native name (case- and diacritics-insensitive)',
  request: { query: LanguageSearchQuerySchema },
  responses: {
    200: json(LanguageSearchResponseSchema, 'Matches: exact, then prefix, then substring'),
    304: notModified,
    400: error('q shorter than 2 characters or an invalid limit (VALIDATION_FAILED)'),
  },
});

export const languageStatsRoute = createRoute({
  method: 'get',
  path: '/languages/stats',
  tags,
  summary: 'Counts by region and script',
  responses: { 200: json(LanguageStatsSchema, 'Language statistics'), 304: notModified },
});

export const LanguageCodeParamSchema = z.object({
  code: z.string().openapi({
    param: { name: 'code', in: 'path' },
    description: 'FLORES-200 (swh_Latn), ISO 639-1 (sw), ISO 639-3 (swh) or an alias (swa, zh-TW)',
    example: 'swh_Latn',
  }),
});

export const getLanguageRoute = createRoute({
  method: 'get',
  path: '/languages/{code}',
  tags,
  summary: 'One language, by any accepted code',
  request: { params: LanguageCodeParamSchema },
  responses: {
    200: json(LanguageSchema, 'The language'),
    304: notModified,
    404: error('Unknown language (UNSUPPORTED_LANGUAGE, details.suggestions lists close codes)'),
  },
});

/** All language routes, in registration order (specific paths before /languages/{code}). */
export const languageRoutes = [
  listLanguagesRoute,
  popularLanguagesRoute,
  africanLanguagesRoute,
  languagesByRegionRoute,
  searchLanguagesRoute,
  languageStatsRoute,
  getLanguageRoute,
] as const;
