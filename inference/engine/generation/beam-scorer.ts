/**
 * The finished hypotheses of one sentence in beam search, with the semantics of transformers'
 * BeamHypotheses (BeamSearchScorer):
 *   score = sum_logprobs / generated_len ** length_penalty
 * where generated_len counts the tokens after the decoder prompt (the start token), the forced
 * language token and a final `</s>` included. At most `numBeams` are kept: a better one evicts the
 * worst (ties: the earlier-added one is evicted first).
 */
import type { EarlyStopping } from './types.js';

export interface Hypothesis {
  score: number;
  /** The decoder sequence without the final `</s>` (which the caller appends). */
  tokens: number[];
  /** The sum of log-probs `score` was normalised from. */
  sumLogprobs: number;
  /** Its `</s>` was forced by the repetition guard. */
  repetition: boolean;
}

export class BeamHypotheses {
  readonly beams: Hypothesis[] = [];
  private worstScore = 1e9;

  /**
   * @param maxLength the sequence length limit (start token included), used by early_stopping 'never'.
   * @param promptLength decoder prompt length (1: the start token).
   */
  constructor(
    readonly numBeams: number,
    readonly lengthPenalty: number,
    readonly earlyStopping: EarlyStopping,
    readonly maxLength: number,
    readonly promptLength = 1,
  ) {}

  get size(): number {
    return this.beams.length;
  }

  /** HF's length normalisation. */
  normalise(sumLogprobs: number, generatedLen: number): number {
    return sumLogprobs / generatedLen ** this.lengthPenalty;
  }

  add(tokens: number[], sumLogprobs: number, generatedLen: number, repetition = false): void {
    const score = this.normalise(sumLogprobs, generatedLen);
    if (this.beams.length < this.numBeams || score > this.worstScore) {
      this.beams.push({ score, tokens, sumLogprobs, repetition });
      if (this.beams.length > this.numBeams) {
        const order = this.beams.map((b, i) => [b.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.beams.splice(order[0]![1], 1);
        this.worstScore = order[1]![0];
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  /**
   * HF's is_done. `bestSumLogprobs` is the best candidate score of the step, `curLen` the sequence
   * length the running beams will have after this step.
   */
  isDone(bestSumLogprobs: number, curLen: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    let denominatorLen = curLen - this.promptLength;
    if (this.earlyStopping === 'never' && this.lengthPenalty > 0) denominatorLen = this.maxLength - this.promptLength;
    const highestAttainable = bestSumLogprobs / denominatorLen ** this.lengthPenalty;
    return this.worstScore >= highestAttainable;
  }

  /** The best hypothesis (ties: the one added last, as HF's sorted(...).pop()). */
  best(): Hypothesis | undefined {
    let best: Hypothesis | undefined;
    for (const h of this.beams) if (best === undefined || h.score >= best.score) best = h;
    return best;
  }

  /** Every kept hypothesis, best first, ties in the order best() breaks them (the one added last first). */
  ranked(): Hypothesis[] {
    return this.beams
      .map((h, i) => [h, i] as const)
      .sort((a, b) => b[0].score - a[0].score || b[1] - a[1])
      .map(([h]) => h);
  }
}
