import type { LanguageCode } from './data.js';
import { resolveLanguageCode } from './codes.js';
import { languagePosition } from './database.js';
import { unsupportedLanguageError } from './suggest.js';

/**
 * The id of a language token in NLLB's vocabulary. NLLB appends the 202 language tokens right after the
 * SentencePiece pieces in FLORES-200 (tokenizer) order, so the id is the SentencePiece vocabulary size
 * plus the 1-based position: with the released 256000-piece model eng_Latn = 256047,
 * swh_Latn = 256168, zul_Latn = 256202 (and <mask> = 256203).
 *
 * Accepts any form resolveLanguageCode accepts; throws UNSUPPORTED_LANGUAGE for anything else, and a
 * RangeError for a vocabulary size that is not a positive integer (a programming error, not a client's).
 */
export function languageTokenId(code: string, spmVocabSize: number): number {
  if (!Number.isSafeInteger(spmVocabSize) || spmVocabSize <= 0) {
    throw new RangeError(`spmVocabSize must be a positive integer, got ${spmVocabSize}`);
  }
  const resolved: LanguageCode | undefined = resolveLanguageCode(code);
  const position = resolved === undefined ? undefined : languagePosition(resolved);
  if (position === undefined) throw unsupportedLanguageError(code);
  return spmVocabSize + position;
}
