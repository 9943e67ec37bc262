/** Counts a text's model tokens; injected so the real SentencePiece tokenizer can replace the estimate. */
export type CountTokens = (text: string) => number;

// Scripts where NLLB's SentencePiece vocabulary spends about one token per character.
const DENSE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}\p{Script=Ethiopic}]/u;
// Every dense script starts at or above U+0E00 (Thai): below it the regex is skipped.
const FIRST_DENSE = 0x0e00;

/**
 * A cheap, deliberately high estimate of NLLB tokens without the tokenizer, shared by the edge's cost
 * budget (shared/cost.ts) and the container's segmenter default (inference/text/tokens.ts): one token per
 * character of dense scripts (CJK, Thai, Ethiopic syllables, …), one per three characters of the
 * rest (Latin, Cyrillic, Arabic words average 3–5 characters per SentencePiece token). High on
 * purpose: it is the segmenter's default when no tokenizer is injected (the container injects
 * NLLB's own), and over-counting only costs an extra cut, while under-counting would send the
 * model inputs it truncates. Counts code points; monotonic (a longer text never counts fewer);
 * one code point counts at most 1, so any maxTokens >= 1 can be met.
 */
export const estimateTokens: CountTokens = (text) => {
  let dense = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < FIRST_DENSE) {
      other += 1;
      continue;
    }
    const astral = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (astral) {
      if (DENSE.test(text.slice(i, i + 2))) dense += 1;
      else other += 1;
      i += 1;
    } else if (isDenseBasic(code)) dense += 1;
    else other += 1;
  }
  return dense + Math.ceil(other / 3);
};

// The script test of a basic-plane code unit, remembered (0 unknown, 1 dense, 2 other): the splitter
// counts overlapping slices of one text many times, and a regex test per character dominated that.
const basicPlane = new Uint8Array(0x10000);

function isDenseBasic(code: number): boolean {
  let known = basicPlane[code]!;
  if (known === 0) {
    known = DENSE.test(String.fromCharCode(code)) ? 1 : 2;
    basicPlane[code] = known;
  }
  return known === 1;
}
