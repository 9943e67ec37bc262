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
    const plan = joinPlans(clauses.map((clause, i) => {
      const clausePlan = segmentText(clause, segment);
      return i < clauses.length - 1 ? keepClauseMark(clausePlan) : clausePlan;
    }));
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

const TRAILING_MARK = /[^\p{L}\p{N}\p{M}]+$/u;

/**
 * The clause mark that ends a clause ("the child eats the bread;") stays in the layout, not in the
 * model's input: a model translating the clause alone tends to drop it, and the retried sentence
 * would lose its punctuation ("mtoto anakula mkate mtoto anapika nyama").
 */
function keepClauseMark(plan: SegmentPlan): SegmentPlan {
  const last = plan.pieces.findLastIndex((piece) => piece.kind === 'translate');
  const piece = plan.pieces[last];
  const mark = piece ? TRAILING_MARK.exec(piece.text)?.[0] : undefined;
  if (!piece || !mark || mark.length === piece.text.length) return plan;
  const core = piece.text.slice(0, -mark.length);
  const pieces = [...plan.pieces.slice(0, last), { kind: 'translate' as const, text: core }, { kind: 'keep' as const, text: mark }, ...plan.pieces.slice(last + 1)];
  const sources = [...plan.sources];
  sources[sources.length - 1] = core;
  return { pieces, sources };
}

function joinPlans(plans: readonly SegmentPlan[]): SegmentPlan {
  return { pieces: plans.flatMap((p) => p.pieces), sources: plans.flatMap((p) => p.sources) };
}
