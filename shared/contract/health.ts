import { z } from '@hono/zod-openapi';

export const HealthResponseSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']),
    service: z.enum(['edge', 'inference']),
    version: z.string(),
    uptime_seconds: z.number().nonnegative(),
    timestamp: z.string().datetime(),
  })
  .openapi('Health');

export const OriginStateSchema = z
  .object({
    url: z.string(),
    circuit: z.enum(['closed', 'open', 'half_open']),
    consecutive_failures: z.number().int().nonnegative(),
    last_latency_ms: z.number().nonnegative().nullable(),
    last_error: z.string().nullable(),
  })
  .openapi('OriginState');

export const EdgeHealthDetailsSchema = z
  .object({
    origins: z.array(OriginStateSchema),
    metrics: z
      .record(z.string(), z.number().int().nonnegative())
      .openapi({ description: "This isolate's counters (cache hits and misses, rate_limiter_failures, ...); they reset with the isolate" }),
  })
  .openapi('EdgeHealthDetails');

/**
 * The public edge health reveals nothing internal: the status and counts only. Per-origin states (URLs,
 * errors) and counters are `details`, present only for `Authorization: Bearer <ADMIN_TOKEN>`.
 */
export const EdgeHealthResponseSchema = HealthResponseSchema.extend({
  origins: z
    .object({
      total: z.number().int().nonnegative(),
      healthy: z.number().int().nonnegative().openapi({ description: 'Origins whose circuit is closed' }),
    })
    .openapi({ description: 'ok: every origin healthy; unavailable: every circuit open; degraded: otherwise' }),
  model: z.string().openapi({
    description: "The model label(s) the edge reads its cache under, comma-separated: MODEL_ID when set, else the labels learned from the origins' answers (empty before the first answer)",
  }),
  details: EdgeHealthDetailsSchema.optional().openapi({
    description: 'Only with `Authorization: Bearer <ADMIN_TOKEN>` (and never when the edge has no ADMIN_TOKEN): each origin as this isolate sees it, and its counters',
  }),
}).openapi('EdgeHealth');

export const InferenceStatusResponseSchema = HealthResponseSchema.extend({
  ready: z.boolean(),
  model: z.object({
    id: z.string(),
    revision: z.string(),
    fixture: z.boolean(),
    path: z.string(),
    loaded_at: z.string().datetime().nullable(),
    load_time_seconds: z.number().nonnegative().nullable(),
    newer_revision_available: z.union([z.boolean(), z.literal('unknown')]),
    label: z.string().openapi({ description: 'The `model` field of responses' }),
    fixture_reason: z.string().optional().openapi({ description: 'Why the test fixture serves instead of a real model' }),
  }),
  detector: z.string(),
  queue: z.object({ depth: z.number().int().nonnegative(), capacity: z.number().int().nonnegative() }),
  batches: z.object({
    count: z.number().int().nonnegative(),
    mean_size: z.number().nonnegative(),
    tokens_generated: z.number().int().nonnegative(),
    cancelled: z.number().int().nonnegative().openapi({ description: 'Running batches (generate jobs) the workers ended early since the model loaded, because every caller had gone (client closed, deadline passed)' }),
  }),
  workers: z.object({
    count: z.number().int().nonnegative(),
    ready: z.number().int().nonnegative(),
    restarts: z.number().int().nonnegative().openapi({ description: 'Inference workers replaced since the model loaded (crashed, or stuck past WORKER_JOB_TIMEOUT_MS)' }),
  }),
}).openapi('InferenceStatus');

export const AdminReloadResponseSchema = z
  .object({
    status: z.literal('reloaded'),
    model: z.string().openapi({ description: 'The `model` label responses now carry' }),
    revision: z.string(),
    loaded_at: z.string().datetime().nullable(),
  })
  .openapi('AdminReload');

export type HealthResponse = z.infer<typeof HealthResponseSchema>;
export type OriginState = z.infer<typeof OriginStateSchema>;
export type EdgeHealthResponse = z.infer<typeof EdgeHealthResponseSchema>;
export type EdgeHealthDetails = z.infer<typeof EdgeHealthDetailsSchema>;
export type InferenceStatusResponse = z.infer<typeof InferenceStatusResponseSchema>;
export type AdminReloadResponse = z.infer<typeof AdminReloadResponseSchema>;
