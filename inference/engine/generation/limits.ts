/** The bound on new tokens per row: relative to the input, a hard cap, and the decoder's positions. */
import { maxNewTokensFor, type Limits } from '../../../shared/limits.js';

/**
 * HF-style max_new_tokens for a source of `inputTokens` tokens ([src_lang] tokens </s>):
 * min(requested, MAX_NEW_TOKENS_MIN + MAX_NEW_TOKENS_PER_INPUT_TOKEN × input, MAX_NEW_TOKENS_CAP,
 * maxPositions - 1), at least 1. The decoder sequence (start token + new tokens) then never exceeds
 * the model's max positions. Throws RangeError for a requested value that is not a positive integer.
 */
export function newTokenCap(inputTokens: number, limits: Limits, maxPositions: number, requested?: number): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new RangeError(`maxNewTokens must be a positive integer, got ${requested}`);
  }
  return Math.max(1, Math.min(maxNewTokensFor(inputTokens, limits, requested), maxPositions - 1));
}
