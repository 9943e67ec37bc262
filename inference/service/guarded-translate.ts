import { AppError } from '../../shared/errors.js';
import type { SubmitOptions } from '../scheduler/index.js';
import { reassemble, type SegmentPlan } from '../text/index.js';
import type { BatchedEngine, GenerationRequest, SentenceAlternative, SentenceOutput, SentenceToTranslate } from './batched-engine.js';
import { finerPlan } from './quality/finer.js';
import { looksOmitted, visibleCharacters } from './quality/length-ratio.js';
import { mergeWarnings, POSSIBLE_OMISSION, suspicions, type Warning } from './quality/warnings.js';

/** What the guard needs of the engine. */
export type SentenceEngine = Pick<BatchedEngine, 'translate' | 'tokenCount'>;

/** A sentence's translation as the request gets it, with what the guard found. */
export interface GuardedSentence {
  text: string;
  /** Σ log-probs of every model output `text` is made of (the sentence's, or its retry pieces'). */
  logprob: number;
  /** Σ generated tokens of those outputs (the weights of the per-result score). */
  tokens: number;
  /** What is still suspicious about `text` (quality/warnings.ts), [] when nothing. */
  warnings: Warning[];
  /** The sentence's n-best alternatives, best first, when it was translated whole; else []. */
  alternatives: SentenceAlternative[];
  /** The chosen hypothesis' beam score when translated whole by beam search; else null. */
  beamScore: number | null;
}

export interface GuardedBatch {
  sentences: GuardedSentence[];
  /** BatchedTranslation.inferenceMs of every model call made, summed. */
  inferenceMs: number;
  generatedTokens: number;
}

/**
 * Nothing dropped silently: translates the sentences in one batched call, then retries once, split
 * finer (quality/finer.ts), every sentence whose output is suspicious: implausibly short for its
 * input (quality/length-ratio.ts), cut at its token cap, or stopped by the repetition guard. All
 * retries go in a second batched call. A sentence that the request's own max_new_tokens cut is not
 * retried (its pieces would get that cap each): it says `truncated`.
 *
 * A retried sentence keeps whichever translation has fewer warnings (on a tie, the longer one);
 * whatever stays suspicious is in its `warnings`. Retries ask for no alternatives: a sentence
 * translated in pieces offers none. When the queue refuses the retries (OVERLOADED), the first
 * translations stand, with their warnings: the answer is flagged rather than refused.
 */
export async function translateGuarded(
  engine: SentenceEngine,
  sentences: readonly SentenceToTranslate[],
  tgt: string,
  request: GenerationRequest,
  submit: SubmitOptions,
): Promise<GuardedBatch> {
  const first = await engine.translate(sentences, tgt, request, submit);
  const guarded = first.sentences.map((output, i) => whole(output, suspicions(sentences[i]!.text, output, sentences[i]!.src, tgt)));

  const retries: { index: number; plan: SegmentPlan }[] = [];
  first.sentences.forEach((output, index) => {
    if (guarded[index]!.warnings.length === 0 || (!output.finished && output.cappedByRequest)) return;
    const { text, src } = sentences[index]!;
    const plan = finerPlan(text, { lang: src, countTokens: (t) => engine.tokenCount(t) });
    if (plan) retries.push({ index, plan });
  });
  if (retries.length === 0) return { sentences: guarded, inferenceMs: first.inferenceMs, generatedTokens: first.generatedTokens };

  const pieces = retries.flatMap(({ index, plan }) => plan.sources.map((text) => ({ text, src: sentences[index]!.src })));
  let second;
  try {
    second = await engine.translate(pieces, tgt, { ...request, alternatives: 0 }, submit);
  } catch (err) {
    if (err instanceof AppError && err.code === 'OVERLOADED') return { sentences: guarded, inferenceMs: first.inferenceMs, generatedTokens: first.generatedTokens };
    throw err;
  }
  let next = 0;
  for (const { index, plan } of retries) {
    const outputs = second.sentences.slice(next, next + plan.sources.length);
    next += plan.sources.length;
    const { text, src } = sentences[index]!;
    const retried = fromPieces(text, plan, outputs, src, tgt);
    const original = guarded[index]!;
    const better =
      retried.warnings.length < original.warnings.length ||
      (retried.warnings.length === original.warnings.length && visibleCharacters(retried.text) > visibleCharacters(original.text));
    if (better) guarded[index] = retried;
  }
  return {
    sentences: guarded,
    inferenceMs: first.inferenceMs + second.inferenceMs,
    generatedTokens: first.generatedTokens + second.generatedTokens,
  };
}

function whole(output: SentenceOutput, warnings: Warning[]): GuardedSentence {
  return {
    text: output.text,
    logprob: output.logprob,
    tokens: output.generatedTokens,
    warnings,
    alternatives: output.alternatives,
    beamScore: output.beamScore,
  };
}

/** A sentence translated as `plan`'s pieces: their outputs in the sentence's layout, judged piece by piece and as a whole. */
function fromPieces(sentence: string, plan: SegmentPlan, outputs: readonly SentenceOutput[], src: string, tgt: string): GuardedSentence {
  const text = reassemble(plan, outputs.map((o) => o.text));
  const pieceWarnings = outputs.map((o, k) => suspicions(plan.sources[k]!, o, src, tgt));
  const wholeWarning: Warning[] = looksOmitted(sentence, text, src, tgt) ? [POSSIBLE_OMISSION] : [];
  return {
    text,
    logprob: outputs.reduce((sum, o) => sum + o.logprob, 0),
    tokens: outputs.reduce((sum, o) => sum + o.generatedTokens, 0),
    warnings: mergeWarnings(wholeWarning, ...pieceWarnings),
    alternatives: [],
    beamScore: null,
  };
}
