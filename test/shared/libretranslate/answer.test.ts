import { describe, expect, it } from 'vitest';
import { LtDetectResponseSchema, LtTranslateResponseSchema } from '../../../shared/contract/index.js';
import { ltCode, ltConfidence, ltDetectAnswer, ltTranslateAnswer, type LtTranslatedItem } from '../../../shared/libretranslate/index.js';

const item = (translated_text: string, source_language: string, confidence: number | null, alternatives: string[] = []): LtTranslatedItem => ({
  translated_text,
  source_language,
  confidence,
  alternatives,
});

const auto = (batch: boolean, alternatives = 0) => ({ batch, source: undefined, options: { alternatives } });
const given = (batch: boolean, alternatives = 0) => ({ batch, source: 'eng_Latn', options: { alternatives } });

describe('ltConfidence', () => {
  it('is a whole percent, as LibreTranslate reports it; unknown is 0, never certainty', () => {
    expect(ltConfidence(0.934)).toBe(93);
    expect(ltConfidence(0.935)).toBe(94);
    expect(ltConfidence(1)).toBe(100);
    expect(ltConfidence(0)).toBe(0);
    expect(ltConfidence(null)).toBe(0);
    expect(ltConfidence(1.2)).toBe(100);
  });
});

describe('ltCode', () => {
  it('is the ISO 639-1 code where unambiguous, zt for Traditional Chinese, else the FLORES-200 code', () => {
    expect(ltCode('swh_Latn')).toBe('sw');
    expect(ltCode('zho_Hant')).toBe('zt');
    expect(ltCode('zho_Hans')).toBe('zh');
    expect(ltCode('ace_Arab')).toBe('ace_Arab'); // no ISO 639-1 code
    expect(ltCode('not_Acode')).toBe('not_Acode');
  });
});

describe('ltTranslateAnswer', () => {
  const items = [item('Habari', 'eng_Latn', 0.934, ['Hujambo', 'Salamu']), item('Asante', 'fra_Latn', null)];

  it('one text, source auto: translatedText and detectedLanguage', () => {
    const answer = ltTranslateAnswer(items.slice(0, 1), auto(false));
    expect(answer).toEqual({ translatedText: 'Habari', detectedLanguage: { confidence: 93, language: 'en' } });
    LtTranslateResponseSchema.parse(answer);
  });

  it('a batch, source auto: arrays in order, one detection per text', () => {
    expect(ltTranslateAnswer(items, auto(true))).toEqual({
      translatedText: ['Habari', 'Asante'],
      detectedLanguage: [{ confidence: 93, language: 'en' }, { confidence: 0, language: 'fr' }],
    });
  });

  it('a given source: no detectedLanguage', () => {
    expect(ltTranslateAnswer(items.slice(0, 1), given(false))).toEqual({ translatedText: 'Habari' });
  });

  it('alternatives only when asked for: the item\'s, one list per text for a batch', () => {
    expect(ltTranslateAnswer(items.slice(0, 1), given(false, 2))).toEqual({ translatedText: 'Habari', alternatives: ['Hujambo', 'Salamu'] });
    const batch = ltTranslateAnswer(items, given(true, 1));
    expect(batch).toEqual({ translatedText: ['Habari', 'Asante'], alternatives: [['Hujambo', 'Salamu'], []] });
    LtTranslateResponseSchema.parse(batch);
    expect(ltTranslateAnswer(items, given(true, 0))).not.toHaveProperty('alternatives');
  });
});

describe('ltDetectAnswer', () => {
  it('best first, then the alternatives, each LibreTranslate code once, labels without a language left out', () => {
    const answer = ltDetectAnswer({
      detected_language: 'swh_Latn',
      confidence: 0.81,
      alternatives: [
        { language: 'swh_Latn', label: 'sw', language_name: 'Swahili', confidence: 0.81 },
        { language: null, label: 'eo', language_name: null, confidence: 0.1 },
        { language: 'zho_Hant', label: 'zh-tw', language_name: null, confidence: 0.05 },
        { language: 'swh_Latn', label: 'swh', language_name: null, confidence: 0.04 },
      ],
    });
    expect(answer).toEqual([
      { confidence: 81, language: 'sw' },
      { confidence: 5, language: 'zt' },
    ]);
    LtDetectResponseSchema.parse(answer);
  });

  it('nothing NLLB-200 knows: an empty list, not a guess', () => {
    expect(ltDetectAnswer({ detected_language: null, confidence: 0.4, alternatives: [{ language: null, label: 'eo', language_name: null, confidence: 0.4 }] })).toEqual([]);
  });
});
