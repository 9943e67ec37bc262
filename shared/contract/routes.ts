import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema } from './common.js';
import { DetectRequestSchema, DetectResponseSchema } from './detect.js';
import {
  AdminReloadResponseSchema,
  EdgeHealthResponseSchema,
  HealthResponseSchema,
  InferenceStatusResponseSchema,
} from './health.js';
import { TranslateRequestSchema, TranslateResponseSchema } from './translate.js';

/**
 * Route definitions of the API outside /api/v1/languages (those are in shared/languages/routes.ts):
 * method, path, request body and every response. Each app registers the ones it serves with
 * `app.openapi(route, handler)` (edge/routes/, inference/routes/), and serves at /openapi.json the
 * document generated from what it registered (openapi.ts).
 *
 * A JSON body is checked by the route's `middleware` first (shared/http/validated-body.ts: 415, 413,
 * INVALID_JSON, then the shared validators of validate.ts with their codes); the body schema here is
 * the documentation, and zod-openapi's own check of it only re-reads what that middleware accepted.
 */
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const errorDescriptions = {
  400: 'INVALID_JSON, VALIDATION_FAILED or UNSUPPORTED_LANGUAGE',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  413: 'BODY_TOO_LARGE, TEXT_TOO_LONG, BATCH_TOO_LARGE or WORK_TOO_LARGE (the container: the request alone cannot finish within its deadline)',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED or QUOTA_EXCEEDED (with Retry-After)',
  500: 'INTERNAL',
  502: 'UPSTREAM_UNAVAILABLE',
  503: 'OVERLOADED, MODEL_UNAVAILABLE or UPSTREAM_UNAVAILABLE (with Retry-After)',
  504: 'UPSTREAM_TIMEOUT or DEADLINE_EXCEEDED',
} as const;

type ErrorStatus = keyof typeof errorDescriptions;
type ErrorResponses<S extends ErrorStatus> = { [K in S]: ReturnType<typeof json<typeof ErrorBodySchema>> };

/** The error responses of a route, each the shared envelope, keyed by status (typed, for the handlers). */
function errors<S extends ErrorStatus>(...statuses: S[]): ErrorResponses<S> {
  const responses: Partial<ErrorResponses<S>> = {};
  for (const status of statuses) responses[status] = json(ErrorBodySchema, errorDescriptions[status]);
  return responses as ErrorResponses<S>;
}

/** What can refuse a JSON request: the body layers, the edge secret (container), limits, the origin or model. */
const requestErrors = errors(400, 401, 413, 415, 429, 500, 502, 503, 504);

const jsonBody = <T extends z.ZodType>(schema: T, description: string) => ({ ...json(schema, description), required: true });

export const translateRoute = createRoute({
  method: 'post',
  path: '/api/v1/translate',
  tags: ['Translation'],
  summary: 'Translate one text or a batch of texts',
  request: { body: jsonBody(TranslateRequestSchema, 'One text or an array of texts') },
  responses: {
    200: json(TranslateResponseSchema, 'A TranslationResult for one text, a BatchTranslationResponse for an array'),
    ...requestErrors,
    404: json(ErrorBodySchema, "GLOSSARY_NOT_FOUND: options.glossary_id names no glossary of the calling key"),
  },
});

export const detectRoute = createRoute({
  method: 'post',
  path: '/api/v1/detect-language',
  tags: ['Language detection'],
  summary: 'Identify the language of a text',
  request: { body: jsonBody(DetectRequestSchema, 'The text to identify') },
  responses: { 200: json(DetectResponseSchema, 'The detected language with alternatives'), ...requestErrors },
});

/** The container's liveness: answers while the model works, never touches the engine. */
export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness of the inference container',
  responses: { 200: json(HealthResponseSchema, 'Alive') },
});

/** The edge's liveness, with each origin's circuit as this isolate sees it; no I/O. */
export const edgeHealthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: "Liveness of the edge and its origins' circuits",
  responses: { 200: json(EdgeHealthResponseSchema, 'Alive; status says whether origins are reachable') },
});

export const statusRoute = createRoute({
  method: 'get',
  path: '/status',
  tags: ['Operations'],
  summary: 'Readiness of the inference container: model, queue, batches',
  responses: { 200: json(InferenceStatusResponseSchema, 'Ready'), ...errors(401) },
});

export const metricsRoute = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['Operations'],
  summary: 'Prometheus metrics of the inference container (Bearer METRICS_TOKEN when set)',
  responses: {
    200: { content: { 'text/plain': { schema: z.string() } }, description: 'Prometheus text exposition format 0.0.4' },
    ...errors(401),
  },
});

export const adminReloadRoute = createRoute({
  method: 'post',
  path: '/admin/reload',
  tags: ['Operations'],
  summary: 'Resolve and load the model again beside the serving one, then swap (Bearer ADMIN_TOKEN)',
  responses: {
    200: json(AdminReloadResponseSchema, 'The new model serves'),
    ...errors(401, 503),
    404: json(ErrorBodySchema, 'NOT_FOUND: the admin API is disabled (no ADMIN_TOKEN)'),
  },
});

