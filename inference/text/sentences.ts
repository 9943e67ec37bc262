import { segmenterFor } from './locale.js';

// URLs and e-mail addresses inside running text. ICU's sentence rules break after "?" or "!"
// even when a letter follows, which cuts "https://x.org/a?b=1" in two. Whole space-delimited
// words are tested (not an unanchored address regex, which backtracks quadratically on long words).
const WORD = /\S+/gu;
const ADDRESS_START = /^[("'\[<«“‘]*(?:www\.|mailto:)/iu;
const EMAIL_LIKE = /[^@]@[^@]*[^.@]\.[^.@]/u;
const isAddressLike = (word: string) => word.includes('://') || ADDRESS_START.test(word) || EMAIL_LIKE.test(word);

/**
 * The sentences of one line (no line breaks inside), by Intl.Segmenter's rules for `locale`,
 * never breaking inside a URL or an e-mail address. They concatenate to the input exactly.
 */
export function sentences(text: string, locale: string | undefined): string[] {
  const spans: Array<readonly [number, number]> = [];
  for (const m of text.matchAll(WORD)) if (isAddressLike(m[0])) spans.push([m.index, m.index + m[0].length]);
  const out: string[] = [];
  for (const { segment, index } of segmenterFor(locale, 'sentence').segment(text)) {
    const insideAddress = spans.some(([start, end]) => index > start && index < end);
    if (insideAddress && out.length > 0) out[out.length - 1] += segment;
    else out.push(segment);
  }
  return out;
}
