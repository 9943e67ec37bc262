/** The one bound on new tokens per row: relative to the input, a hard cap, and the decoder's positions. */
import type { Limits } from '../../../shared/limits.js';

/**
 * HF-style max_new_tokens for a source of `inputTokens` tokens ([src_lang] tokens </s>):
 * min(requested, MAX_NEW_TOKENS_MIN + MAX_NEW_TOKENS_PER_INPUT_TOKEN × input, MAX_NEW_TOKENS_CAP,
 * maxPositions - 1), at least 1. A request can lower the bound, never raise it. The decoder sequence
 * (start token + new tokens) then never exceeds the model's max positions. Throws RangeError for a
 * requested value that is not a positive integer.
 */
export function newTokenCap(inputTokens: number, limits: Limits, maxPositions: number, requested?: number): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new RangeError(`maxNewTokens must be a positive integer, got ${requested}`);
  }
  const relative = limits.MAX_NEW_TOKENS_MIN + limits.MAX_NEW_TOKENS_PER_INPUT_TOKEN * inputTokens;
  return Math.max(1, Math.min(requested ?? relative, relative, limits.MAX_NEW_TOKENS_CAP, maxPositions - 1));
}
