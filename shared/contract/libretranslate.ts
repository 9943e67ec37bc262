import { z } from '@hono/zod-openapi';

/**
 * The LibreTranslate API's request and response bodies, so existing LibreTranslate clients work
 * unchanged. Its language codes are ISO 639-1 where one exists; FLORES-200 codes are accepted too.
 */
export const LtTranslateRequestSchema = z
  .object({
    q: z.union([z.string(), z.array(z.string())]),
    source: z.string().min(1).default('auto').openapi({ description: "'auto' to detect" }),
    target: z.string().min(1),
    format: z.enum(['text', 'html']).default('text'),
    alternatives: z.number().int().min(0).max(3).optional(),
    api_key: z.string().optional(),
  })
  .openapi('LibreTranslateRequest');

export const LtDetectedLanguageSchema = z
  .object({
    confidence: z.number().int().min(0).max(100).openapi({ description: 'Whole percent, as LibreTranslate reports it' }),
    language: z.string().openapi({ description: 'LibreTranslate code (ISO 639-1 where unambiguous, else FLORES-200)', example: 'sw' }),
  })
  .openapi('LibreTranslateDetectedLanguage');

export const LtTranslateResponseSchema = z
  .object({
    translatedText: z.union([z.string(), z.array(z.string())]),
    detectedLanguage: z
      .union([LtDetectedLanguageSchema, z.array(LtDetectedLanguageSchema)])
      .optional()
      .openapi({ description: "Only when source is 'auto'; one per text for an array" }),
    alternatives: z
      .union([z.array(z.string()), z.array(z.array(z.string()))])
      .optional()
      .openapi({ description: 'Only when alternatives > 0 was asked: other translations, best first (one list per text for an array; possibly fewer than asked)' }),
  })
  .openapi('LibreTranslateResponse');

export const LtDetectRequestSchema = z
  .object({ q: z.string(), api_key: z.string().optional() })
  .openapi('LibreTranslateDetectRequest');

export const LtDetectResponseSchema = z.array(LtDetectedLanguageSchema).openapi('LibreTranslateDetectResponse');

export const LtLanguageSchema = z.object({ code: z.string(), name: z.string(), targets: z.array(z.string()) });
export const LtLanguagesResponseSchema = z.array(LtLanguageSchema).openapi('LibreTranslateLanguages');

export type LtTranslateRequest = z.infer<typeof LtTranslateRequestSchema>;
export type LtTranslateResponse = z.infer<typeof LtTranslateResponseSchema>;
export type LtDetectedLanguage = z.infer<typeof LtDetectedLanguageSchema>;
export type LtDetectResponse = z.infer<typeof LtDetectResponseSchema>;
export type LtLanguage = z.infer<typeof LtLanguageSchema>;
