/**
 * Types of the pure generation code (greedy and beam search over logits).
 *
 * Nothing here knows about ONNX: a search drives a `DecoderStepper`, which the worker implements
 * over onnxruntime sessions and the unit tests implement over synthetic logits.
 */

/** HF's `early_stopping`: true = a sentence is done once it holds `beamSize` finished hypotheses. */
export type EarlyStopping = boolean | 'never';

/**
 * Guard against degenerate repetition: when the tokens a row generated (after the language token)
 * end with the same n-gram (1 <= n <= maxNgram) repeated `minRepeats` times in a row, the next token
 * of that hypothesis is forced to `</s>` (log-prob 0, like HF's forced-EOS processor).
 */
export interface RepetitionGuard {
  maxNgram: number;
  minRepeats: number;
}

export interface SearchOptions {
  /** 1 = greedy; 2..MAX_BEAMS = beam search. */
  beamSize: number;
  /** HF `length_penalty`: finished hypotheses are scored sum_logprobs / generated_len ** lengthPenalty. */
  lengthPenalty: number;
  earlyStopping: EarlyStopping;
  /** HF `no_repeat_ngram_size` (over the whole decoder sequence, start token included); 0 = off. */
  noRepeatNgramSize: number;
  /** null = off. */
  repetitionGuard: RepetitionGuard | null;
}

export interface SpecialTokenIds {
  decoderStartTokenId: number;
  eosTokenId: number;
  padTokenId: number;
}

/** One source row of a search. */
export interface SearchRow {
  /** The token forced right after the decoder start token (NLLB: the target-language token). */
  forcedTokenId: number;
  /**
   * New tokens after the decoder start token, the forced token and `</s>` included (HF's
   * `max_new_tokens`): the output sequence has at most 1 + maxNewTokens tokens.
   */
  maxNewTokens: number;
}

export interface RowOutput {
  /** The decoder sequence: start token, forced token, generated tokens, `</s>` unless cut at the max length. */
  tokens: number[];
  /** Beam search: the length-normalised score of the returned hypothesis; greedy: null. */
  score: number | null;
  /** true when the sequence ended with `</s>` (false: cut at the max length). */
  finished: boolean;
}

export interface StepInput {
  /** The full decoder sequence of every live hypothesis, start token first. All have the same length. */
  sequences: readonly (readonly number[])[];
  /** rows[i] = the source row (index into the batch) hypothesis i belongs to. */
  rows: Int32Array;
  /**
   * parents[i] = the index, in the previous step's `sequences`, of the hypothesis that i extends by
   * its last token; null on the first step (then every sequence is [start, forced]).
   */
  parents: Int32Array | null;
}

export interface DecoderStepper {
  readonly vocabSize: number;
  /** Logits of the last position of every sequence: [sequences.length × vocabSize]. */
  step(input: StepInput): Promise<Float32Array>;
}

export interface SearchStats {
  /** Decoder calls. */
  steps: number;
  /** Sum over the calls of the hypotheses computed (the decoder's work in positions). */
  hypothesisSteps: number;
}

export interface SearchResult {
  rows: RowOutput[];
  stats: SearchStats;
}
