import type { DetectResponse } from '../../shared/contract/detect.js';
import { getLanguage } from '../../shared/languages/index.js';
import type { LabelStyle } from './labels.js';
import { judgeDetection, type DetectionPolicy } from './reliability.js';
import type { LidCandidate } from './types.js';

/** The part of the detect-language answer that comes from the detector's candidates. */
export type DetectAnswer = Pick<
  DetectResponse,
  'detected_language' | 'language_name' | 'native_name' | 'confidence' | 'is_english' | 'reliable' | 'note' | 'alternatives'
>;

export interface DetectAnswerOptions extends DetectionPolicy {
  /** lid.176 answers get a hint about the African languages it cannot name. */
  labelStyle?: LabelStyle | undefined;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;

const LID176_HINT = 'lid.176 cannot name many African languages (e.g. Hausa, Igbo, Zulu, Xhosa, Kinyarwanda)';

/**
 * Candidates → API answer. `alternatives` is the whole top-k list, best first (the best included, so a
 * client sees the labels the detected language was chosen from). The answer is never more certain than
 * the detector: a best label without an NLLB-200 equivalent gives `detected_language: null`, and a low
 * confidence gives `reliable: false`; either way `note` says why. `reliable` is judgeDetection's, the
 * rule translation without a source language follows too.
 */
export function toDetectAnswer(candidates: readonly LidCandidate[], options: DetectAnswerOptions): DetectAnswer {
  const alternatives = candidates.map((c) => ({
    language: c.language,
    label: c.label,
    language_name: c.language === null ? null : (getLanguage(c.language)?.name ?? null),
    confidence: c.confidence,
  }));
  const { best, reason } = judgeDetection(candidates, options);
  if (best === undefined) {
    return unreliable(0, alternatives, 'the text has no letters to identify a language from');
  }

  const hint = options.labelStyle === 'lid176' ? `; ${LID176_HINT}` : '';
  if (best.language === null) {
    return unreliable(best.confidence, alternatives,
      `the detector's best guess '${best.label}' is not a language NLLB-200 translates${hint}`);
  }
  const record = getLanguage(best.language);
  const base = {
    detected_language: best.language,
    language_name: record?.name ?? null,
    native_name: record?.native_name ?? null,
    confidence: best.confidence,
    is_english: best.language === 'eng_Latn',
    alternatives,
  };
  if (reason === 'low-confidence') {
    return {
      ...base,
      reliable: false,
      note: `confidence ${best.confidence.toFixed(2)} is below ${options.minConfidence}: the text may be too short, ` +
        `mixed, or in a language the detector cannot name${hint}`,
    };
  }
  return { ...base, reliable: true };
}

/** An answer without a language: never a guessed code. */
function unreliable(confidence: number, alternatives: DetectAnswer['alternatives'], note: string): DetectAnswer {
  return {
    detected_language: null,
    language_name: null,
    native_name: null,
    confidence,
    is_english: false,
    reliable: false,
    note,
    alternatives,
  };
}
