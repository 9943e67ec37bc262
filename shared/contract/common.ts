import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../errors.js';
import { FLORES_CODE_PATTERN } from '../languages/flores.js';

/** A language as a client may write it: FLORES-200 (`swh_Latn`), ISO 639-1 (`sw`) or ISO 639-3 (`swh`). */
export const LanguageCodeInput = z
  .string()
  .min(1)
  .max(32)
  .openapi({ description: 'FLORES-200 (swh_Latn), ISO 639-1 (sw) or ISO 639-3 (swh); normalised to FLORES-200', example: 'swh_Latn' });

/** A normalised FLORES-200 code as the API returns it. */
export const FloresCode = z.string().regex(FLORES_CODE_PATTERN).openapi({ example: 'swh_Latn' });

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [string, ...string[]]).openapi({ example: 'TEXT_TOO_LONG' }),
      message: z.string().openapi({ example: 'text has 6012 characters; the limit is 5000' }),
      status: z.number().int(),
      request_id: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi('Error');

/** Characters as users count them: Unicode code points, not UTF-16 units. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
