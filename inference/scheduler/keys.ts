/**
 * The batch key of a translation row: everything that must be the same for all rows of one
 * generate call. The engine's GenerateJob carries the source language inside each row's ids
 * (`[src] … </s>`) and a forced target token and new-token cap per row, so only the search
 * settings (beams, length penalty, …) must match: leave `src`, `tgt` and `maxNewTokens` out and
 * requests of every direction share batches. Give them when a runner needs them uniform.
 */
export interface TranslationKeyParts {
  beams: number;
  tgt?: string | undefined;
  src?: string | undefined;
  /** A request-level cap on new tokens, when the runner applies one per batch. */
  maxNewTokens?: number | undefined;
  /** Other search settings that must match, already serialised (e.g. `lp=1.2|nrng=3`). */
  search?: string | undefined;
}

export function translationBatchKey(parts: TranslationKeyParts): string {
  const key = `${parts.src ?? '*'}>${parts.tgt ?? '*'}|beam=${parts.beams}|max=${parts.maxNewTokens ?? 'auto'}`;
  return parts.search ? `${key}|${parts.search}` : key;
}
