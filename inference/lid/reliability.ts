import type { LidCandidate } from './types.js';

/** What decides whether a detection is trusted; the same for the detect and translate routes. */
export interface DetectionPolicy {
  /** The best candidate needs at least this confidence (LID_MIN_CONFIDENCE, default 0.5). */
  minConfidence: number;
}

/** Why a detection is not reliable. */
export type UnreliableReason = 'no-text' | 'no-nllb-language' | 'low-confidence';

export interface DetectionJudgement {
  /** The detector's top candidate, whatever its label. */
  best: LidCandidate | undefined;
  /**
   * The best candidate NLLB-200 can translate from: the top one, or, when the top label has no
   * NLLB-200 language, the first that has one. Undefined when none has.
   */
  guess: (LidCandidate & { language: string }) | undefined;
  /** The one reliability rule: the top candidate names an NLLB-200 language with confidence >= minConfidence. */
  reliable: boolean;
  /** Set exactly when `reliable` is false. */
  reason: UnreliableReason | undefined;
}

/**
 * The one rule that decides whether a language detection is reliable, for POST /detect-language
 * (`reliable`) and for translation without a source language (`reliable`, the same-language
 * shortcut, and the edge's cache: unreliable results are never cached).
 *
 * Reliable = the detector's top candidate has an NLLB-200 language and a confidence of at least
 * `minConfidence`. No margin over the runner-up is asked for: confidences are probabilities, so a top
 * candidate at p leaves at most 1 - p to the runner-up, and at the default 0.5 the top one is at
 * least as likely as all others together. A runner-up chosen because the top label has no NLLB-200
 * language is a guess, never reliable.
 */
export function judgeDetection(candidates: readonly LidCandidate[], policy: DetectionPolicy): DetectionJudgement {
  const best = candidates[0];
  const guess = candidates.find((c): c is LidCandidate & { language: string } => c.language !== null);
  let reason: UnreliableReason | undefined;
  if (best === undefined) reason = 'no-text';
  else if (best.language === null) reason = 'no-nllb-language';
  else if (!(best.confidence >= policy.minConfidence)) reason = 'low-confidence';
  return { best, guess, reliable: reason === undefined, reason };
}
