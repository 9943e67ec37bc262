import { FLORES_CODE_PATTERN } from '../../shared/languages/flores.js';
import { floresFromLid176Label, LANGUAGE_CODES } from '../../shared/languages/index.js';

const NLLB_CODES: ReadonlySet<string> = new Set(LANGUAGE_CODES);

/**
 * fastText models name languages in one of two styles: lid.176 uses ISO-ish codes (`__label__sw`),
 * NLLB's lid218e uses FLORES-200 codes (`__label__swh_Latn`). 'auto' picks the style from the labels.
 */
export type LabelStyle = 'lid176' | 'flores';
export type LabelStyleOption = LabelStyle | 'auto';

const PREFIX = '__label__';
const FLORES_LABEL = FLORES_CODE_PATTERN;

export function stripLabelPrefix(label: string): string {
  return label.startsWith(PREFIX) ? label.slice(PREFIX.length) : label;
}

/** 'flores' when most labels look like `xxx_Xxxx`, else 'lid176'; an empty list cannot be judged. */
export function detectLabelStyle(labels: readonly string[]): LabelStyle {
  if (labels.length === 0) throw new Error('the language-ID model has no labels');
  const flores = labels.filter((label) => FLORES_LABEL.test(stripLabelPrefix(label))).length;
  return flores * 2 > labels.length ? 'flores' : 'lid176';
}

/**
 * The NLLB-200 code for a label, or null. FLORES-style labels are kept only when NLLB-200 has that
 * language (lid218e names a few that NLLB lacks), so a caller never receives a code it cannot translate.
 */
export function floresForLabel(label: string, style: LabelStyle): string | null {
  const bare = stripLabelPrefix(label);
  if (style === 'flores') return NLLB_CODES.has(bare) ? bare : null;
  return floresFromLid176Label(bare) ?? null;
}
