import { estimateTokens } from './text/tokens.js';

/**
 * The one estimate of a translate request's model work, in WORK UNITS, known before any model runs.
 * The edge charges it to the client's cost budget (COST_BUDGET_PER_MINUTE, or an API key's
 * `cost_per_minute`); the container schedules by the same number. Plain string code: runs in workerd
 * and Node.
 *
 *   cost = Σ over the texts the model sees (the items; for HTML their text runs and attributes), Σ over sentences: (estimatedTokens(sentence) + SENTENCE_OVERHEAD_TOKENS) × beams
 *   beams = max(beam_size, alternatives + 1)
 *
 * Why this shape: decoding dominates NLLB's work; it runs about as many steps as the source has tokens,
 * and each step scores every beam, so work ∝ source tokens × beams. Every sentence is a separate
 * sequence with its own language token and </s> (and the decoder's two forced start tokens), hence the
 * per-sentence overhead. Alternatives add no factor of their own: the container reads them from the same
 * max(beam_size, alternatives + 1) beams (inference/service/translation-service.ts), so they cost what
 * their wider beam costs. One unit ≈ one token through one beam; a ~100-character greedy request is ~36.
 *
 * The estimate is deliberately simple and a little high: tokens by script (one per character of scripts
 * NLLB's SentencePiece splits per character, one per three of the rest, the rule of
 * shared/text/tokens.ts), sentences by terminal punctuation followed by whitespace and by line
 * breaks (the container's segmenter decides the real split; this only prices it).
 */

/** Tokens every sentence adds besides its text: [src_lang] and </s> on the encoder side. */
export const SENTENCE_OVERHEAD_TOKENS = 2;

/** What the estimate reads from a request: NormalizedTranslateRequest (shared/contract/validate.ts) fits. */
export interface CostRequest {
  texts: readonly string[];
  /**
   * What the model sees of the texts, when validation worked it out (validateTranslateRequest: for
   * options.format "html", the text runs and translated attributes, not the markup); else `texts`.
   */
  modelTexts?: readonly string[];
  options: { beam_size: number; alternatives: number };
}

/** Estimated NLLB tokens of a text (shared/text/tokens.ts): dense-script code points count 1, the others 1/3. */
export { estimateTokens } from './text/tokens.js';

// A run of sentence marks (Latin, CJK, Devanagari, Ethiopic, Arabic, ellipsis), closing quotes or
// brackets after it, then whitespace; or a line break. Each match ends a sentence.
const SENTENCE_END = /[.!?。！？।॥።፧؟…]+["'”’»)\]」』]*\s+|\n+/gu;

/** The sentences of a text as the cost sees them: non-blank pieces between sentence ends; at least 1. */
export function estimateSentences(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    pieces.push(text.slice(start, end));
    start = end;
  }
  pieces.push(text.slice(start));
  const sentences = pieces.filter((piece) => piece.trim().length > 0);
  return sentences.length > 0 ? sentences : [text];
}

/** The beams the search runs: n alternatives need n + 1. */
export function effectiveBeams(options: CostRequest['options']): number {
  return Math.max(1, options.beam_size, options.alternatives + 1);
}

/** The work units of one text at `beams` beams. */
export function estimateTextCost(text: string, beams: number): number {
  let tokens = 0;
  for (const sentence of estimateSentences(text)) tokens += estimateTokens(sentence) + SENTENCE_OVERHEAD_TOKENS;
  return tokens * beams;
}

/** The work units of a whole translate request (every item): a positive integer. */
export function estimateCost(request: CostRequest): number {
  const beams = effectiveBeams(request.options);
  let cost = 0;
  for (const text of request.modelTexts ?? request.texts) cost += estimateTextCost(text, beams);
  return Math.max(1, cost);
}

/**
 * Language detection runs fastText, not NLLB: microseconds, no beams. It costs one unit, so it is seen
 * by the cost budget without ever being what exhausts it.
 */
export const DETECT_COST = 1;
