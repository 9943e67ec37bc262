import type { LtFrontendSettings } from '../contract/libretranslate.js';
import { languageByCode } from '../languages/database.js';
import { resolveLanguageCode } from '../languages/codes.js';
import { ltLanguageCode } from '../languages/libretranslate.js';

/** The document formats POST /translate_file takes (the documents feature), as LibreTranslate lists them. */
export const LT_FILE_FORMATS: readonly string[] = ['.txt', '.html', '.srt', '.vtt', '.docx', '.pptx', '.odt', '.epub'];

/** LibreTranslate's default (--frontend-timeout): how long its web UI waits after typing before it translates. */
export const LT_FRONTEND_TIMEOUT_MS = 500;

/** The web UI's default target when the browser's languages name none we serve. */
const FALLBACK_TARGET = 'eng_Latn';

export interface FrontendSettingsInput {
  /** Characters per request (MAX_CHARACTERS). */
  charLimit: number;
  /** Whether API keys are in use at all. */
  apiKeys: boolean;
  /** Whether a request without an API key is refused. */
  keyRequired: boolean;
  /** Whether POST /suggest stores suggestions. */
  suggestions: boolean;
  /** Whether POST /translate_file is served here, and the extensions it takes. */
  filesTranslation: boolean;
  supportedFilesFormat: readonly string[];
  /** The request's Accept-Language, for the default target (LibreTranslate's --frontend-language-target locale). */
  acceptLanguage: string | undefined;
}

/** The first language of an Accept-Language header (by q, then order) that NLLB-200 serves, as a FLORES-200 code. */
export function preferredLanguage(acceptLanguage: string | undefined): string | undefined {
  if (!acceptLanguage) return undefined;
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined) ?? '1');
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const code = resolveLanguageCode(tag) ?? resolveLanguageCode(tag.split('-', 1)[0]!);
    if (code !== undefined) return code;
  }
  return undefined;
}

/**
 * GET /frontend/settings, field for field as LibreTranslate's app.py answers it. The source defaults to
 * 'auto' (LibreTranslate's default); the target to the browser's language when we serve it, else English.
 */
export function ltFrontendSettings(input: FrontendSettingsInput): LtFrontendSettings {
  const target = preferredLanguage(input.acceptLanguage) ?? FALLBACK_TARGET;
  return {
    charLimit: input.charLimit,
    frontendTimeout: LT_FRONTEND_TIMEOUT_MS,
    apiKeys: input.apiKeys,
    keyRequired: input.keyRequired,
    suggestions: input.suggestions,
    filesTranslation: input.filesTranslation,
    supportedFilesFormat: input.filesTranslation ? [...input.supportedFilesFormat] : [],
    language: {
      source: { code: 'auto', name: 'Auto Detect' },
      target: { code: ltLanguageCode(target) ?? target, name: languageByCode(target)?.name ?? target },
    },
  };
}
