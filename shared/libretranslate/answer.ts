import type { DetectResponse } from '../contract/detect.js';
import type { LtDetectResponse, LtDetectedLanguage, LtTranslateResponse } from '../contract/libretranslate.js';
import type { TranslateOptions, TranslationResult } from '../contract/translate.js';
import { ltLanguageCode } from '../languages/libretranslate.js';

/**
 * The LibreTranslate answers (POST /translate, POST /detect) built from our own results. Both apps use
 * these, so the edge (from an origin's results, cached or not) and the container (from its model's) give
 * the same LibreTranslate body for the same result.
 */

/**
 * LibreTranslate's confidence: a whole percentage, 0–100, as LibreTranslate's detector reports it
 * (`round(prob * 100)` in libretranslate/detect.py). Ours is a probability 0–1; an unknown one (null)
 * is 0, so an unknown confidence is never reported as certainty. (Math.round rounds halves up where
 * Python rounds them to even; a probability times 100 is almost never exactly half.)
 */
export function ltConfidence(confidence: number | null): number {
  if (confidence === null || Number.isNaN(confidence)) return 0;
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100);
}

/** The LibreTranslate code of a FLORES-200 code; a language LibreTranslate has no short code for keeps its FLORES-200 code. */
export function ltCode(flores: string): string {
  return ltLanguageCode(flores) ?? flores;
}

/** The fields of a TranslationResult the LibreTranslate answer is made of. */
export type LtTranslatedItem = Pick<TranslationResult, 'translated_text' | 'source_language' | 'confidence' | 'alternatives'>;

/** What of the (normalised) request shapes the answer; a NormalizedTranslateRequest is one. */
export interface LtTranslateShape {
  /** The client sent `q` as an array: answer arrays, in order. */
  batch: boolean;
  /** Undefined: the client sent source 'auto', so say which language each text was detected as. */
  source: string | undefined;
  /** LibreTranslate's `alternatives` (0: no `alternatives` field in the answer). */
  options: Pick<TranslateOptions, 'alternatives'>;
}

function detectedLanguage(item: LtTranslatedItem): LtDetectedLanguage {
  return { confidence: ltConfidence(item.confidence), language: ltCode(item.source_language) };
}

/**
 * POST /translate's body: `translatedText`; `detectedLanguage` only for source 'auto' (per text, where
 * LibreTranslate repeats one detection for a whole batch); `alternatives` only when asked for (one list
 * per text for a batch; the model may have fewer than asked), as LibreTranslate answers.
 */
export function ltTranslateAnswer(items: readonly LtTranslatedItem[], request: LtTranslateShape): LtTranslateResponse {
  const detected = request.source === undefined;
  const wantsAlternatives = request.options.alternatives > 0;
  if (request.batch) {
    return {
      translatedText: items.map((item) => item.translated_text),
      ...(detected ? { detectedLanguage: items.map(detectedLanguage) } : {}),
      ...(wantsAlternatives ? { alternatives: items.map((item) => item.alternatives) } : {}),
    };
  }
  const item = items[0];
  if (item === undefined) throw new Error('a LibreTranslate answer needs one result for a single text');
  return {
    translatedText: item.translated_text,
    ...(detected ? { detectedLanguage: detectedLanguage(item) } : {}),
    ...(wantsAlternatives ? { alternatives: item.alternatives } : {}),
  };
}

/** The fields of a detect-language answer LibreTranslate's /detect is made of. */
export type LtDetection = Pick<DetectResponse, 'detected_language' | 'confidence' | 'alternatives'>;

/**
 * POST /detect's body: the detected language, then the alternatives, best first, each once (two of our
 * candidates can share a LibreTranslate code, and the best is also the first alternative); candidates
 * without an NLLB-200 language are left out, so the list may be empty.
 */
export function ltDetectAnswer(detection: LtDetection): LtDetectResponse {
  const candidates = [{ language: detection.detected_language, confidence: detection.confidence }, ...detection.alternatives];
  const seen = new Set<string>();
  const answer: LtDetectResponse = [];
  for (const candidate of candidates) {
    if (candidate.language === null) continue;
    const language = ltCode(candidate.language);
    if (seen.has(language)) continue;
    seen.add(language);
    answer.push({ confidence: ltConfidence(candidate.confidence), language });
  }
  return answer;
}
