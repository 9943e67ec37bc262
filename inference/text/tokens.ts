/** Counts a text's model tokens; injected so the real SentencePiece tokenizer can replace the estimate. */
export type CountTokens = (text: string) => number;

// Scripts where NLLB's SentencePiece vocabulary spends about one token per character.
const DENSE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\p{Script=Ethiopic}]/u;

/**
 * A cheap, deliberately high estimate of NLLB tokens without the tokenizer: one token per
 * character of dense scripts (CJK, Thai, Ethiopic syllables, …), one per three characters of the
 * rest (Latin, Cyrillic, Arabic words average 3–5 characters per SentencePiece token). Monotonic
 * (a longer text never counts fewer), which the splitter's packing relies on; one code point
 * counts at most 1, so any maxTokens >= 1 can be met.
 */
export const estimateTokens: CountTokens = (text) => {
  let dense = 0;
  let other = 0;
  for (const ch of text) {
    if (DENSE.test(ch)) dense += 1;
    else other += 1;
  }
  return dense + Math.ceil(other / 3);
};
