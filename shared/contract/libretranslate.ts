import { z } from '@hono/zod-openapi';

/**
 * The LibreTranslate API's request and response bodies, so existing LibreTranslate clients work
 * unchanged. Its language codes are ISO 639-1 where one exists; FLORES-200 codes are accepted too.
 *
 * The request schemas document the fields; they are not what checks a request: a LibreTranslate body
 * may be JSON, urlencoded or multipart, and is read and checked the way LibreTranslate does it
 * (shared/libretranslate/body.ts, then the LibreTranslate validators of validate.ts).
 */
const ApiKeyField = z.string().optional().openapi({ description: 'API key (like `Authorization: Bearer <key>`)' });

export const LtTranslateRequestSchema = z
  .object({
    q: z.union([z.string(), z.array(z.string())]).openapi({
      description: 'Text(s) to translate. A form sends one string (its first `q`); JSON may send an array. Line endings of a form are normalised to LF, a trailing one dropped, as LibreTranslate does.',
    }),
    source: z.string().min(1).openapi({ description: "Source language code, or 'auto' to detect" , example: 'en' }),
    target: z.string().min(1).openapi({ example: 'sw' }),
    format: z.enum(['text', 'html']).default('text'),
    alternatives: z.union([z.number().int().min(0).max(3), z.string()]).optional().openapi({ description: 'Other translations to return (0–3); a form sends it as a string' }),
    api_key: ApiKeyField,
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
  .object({ q: z.string(), api_key: ApiKeyField })
  .openapi('LibreTranslateDetectRequest');

export const LtDetectResponseSchema = z.array(LtDetectedLanguageSchema).openapi('LibreTranslateDetectResponse');

export const LtLanguageSchema = z.object({ code: z.string(), name: z.string(), targets: z.array(z.string()) });
export const LtLanguagesResponseSchema = z.array(LtLanguageSchema).openapi('LibreTranslateLanguages');

/** LibreTranslate's one error shape, on its routes only (the stable code is in the X-Error-Code header). */
export const LtErrorSchema = z
  .object({ error: z.string().openapi({ example: 'Invalid request: missing q parameter' }) })
  .openapi('LibreTranslateError');

export const LtSuggestRequestSchema = z
  .object({
    q: z.string().openapi({ description: 'Original text, exactly as it is translated', example: 'Hello world!' }),
    s: z.string().openapi({ description: 'Suggested translation', example: 'Habari dunia!' }),
    source: z.string().openapi({ description: 'Language of the original text', example: 'en' }),
    target: z.string().openapi({ description: 'Language of the suggested translation', example: 'sw' }),
    api_key: ApiKeyField,
  })
  .openapi('LibreTranslateSuggestRequest');

export const LtSuggestResponseSchema = z.object({ success: z.literal(true) }).openapi('LibreTranslateSuggestResponse');

const LtNamedLanguageSchema = z.object({ code: z.string(), name: z.string() });

/** GET /frontend/settings, field for field as LibreTranslate's app.py answers it. */
export const LtFrontendSettingsSchema = z
  .object({
    charLimit: z.number().int().openapi({ description: 'Characters per request (-1: no limit)' }),
    frontendTimeout: z.number().int().openapi({ description: 'Milliseconds the web UI waits before translating what is typed' }),
    apiKeys: z.boolean().openapi({ description: 'Whether API keys are in use' }),
    keyRequired: z.boolean().openapi({ description: 'Whether an API key is required' }),
    suggestions: z.boolean().openapi({ description: 'Whether POST /suggest accepts suggestions' }),
    filesTranslation: z.boolean(),
    supportedFilesFormat: z.array(z.string()),
    language: z.object({ source: LtNamedLanguageSchema, target: LtNamedLanguageSchema }),
  })
  .openapi('LibreTranslateFrontendSettings');

export type LtTranslateRequest = z.infer<typeof LtTranslateRequestSchema>;
export type LtTranslateResponse = z.infer<typeof LtTranslateResponseSchema>;
export type LtDetectedLanguage = z.infer<typeof LtDetectedLanguageSchema>;
export type LtDetectResponse = z.infer<typeof LtDetectResponseSchema>;
export type LtLanguage = z.infer<typeof LtLanguageSchema>;
export type LtErrorBody = z.infer<typeof LtErrorSchema>;
export type LtFrontendSettings = z.infer<typeof LtFrontendSettingsSchema>;
