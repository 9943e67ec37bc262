import { REGIONS, type LanguageStats } from '../contract/languages.js';
import { LANGUAGES } from './database.js';

let memo: LanguageStats | undefined;

/**
 * Counts over the 202 languages: totals, by region (all six regions, in REGIONS order, zeros kept) and
 * by script (alphabetical). The data is static, so the result is computed once
 * (and frozen, since every caller shares it).
 */
export function languageStats(): LanguageStats {
  if (memo !== undefined) return memo;
  const byRegion: Record<string, number> = Object.fromEntries(REGIONS.map((region) => [region, 0]));
  const scriptCounts = new Map<string, number>();
  for (const language of LANGUAGES) {
    byRegion[language.region] = (byRegion[language.region] ?? 0) + 1;
    scriptCounts.set(language.script, (scriptCounts.get(language.script) ?? 0) + 1);
  }
  const byScript = Object.fromEntries([...scriptCounts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  memo = Object.freeze({
    total: LANGUAGES.length,
    african: LANGUAGES.filter((language) => language.african).length,
    popular: LANGUAGES.filter((language) => language.popular).length,
    lid176_detectable: LANGUAGES.filter((language) => language.lid176_detectable).length,
    by_region: Object.freeze(byRegion),
    by_script: Object.freeze(byScript),
  });
  return memo;
}
