import { z } from '@hono/zod-openapi';
import { SCRIPT_CODE_PATTERN } from '../languages/flores.js';
import { FloresCode } from './common.js';

export const REGIONS = ['Africa', 'Americas', 'Asia', 'Europe', 'Middle East', 'Oceania'] as const;
export const RegionSchema = z.enum(REGIONS).openapi('Region');

export const LanguageSchema = z
  .object({
    code: FloresCode,
    name: z.string().openapi({ example: 'Swahili' }),
    native_name: z.string().openapi({ example: 'Kiswahili' }),
    script: z.string().regex(SCRIPT_CODE_PATTERN).openapi({ description: 'ISO 15924 script code', example: 'Latn' }),
    region: RegionSchema,
    iso_639_1: z.string().length(2).nullable(),
    iso_639_3: z.string().length(3),
    african: z.boolean(),
    popular: z.boolean(),
    lid176_detectable: z.boolean().openapi({ description: 'Whether fastText lid.176 can name this language' }),
  })
  .openapi('Language');

export const LanguageListSchema = z
  .object({ languages: z.array(LanguageSchema), count: z.number().int().nonnegative() })
  .openapi('LanguageList');

export const LanguageSearchResponseSchema = z
  .object({ query: z.string(), results: z.array(LanguageSchema), count: z.number().int().nonnegative() })
  .openapi('LanguageSearchResponse');

export const LanguageStatsSchema = z
  .object({
    total: z.number().int(),
    african: z.number().int(),
    popular: z.number().int(),
    lid176_detectable: z.number().int(),
    by_region: z.record(z.string(), z.number().int()),
    by_script: z.record(z.string(), z.number().int()),
  })
  .openapi('LanguageStats');

export const LanguageSearchQuerySchema = z.object({
  q: z.string().openapi({ param: { name: 'q', in: 'query' }, description: 'At least 2 characters', example: 'swa' }),
  limit: z.coerce.number().int().min(1).max(202).optional().openapi({ param: { name: 'limit', in: 'query' } }),
});

export type Region = z.infer<typeof RegionSchema>;
export type Language = z.infer<typeof LanguageSchema>;
export type LanguageList = z.infer<typeof LanguageListSchema>;
export type LanguageStats = z.infer<typeof LanguageStatsSchema>;
