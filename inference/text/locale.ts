/**
 * The Intl locale for a source language: FLORES-200 (`swh_Latn`, `zho_Hant`), ISO 639-1/639-3
 * (`sw`, `swh`) or a BCP-47 tag (`pt-BR`), as a minimal tag: Intl canonicalises 639-3 codes to
 * 639-1 where one exists (`eng` → `en`, `swh` → `sw`) and drops the default script (`en-Latn` →
 * `en`), which is how ICU finds its per-language data. Undefined when the code makes no valid
 * tag: the segmenter then uses the root rules, which suit most languages.
 */
const locales = new Map<string, string | undefined>();

export function segmenterLocale(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  // Called for every text; building an Intl.Locale each time costs more than segmenting a sentence.
  if (locales.has(lang)) return locales.get(lang);
  if (locales.size >= 512) locales.clear();
  const locale = toLocale(lang);
  locales.set(lang, locale);
  return locale;
}

function toLocale(lang: string): string | undefined {
  const m = /^([a-z]{2,3})(?:[_-]([a-z]{4}))?(?:[_-]([a-z]{2}|\d{3}))?$/i.exec(lang.trim());
  if (!m) return undefined;
  const tag = [m[1], m[2], m[3]].filter((part): part is string => part !== undefined).join('-');
  try {
    return new Intl.Locale(tag).minimize().toString();
  } catch {
    return undefined;
  }
}

const cache = new Map<string, Intl.Segmenter>();

/** Segmenters are costly to build and immutable: one per (locale, granularity), bounded. */
export function segmenterFor(locale: string | undefined, granularity: 'word' | 'grapheme'): Intl.Segmenter {
  const key = `${locale ?? ''}|${granularity}`;
  let segmenter = cache.get(key);
  if (!segmenter) {
    if (cache.size >= 512) cache.clear();
    segmenter = new Intl.Segmenter(locale, { granularity });
    cache.set(key, segmenter);
  }
  return segmenter;
}
