import { isModelLabel } from '../../shared/contract/model-label.js';

/**
 * Which model labels the translation cache is read and written under. Every entry is keyed by (and
 * carries) the label of the model that produced it, so one model's answer is never served for another.
 *
 * - Reads use the labels of the origins that could answer now (OriginClient.servingModels): with two
 *   origins on different models (a rolling upgrade) both labels are looked up, an entry of a model no
 *   origin serves any more is never read. Before any origin has answered (a fresh isolate) nothing is
 *   looked up: the first answer teaches the label.
 * - Writes use the label of the origin that actually answered (the answer's own `model` field).
 * - MODEL_ID (optional) narrows both to that one label, and stands in for the origins' labels until one
 *   has answered, so a fresh isolate can hit at once.
 */
export function readLabels(serving: readonly string[], pinned: string | undefined): string[] {
  if (pinned === undefined) return [...serving];
  if (serving.length === 0) return [pinned];
  return serving.includes(pinned) ? [pinned] : [];
}

/** Whether an answer of model `label` may be cached: a usable label, and MODEL_ID's when that is set. */
export function isWritableLabel(label: string, pinned: string | undefined): boolean {
  return isModelLabel(label) && (pinned === undefined || label === pinned);
}
