/**
 * The container's model label on every translate answer (the same text as the body's `model`
 * field and /status → model.label). The edge learns each origin's label from it and keys its cache by
 * the label of the origin that answered, so the shipped defaults cache without a hand-set MODEL_ID.
 */
export const MODEL_LABEL_HEADER = 'x-sema-model';

/** The longest label the edge accepts as a cache-key part. */
export const MODEL_LABEL_MAX_LENGTH = 200;

/** Whether `value` is usable as a label: a non-empty, bounded string without surrounding whitespace. */
export function isModelLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MODEL_LABEL_MAX_LENGTH && value.trim() === value;
}
