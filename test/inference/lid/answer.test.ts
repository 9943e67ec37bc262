import { describe, expect, it } from 'vitest';
import { toDetectAnswer } from '../../../inference/lid/index.js';
import { DetectResponseSchema } from '../../../shared/contract/detect.js';

const envelope = { character_count: 10, detector: 'fasttext-lid.176', total_time: 0.001, timestamp: new Date().toISOString(), request_id: 'r1' };

describe('toDetectAnswer', () => {
  it('answers a confident detection with names and the top-k list', () => {
    const answer = toDetectAnswer(
      [
        { label: 'sw', language: 'swh_Latn', confidence: 0.91 },
        { label: 'en', language: 'eng_Latn', confidence: 0.05 },
      ],
      { minConfidence: 0.5, labelStyle: 'lid176' },
    );
    expect(answer).toEqual({
      detected_language: 'swh_Latn',
      language_name: 'Swahili',
      native_name: expect.any(String),
      confidence: 0.91,
      is_english: false,
      reliable: true,
      alternatives: [
        { language: 'swh_Latn', label: 'sw', language_name: 'Swahili', confidence: 0.91 },
        { language: 'eng_Latn', label: 'en', language_name: 'English', confidence: 0.05 },
      ],
    });
    expect(DetectResponseSchema.safeParse({ ...answer, ...envelope }).success).toBe(true);
  });

  it('never invents a code when the best label has no NLLB-200 equivalent', () => {
    const answer = toDetectAnswer(
      [
        { label: 'la', language: null, confidence: 0.97 },
        { label: 'it', language: 'ita_Latn', confidence: 0.02 },
      ],
      { minConfidence: 0.5 },
    );
    expect(answer).toMatchObject({ detected_language: null, language_name: null, native_name: null, confidence: 0.97, reliable: false, is_english: false });
    expect(answer.note).toMatch(/'la' is not a language NLLB-200 translates/);
    expect(answer.alternatives[0]).toEqual({ language: null, label: 'la', language_name: null, confidence: 0.97 });
    expect(DetectResponseSchema.safeParse({ ...answer, ...envelope }).success).toBe(true);
  });

  it('marks a detection below the threshold unreliable but keeps the code', () => {
    const answer = toDetectAnswer([{ label: 'en', language: 'eng_Latn', confidence: 0.3 }], { minConfidence: 0.6 });
    expect(answer).toMatchObject({ detected_language: 'eng_Latn', is_english: true, reliable: false });
    expect(answer.note).toMatch(/confidence 0\.30 is below 0\.6/);
    expect(answer.note).not.toMatch(/lid\.176/);
  });

  it('treats the threshold as inclusive', () => {
    expect(toDetectAnswer([{ label: 'fr', language: 'fra_Latn', confidence: 0.5 }], { minConfidence: 0.5 }).reliable).toBe(true);
  });
});
