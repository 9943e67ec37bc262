/**
 * The one reliability rule (lid/reliability.ts) and that the detect answer follows it: the translate
 * route uses the same function (test/inference/service/translation-service.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeDetection, toDetectAnswer, type LidCandidate } from '../../../inference/lid/index.js';

const policy = { minConfidence: 0.5 };

describe('judgeDetection', () => {
  it('is reliable when the top candidate is an NLLB-200 language at or above the threshold', () => {
    const j = judgeDetection([{ label: 'sw', language: 'swh_Latn', confidence: 0.5 }], policy);
    expect(j).toMatchObject({ reliable: true, reason: undefined, guess: { language: 'swh_Latn' } });
  });

  it('is unreliable below the threshold, but still names the best guess', () => {
    const j = judgeDetection([{ label: 'sw', language: 'swh_Latn', confidence: 0.47 }, { label: 'de', language: 'deu_Latn', confidence: 0.07 }], policy);
    expect(j).toMatchObject({ reliable: false, reason: 'low-confidence', guess: { language: 'swh_Latn', confidence: 0.47 } });
  });

  it('is unreliable when the top label has no NLLB-200 language, however confident; the guess is the first that has one', () => {
    const j = judgeDetection([{ label: 'la', language: null, confidence: 0.97 }, { label: 'it', language: 'ita_Latn', confidence: 0.02 }], policy);
    expect(j).toMatchObject({ reliable: false, reason: 'no-nllb-language', guess: { language: 'ita_Latn' } });
  });

  it('has no guess when nothing was detected or nothing maps to NLLB-200', () => {
    expect(judgeDetection([], policy)).toMatchObject({ reliable: false, reason: 'no-text', guess: undefined });
    expect(judgeDetection([{ label: 'la', language: null, confidence: 0.9 }], policy).guess).toBeUndefined();
  });

  it('follows LID_MIN_CONFIDENCE', () => {
    const candidates = [{ label: 'en', language: 'eng_Latn', confidence: 0.7 }];
    expect(judgeDetection(candidates, { minConfidence: 0.6 }).reliable).toBe(true);
    expect(judgeDetection(candidates, { minConfidence: 0.8 }).reliable).toBe(false);
  });

  it('the detect answer says reliable exactly when the rule does', () => {
    const candidate = fc.record({
      label: fc.constantFrom('en', 'sw', 'la', 'eo'),
      language: fc.constantFrom<string | null>('eng_Latn', 'swh_Latn', null),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true }), (candidates: LidCandidate[], minConfidence) => {
        expect(toDetectAnswer(candidates, { minConfidence }).reliable).toBe(judgeDetection(candidates, { minConfidence }).reliable);
      }),
    );
  });
});
