import type { KeyUsage } from '../../shared/contract/keys.js';
import type { QuotaWindow, WindowUsage } from './quota.js';

/** A window's usage as the API writes it (shared/contract/keys.ts WindowUsage). */
export function usageJson(usage: Record<QuotaWindow, WindowUsage>): KeyUsage {
  const window = (w: WindowUsage) => ({ used: w.used, limit: w.limit, remaining: w.remaining, resets_at: new Date(w.resetsAt).toISOString() });
  return { day: window(usage.day), month: window(usage.month) };
}
