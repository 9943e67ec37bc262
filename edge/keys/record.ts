import { z } from 'zod';
import type { QuotaLimits } from './quota.js';

/**
 * An API key's record, the value of API_KEYS under the SHA-256 hex of the key. The first three fields
 * are the hand-written format of earlier versions, which stays valid as it is (no quotas, no creation
 * time: such a key is unlimited in characters and listed with created_at null). The admin API writes
 * the other fields; an absent quota is unlimited.
 */
export const ApiKeyRecordSchema = z.object({
  name: z.string().min(1),
  /** Requests per rate-limit window (RATE_LIMIT_WINDOW_SECONDS, 60 by default). */
  limit_per_minute: z.number().int().positive(),
  /** Work units per window (shared/cost.ts); absent: the default budget scaled (costBudget). */
  cost_per_minute: z.number().int().positive().optional(),
  chars_per_day: z.number().int().positive().optional(),
  chars_per_month: z.number().int().positive().optional(),
  /** ISO 8601. */
  created_at: z.string().optional(),
  /** ISO 8601; a revoked key is refused (401) and kept so it stays listed. */
  revoked_at: z.string().optional(),
});

export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

/** A key's cost budget: its own, or COST_BUDGET_PER_MINUTE scaled by its request limit over RATE_LIMIT_PER_MINUTE. */
export function costBudget(record: Pick<ApiKeyRecord, 'limit_per_minute' | 'cost_per_minute'>, defaults: { requestsPerWindow: number; costPerWindow: number }): number {
  return record.cost_per_minute ?? Math.max(1, Math.round((defaults.costPerWindow * record.limit_per_minute) / defaults.requestsPerWindow));
}

export function quotaLimits(record: Pick<ApiKeyRecord, 'chars_per_day' | 'chars_per_month'>): QuotaLimits {
  return { day: record.chars_per_day ?? null, month: record.chars_per_month ?? null };
}

/** The record's JSON, parsed, or undefined when it is not a record. */
export function parseApiKeyRecord(raw: string): ApiKeyRecord | undefined {
  try {
    const parsed = ApiKeyRecordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
