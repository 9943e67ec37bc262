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
  /**
   * Beam search: how many finished hypotheses after the chosen one to return too (HF's
   * num_return_sequences - 1), best first; at most beamSize - 1. Greedy: 0.
   */
  alternatives: number;
}

/**
 * Everything that decides how a job is decoded, the same for all its rows: the search options plus
 * whether the decoder reuses its KV cache (false: recompute the full decoder every step, for
 * equivalence tests and benchmarks; the output is the same).
 */
export type GenerationSettings = SearchOptions & { useCache: boolean };

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

/** A finished hypothesis of beam search other than the chosen one. */
export interface AlternativeOutput {
  /** The decoder sequence, as RowOutput.tokens. */
  tokens: number[];
  /** Its length-normalised beam score (comparable with the chosen hypothesis' `score`). */
  score: number;
}

export interface RowOutput {
  /** The decoder sequence: start token, forced token, generated tokens, `</s>` unless cut at the max length. */
  tokens: number[];
  /** Beam search: the length-normalised score of the returned hypothesis; greedy: null. */
  score: number | null;
  /**
   * Sum of the log-probabilities (log-softmax of the raw logits) of the tokens generated after the
   * forced language token, `</s>` included; a token forced by the repetition guard counts 0 (HF
   * writes 0 for forced tokens). Greedy and beam alike; 0 when nothing was generated.
   */
  logprob: number;
  /** true when the sequence ended with `</s>` (false: cut at the max length). */
  finished: boolean;
  /** true when the repetition guard ended the returned sequence (its `</s>` was forced). */
  repetition: boolean;
  /** Up to SearchOptions.alternatives other finished hypotheses, best first; [] for greedy. */
  alternatives: AlternativeOutput[];
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
