import { describe, expect, it } from 'vitest';
import { LtFrontendSettingsSchema } from '../../../shared/contract/libretranslate.js';
import { LT_FILE_FORMATS, ltFrontendSettings, preferredLanguage } from '../../../shared/libretranslate/frontend-settings.js';

describe('preferredLanguage', () => {
  it('takes the best-ranked Accept-Language tag we serve (by q, then order), its region dropped if needed', () => {
    expect(preferredLanguage('fr-CH, fr;q=0.9, en;q=0.8')).toBe('fra_Latn');
    expect(preferredLanguage('xx, en;q=0.5, sw;q=0.7')).toBe('swh_Latn');
    expect(preferredLanguage('zu-ZA;q=0, *;q=0.5')).toBeUndefined();
    expect(preferredLanguage(undefined)).toBeUndefined();
  });
});

describe('ltFrontendSettings', () => {
  it("has exactly LibreTranslate's fields; no formats when files are not translated", () => {
    const input = { charLimit: 5000, apiKeys: true, keyRequired: false, suggestions: true, filesTranslation: true, supportedFilesFormat: LT_FILE_FORMATS, acceptLanguage: 'yo' };
    const settings = LtFrontendSettingsSchema.strict().parse(ltFrontendSettings(input));
    expect(settings).toEqual({
      charLimit: 5000,
      frontendTimeout: 500,
      apiKeys: true,
      keyRequired: false,
      suggestions: true,
      filesTranslation: true,
      supportedFilesFormat: ['.txt', '.html', '.srt', '.vtt', '.docx', '.pptx', '.odt', '.epub'],
      language: { source: { code: 'auto', name: 'Auto Detect' }, target: { code: 'yo', name: 'Yoruba' } },
    });
    expect(ltFrontendSettings({ ...input, filesTranslation: false }).supportedFilesFormat).toEqual([]);
  });
});
