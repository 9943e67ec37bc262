import { isModelLabel, MODEL_LABEL_HEADER } from '../../shared/contract/model-label.js';

/**
 * The model label an origin answer reports: the `x-sema-model` header, or (containers without the
 * header) the body's top-level `model` field; undefined when neither is a usable label.
 */
export function answerModelLabel(response: Response, data: unknown): string | undefined {
  const header = response.headers.get(MODEL_LABEL_HEADER);
  if (isModelLabel(header)) return header;
  if (typeof data === 'object' && data !== null && 'model' in data && isModelLabel(data.model)) return data.model;
  return undefined;
}

/** What the pool knows about one origin, for choosing the cache's labels. */
export interface LabelledOrigin {
  /** The label of this origin's last answer that had one; null before its first. */
  model: string | null;
  /** Whether a call may go to this origin now (its circuit is not open). */
  available: boolean;
}

/**
 * The labels a cache lookup may use: those of the origins that could answer now, since a cached answer
 * of any of them is an answer the pool could give. When every circuit is open, every label still known,
 * so cached translations keep being served through an outage. Origins whose label is not known yet
 * contribute none (a fresh isolate looks up nothing and learns from its first answer).
 */
export function servingLabels(origins: readonly LabelledOrigin[]): string[] {
  const available = origins.filter((origin) => origin.available);
  const candidates = available.length > 0 ? available : origins;
  const labels = new Set<string>();
  for (const origin of candidates) if (origin.model !== null) labels.add(origin.model);
  return [...labels];
}
