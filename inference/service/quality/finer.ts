import { CLAUSE_END } from '../../text/marks.js';
import { segmentText, type CountTokens, type SegmentOptions, type SegmentPlan } from '../../text/index.js';

export interface FinerOptions {
  /** The sentence's language (FLORES-200), for word boundaries of scripts without spaces. */
  lang: string;
  /** The model's token counter ([src_lang] tokens </s>). */
  countTokens: CountTokens;
}

/** [src_lang] and </s>: in every count, in no piece's share. */
const FRAME_TOKENS = 2;

/**
 * A suspicious sentence cut finer for its one retry: at every clause boundary (text/marks.ts
 * CLAUSE_END) when it has two clauses or more, else into bounded chunks of about half its tokens
 * (text/split-long.ts, which prefers clause punctuation, then whitespace, word and grapheme
 * boundaries). The plan reassembles with the sentence's own whitespace; null when the sentence
 * cannot be cut into two translatable pieces (a single word, say).
 */
export function finerPlan(sentence: string, options: FinerOptions): SegmentPlan | null {
  const segment: SegmentOptions = { lang: options.lang, countTokens: options.countTokens };
  const clauses = clausesOf(sentence);
  if (clauses.length > 1) {
    const plan = joinPlans(clauses.map((clause) => segmentText(clause, segment)));
    if (plan.sources.length > 1) return plan;
  }
  const tokens = options.countTokens(sentence) - FRAME_TOKENS;
  const plan = segmentText(sentence, { ...segment, maxTokens: Math.max(1, Math.ceil(tokens / 2)) + FRAME_TOKENS });
  return plan.sources.length > 1 ? plan : null;
}

/** The sentence cut after each clause mark and the whitespace after it; the pieces concatenate to it. */
function clausesOf(sentence: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const m of sentence.matchAll(CLAUSE_END)) {
    let end = m.index + m[0].length;
    while (end < sentence.length && /\s/u.test(sentence[end]!)) end++;
    if (end > start && end < sentence.length) {
      pieces.push(sentence.slice(start, end));
      start = end;
    }
  }
  pieces.push(sentence.slice(start));
  return pieces;
}

function joinPlans(plans: readonly SegmentPlan[]): SegmentPlan {
  return { pieces: plans.flatMap((p) => p.pieces), sources: plans.flatMap((p) => p.sources) };
}
