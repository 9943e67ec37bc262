import { maskIndex, maskLikeTokensIn, masksIn, straySquareBrackets } from './mask.js';
import { keepsNesting, type MaskRoles } from './structure.js';

export type MaskProblem = 'dropped' | 'duplicated' | 'mangled' | 'misnested';
export type MaskCheck = { ok: true } | { ok: false; problem: MaskProblem };

/**
 * Whether a model output kept the masks of its masked source: every mask of the source exactly as
 * many times as there, no other mask-like token, and no bracket the source does not have. A foreign mask-like token (a mangled mask,
 * or a mask the source does not have) is reported as `mangled` before any count; then a mask seen
 * too often is `duplicated`, one missing `dropped`. With `roles` (HTML tag masks), an output whose tags
 * no longer nest as in the source is `misnested` (structure.ts).
 */
export function checkMasks(maskedSource: string, output: string, roles?: MaskRoles): MaskCheck {
  const expected = new Map<string, number>();
  for (const mask of masksIn(maskedSource)) expected.set(mask, (expected.get(mask) ?? 0) + 1);

  const seen = new Map<string, number>();
  for (const token of maskLikeTokensIn(output)) {
    if (maskIndex(token) === undefined || !expected.has(token)) return { ok: false, problem: 'mangled' };
    seen.set(token, (seen.get(token) ?? 0) + 1);
  }
  // A bracket the source does not have, next to a kept mask, would be restored glued to its span.
  if (straySquareBrackets(output) > straySquareBrackets(maskedSource)) return { ok: false, problem: 'mangled' };
  for (const [mask, count] of expected) if ((seen.get(mask) ?? 0) > count) return { ok: false, problem: 'duplicated' };
  for (const [mask, count] of expected) if ((seen.get(mask) ?? 0) < count) return { ok: false, problem: 'dropped' };
  if (roles && roles.size > 0 && !keepsNesting(maskedSource, output, roles)) return { ok: false, problem: 'misnested' };
  return { ok: true };
}
