import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBodySchema } from './common.js';
import {
  CreateKeyRequestSchema,
  CreatedKeySchema,
  KeyIdParamsSchema,
  KeyListQuerySchema,
  KeyListSchema,
  KeySummarySchema,
  UpdateKeyRequestSchema,
  UsageResponseSchema,
} from './keys.js';

/**
 * The API-key routes: the admin API under /api/v1/admin/keys (Bearer ADMIN_TOKEN; absent without a
 * configured ADMIN_TOKEN) and GET /api/v1/usage for the calling key. As in routes.ts, a JSON body is
 * checked by the route's middleware first (415, 413, INVALID_JSON, then the schema as VALIDATION_FAILED).
 */
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const error = (description: string) => json(ErrorBodySchema, description);

const adminErrors = {
  401: error('UNAUTHORIZED: no or a wrong Bearer ADMIN_TOKEN'),
  404: error('NOT_FOUND: the admin API is disabled (no ADMIN_TOKEN), or no key has this id'),
  500: error('INTERNAL'),
};
const adminBodyErrors = {
  ...adminErrors,
  400: error('INVALID_JSON or VALIDATION_FAILED (e.g. a name longer than 100 characters)'),
  413: error('BODY_TOO_LARGE'),
  415: error('UNSUPPORTED_MEDIA_TYPE'),
};
const body = <T extends z.ZodType>(schema: T, description: string) => ({ body: { ...json(schema, description), required: true } });
const tags = ['API keys'];
/** Bearer: ADMIN_TOKEN on the admin routes, the API key on /api/v1/usage (the scheme: shared/http/docs.ts). */
const security = [{ bearerAuth: [] }];

export const createKeyRoute = createRoute({
  method: 'post',
  path: '/api/v1/admin/keys',
  tags,
  security,
  summary: 'Create an API key (the key is in this answer only)',
  request: body(CreateKeyRequestSchema, 'A name and optional limits'),
  responses: { 201: json(CreatedKeySchema, 'Created; store `key` now, it is never shown again'), ...adminBodyErrors },
});

export const listKeysRoute = createRoute({
  method: 'get',
  path: '/api/v1/admin/keys',
  tags,
  security,
  summary: 'List API keys: name, limits, created, last used, revoked, usage',
  request: { query: KeyListQuerySchema },
  responses: { 200: json(KeyListSchema, 'A page of keys'), ...adminErrors, 400: error('VALIDATION_FAILED (limit or cursor)') },
});

export const updateKeyRoute = createRoute({
  method: 'patch',
  path: '/api/v1/admin/keys/{id}',
  tags,
  security,
  summary: "Change a key's name or limits (absent fields keep their value; null quotas are unlimited)",
  request: { params: KeyIdParamsSchema, ...body(UpdateKeyRequestSchema, 'The fields to change') },
  responses: {
    200: json(KeySummarySchema, 'The key as it is now (revoked_at set if a revocation landed during the change)'),
    ...adminBodyErrors,
    // 409, not 404: the key exists and stays listed; it just cannot be changed any more
    409: error('KEY_REVOKED: the key is revoked; a revoked key cannot be changed'),
  },
});

export const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/api/v1/admin/keys/{id}',
  tags,
  security,
  summary: 'Revoke a key (idempotent; the key stays listed with revoked_at)',
  request: { params: KeyIdParamsSchema },
  responses: { 200: json(KeySummarySchema, 'The revoked key'), ...adminErrors },
});

export const usageRoute = createRoute({
  method: 'get',
  path: '/api/v1/usage',
  tags,
  security,
  summary: "The calling key's characters this UTC day and month, its limits, and when each resets",
  responses: {
    200: json(UsageResponseSchema, 'Usage of the key in Authorization: Bearer <key>'),
    401: error('UNAUTHORIZED: no key, an unknown key or a revoked key'),
    429: error('RATE_LIMITED: the call spends one request of the key (or the IP) budget'),
    500: error('INTERNAL'),
    503: error("UPSTREAM_UNAVAILABLE (with Retry-After): the key is valid but its usage cannot be read right now"),
  },
});
