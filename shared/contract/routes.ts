import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema } from './common.js';
import { DetectRequestSchema, DetectResponseSchema } from './detect.js';
import { EdgeHealthResponseSchema, HealthResponseSchema, InferenceStatusResponseSchema } from './health.js';
import {
  LtDetectRequestSchema,
  LtDetectResponseSchema,
  LtLanguagesResponseSchema,
  LtTranslateRequestSchema,
  LtTranslateResponseSchema,
} from './libretranslate.js';
import { TranslateRequestSchema, TranslateResponseSchema } from './translate.js';

/**
 * Route definitions of the API (method, path, bodies, error responses). Both apps register their
 * handlers against these, and the OpenAPI document is generated from them.
 */
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, json(ErrorBodySchema, errorDescriptions[status] ?? 'Error')]));

const errorDescriptions: Record<number, string> = {
  400: 'INVALID_JSON, VALIDATION_FAILED or UNSUPPORTED_LANGUAGE',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND or UNSUPPORTED_LANGUAGE',
  413: 'BODY_TOO_LARGE, TEXT_TOO_LONG or BATCH_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED (with Retry-After)',
  500: 'INTERNAL',
  502: 'UPSTREAM_UNAVAILABLE',
  503: 'OVERLOADED, MODEL_UNAVAILABLE or UPSTREAM_UNAVAILABLE (with Retry-After)',
  504: 'UPSTREAM_TIMEOUT or DEADLINE_EXCEEDED',
};

const requestErrors = errors(400, 401, 413, 415, 429, 500, 502, 503, 504);

export const translateRoute = createRoute({
  method: 'post',
  path: '/api/v1/translate',
  tags: ['Translation'],
  summary: 'Translate one text or a batch of texts',
  request: { body: { ...json(TranslateRequestSchema, 'One text or an array of texts'), required: true } },
  responses: { 200: json(TranslateResponseSchema, 'A TranslationResult for one text, a BatchTranslationResponse for an array'), ...requestErrors },
});

export const detectRoute = createRoute({
  method: 'post',
  path: '/api/v1/detect-language',
  tags: ['Language detection'],
  summary: 'Identify the language of a text',
  request: { body: { ...json(DetectRequestSchema, 'The text to identify'), required: true } },
  responses: { 200: json(DetectResponseSchema, 'The detected language with alternatives'), ...requestErrors },
});

export const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Liveness (the edge also reports its origins)',
  responses: { 200: json(z.union([EdgeHealthResponseSchema, HealthResponseSchema]), 'Alive') },
});

export const statusRoute = createRoute({
  method: 'get',
  path: '/status',
  tags: ['Operations'],
  summary: 'Readiness of the inference container: model, queue, batches',
  responses: { 200: json(InferenceStatusResponseSchema, 'Ready'), ...errors(401, 503) },
});

export const ltTranslateRoute = createRoute({
  method: 'post',
  path: '/translate',
  tags: ['LibreTranslate compatibility'],
  summary: 'LibreTranslate-compatible translate',
  request: { body: { ...json(LtTranslateRequestSchema, 'LibreTranslate body'), required: true } },
  responses: { 200: json(LtTranslateResponseSchema, 'LibreTranslate response'), ...requestErrors },
});

export const ltDetectRoute = createRoute({
  method: 'post',
  path: '/detect',
  tags: ['LibreTranslate compatibility'],
  summary: 'LibreTranslate-compatible detect',
  request: { body: { ...json(LtDetectRequestSchema, 'LibreTranslate body'), required: true } },
  responses: { 200: json(LtDetectResponseSchema, 'Candidates, confidence 0-100'), ...requestErrors },
});

export const ltLanguagesRoute = createRoute({
  method: 'get',
  path: '/languages',
  tags: ['LibreTranslate compatibility'],
  summary: 'LibreTranslate-compatible language list',
  responses: { 200: json(LtLanguagesResponseSchema, 'Languages with their targets') },
});

export const API_ROUTES = [translateRoute, detectRoute, healthRoute, statusRoute, ltTranslateRoute, ltDetectRoute, ltLanguagesRoute] as const;
