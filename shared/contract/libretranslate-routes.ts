import { createRoute, z } from '@hono/zod-openapi';
import {
  LtDetectRequestSchema,
  LtDetectResponseSchema,
  LtErrorSchema,
  LtFrontendSettingsSchema,
  LtLanguagesResponseSchema,
  LtSuggestRequestSchema,
  LtSuggestResponseSchema,
  LtTranslateRequestSchema,
  LtTranslateResponseSchema,
} from './libretranslate.js';

/**
 * The LibreTranslate API's routes (LibreTranslate's app.py), served by both apps. Each app registers
 * them with `app.openapi(route, handler)`, so they are in its /openapi.json.
 *
 * A request body is documented as JSON, urlencoded and multipart with the same fields, but as plain
 * JSON Schema rather than a zod schema: zod-openapi validates bodies whose schema is zod (and answers
 * 415 for other media types), while these bodies are read and checked the way LibreTranslate reads
 * them (shared/libretranslate/validated-body.ts). Every error is `{"error": "<message>"}`.
 */
const BODY_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'] as const;

function ltBody(schema: z.ZodType, description: string) {
  const document = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete document.$schema;
  return {
    description,
    required: true,
    content: Object.fromEntries(BODY_MEDIA_TYPES.map((mediaType) => [mediaType, { schema: document }])),
  };
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

const ltError = (description: string) => json(LtErrorSchema, `${description}. The stable code is in the X-Error-Code header.`);

const requestErrors = {
  400: ltError('Invalid request: a missing or bad parameter, a text or batch over the limit, an unsupported language, a body that cannot be parsed'),
  403: ltError('Invalid API key'),
  413: ltError('BODY_TOO_LARGE: the body is larger than MAX_BODY_BYTES'),
  429: ltError('Slowdown: rate limit (with Retry-After)'),
  500: ltError('Internal error'),
  502: ltError('UPSTREAM_UNAVAILABLE'),
  503: ltError('OVERLOADED, MODEL_UNAVAILABLE or UPSTREAM_UNAVAILABLE (with Retry-After)'),
  504: ltError('UPSTREAM_TIMEOUT or DEADLINE_EXCEEDED'),
};

const TAGS = ['LibreTranslate compatibility'];

export const libreTranslateRoute = createRoute({
  method: 'post',
  path: '/translate',
  tags: TAGS,
  summary: 'LibreTranslate-compatible translate (JSON, urlencoded or multipart body)',
  request: { body: ltBody(LtTranslateRequestSchema, 'LibreTranslate body') },
  responses: { 200: json(LtTranslateResponseSchema, 'LibreTranslate response'), ...requestErrors },
});

export const libreDetectRoute = createRoute({
  method: 'post',
  path: '/detect',
  tags: TAGS,
  summary: 'LibreTranslate-compatible detect (JSON, urlencoded or multipart body)',
  request: { body: ltBody(LtDetectRequestSchema, 'LibreTranslate body') },
  responses: { 200: json(LtDetectResponseSchema, 'Candidates, best first, confidence in whole percent'), ...requestErrors },
});

export const libreLanguagesRoute = createRoute({
  method: 'get',
  path: '/languages',
  tags: TAGS,
  summary: 'LibreTranslate-compatible language list (a request body, as libretranslatepy sends one, is ignored)',
  responses: { 200: json(LtLanguagesResponseSchema, 'Languages with their targets') },
});

export const libreSuggestRoute = createRoute({
  method: 'post',
  path: '/suggest',
  tags: TAGS,
  summary: 'Submit a better translation of one exact text (when the SUGGESTIONS setting allows)',
  request: { body: ltBody(LtSuggestRequestSchema, 'LibreTranslate body') },
  responses: {
    200: json(LtSuggestResponseSchema, 'Stored; served from now on for this exact text, source and target'),
    400: requestErrors[400],
    403: ltError('Suggestions are disabled on this server, an API key is required, or the API key is invalid'),
    413: requestErrors[413],
    429: ltError('Slowdown: the daily suggestion limit of this client (with Retry-After)'),
    500: requestErrors[500],
  },
});

export const libreFrontendSettingsRoute = createRoute({
  method: 'get',
  path: '/frontend/settings',
  tags: TAGS,
  summary: "LibreTranslate's web UI settings: limits, API keys, suggestions, file formats, default languages",
  responses: { 200: json(LtFrontendSettingsSchema, 'Settings') },
});

export const libreSpecRoute = createRoute({
  method: 'get',
  path: '/spec',
  tags: TAGS,
  summary: "The OpenAPI document (LibreTranslate's /spec; the same as /openapi.json)",
  responses: { 200: json(z.record(z.string(), z.unknown()), 'OpenAPI 3 document') },
});
