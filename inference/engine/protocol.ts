/**
 * Messages between the pool (main thread) and an inference worker. Token arrays travel as typed
 * arrays in the transfer list, never as JSON.
 */
import type { GenerationSettings } from './generation/types.js';
import type { LoadSessionsInput } from './onnx-model.js';

/**
 * Test-only failures of a worker serving a job (pools started with testHooks): 'exit' and 'throw'
 * kill it, 'hang' spins in JavaScript forever, 'wait-for-cancel' idles until the job is cancelled
 * (or the worker is stopped), then runs into the cancellation check before its first native call.
 */
export type TestCrash = 'exit' | 'throw' | 'hang' | 'wait-for-cancel';
/** The failures a test can ask of an idle worker. */
export type IdleTestCrash = Exclude<TestCrash, 'wait-for-cancel'>;

/**
 * One generate job: already tokenized rows back to back (job.ts packs them), each with its own
 * forced (target-language) token and max new tokens, so rows of different directions share a batch.
 */
export interface GenerateJob {
  /** Source ids of every row back to back: row i = inputIds[offsets[i] .. offsets[i+1]). */
  inputIds: Int32Array;
  /** rows + 1 entries, offsets[0] = 0. */
  offsets: Int32Array;
  /** Per row: the token forced after the decoder start token (NLLB: the target language). */
  forcedTokenIds: Int32Array;
  /** Per row: HF max_new_tokens (forced token and </s> included). */
  maxNewTokens: Int32Array;
  settings: GenerationSettings;
  /** Only honoured by pools started with testHooks. */
  testCrash?: TestCrash;
}

export interface GenerateTimings {
  encoderMs: number;
  decoderMs: number;
  /** Encoder + decoder + search, measured in the worker. */
  totalMs: number;
  /** Decoder calls. */
  steps: number;
  /** Sum of the hypotheses computed per decoder call. */
  hypothesisSteps: number;
}

export interface GenerateOutput {
  /** Output sequences back to back (start token, forced token, …, </s> unless cut). */
  tokens: Int32Array;
  /** rows + 1 entries. */
  offsets: Int32Array;
  /** Beam score of each row (NaN for greedy). */
  scores: Float64Array;
  /** Per row: sum of the log-probs of the tokens after the forced token (RowOutput.logprob). */
  logprobs: Float64Array;
  /** 1 when the row ended with </s>. */
  finished: Uint8Array;
  /** 1 when the repetition guard forced the row's </s>. */
  repetition: Uint8Array;
  /**
   * The n-best alternatives (beam search with settings.alternatives > 0), back to back: alternative
   * j = altTokens[altOffsets[j] .. altOffsets[j+1]) with beam score altScores[j]; row i owns
   * alternatives altRows[i] .. altRows[i+1] - 1, best first. altRows has rows + 1 entries.
   */
  altTokens: Int32Array;
  altOffsets: Int32Array;
  altScores: Float64Array;
  altRows: Int32Array;
  timings: GenerateTimings;
}

export interface WorkerInit extends LoadSessionsInput {
  testHooks: boolean;
  /** Run a tiny generate after loading, so a graph that loads but cannot run fails at start. */
  warmUp: boolean;
}

export type ToWorker =
  | { type: 'generate'; id: number; job: GenerateJob }
  | { type: 'test-crash'; mode: IdleTestCrash }
  /** Leave once idle (the STOP flag of the control word is set too). */
  | { type: 'shutdown' };

export type FromWorker =
  | { type: 'ready'; vocabSize: number }
  | { type: 'init-error'; problems: string[] }
  | { type: 'result'; id: number; output: GenerateOutput }
  /** `cancelled`: the job stopped because the pool cancelled it (control.ts), not because it failed. */
  | { type: 'error'; id: number; message: string; cancelled: boolean };

/** The typed arrays of a job or output, for postMessage's transfer list. */
export function transferablesOf(x: GenerateJob | GenerateOutput): ArrayBuffer[] {
  const arrays =
    'inputIds' in x
      ? [x.inputIds, x.offsets, x.forcedTokenIds, x.maxNewTokens]
      : [x.tokens, x.offsets, x.scores, x.logprobs, x.finished, x.repetition, x.altTokens, x.altOffsets, x.altScores, x.altRows];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  return [...buffers];
}
