/**
 * Messages between the pool (main thread) and an inference worker. Token arrays travel as typed
 * arrays in the transfer list, never as JSON.
 */
import type { SearchOptions } from './generation/types.js';
import type { DecoderVariant, GraphName, ModelConfig } from './model-folder.js';
import type { SessionSettings } from './onnx-model.js';

/**
 * One padded generate job: already tokenized rows, each with its own forced (target-language)
 * token and max new tokens, so rows of different directions can share a batch.
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
  search: SearchOptions;
  /** false: recompute the full decoder every step (equivalence tests, benchmarks). */
  useCache: boolean;
  /** Only honoured by pools started with testHooks: makes the worker die while serving the job. */
  testCrash?: 'exit' | 'throw' | 'hang';
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
  /** 1 when the row ended with </s>. */
  finished: Uint8Array;
  timings: GenerateTimings;
}

export interface WorkerInit {
  variant: DecoderVariant;
  config: ModelConfig;
  graphs: Partial<Record<GraphName, string>>;
  onnxSuffix: string;
  settings: SessionSettings;
  testHooks: boolean;
  /** Run a tiny generate after loading, so a graph that loads but cannot run fails at start. */
  warmUp: boolean;
}

export type ToWorker =
  | { type: 'generate'; id: number; job: GenerateJob }
  | { type: 'test-crash'; mode: 'exit' | 'throw' | 'hang' }
  /** Leave once idle (the STOP flag of the control word is set too). */
  | { type: 'shutdown' };

export type FromWorker =
  | { type: 'ready'; vocabSize: number }
  | { type: 'init-error'; problems: string[] }
  | { type: 'result'; id: number; output: GenerateOutput }
  | { type: 'error'; id: number; message: string };

/** The typed arrays of a job or output, for postMessage's transfer list. */
export function transferablesOf(x: GenerateJob | GenerateOutput): ArrayBuffer[] {
  const arrays =
    'inputIds' in x
      ? [x.inputIds, x.offsets, x.forcedTokenIds, x.maxNewTokens]
      : [x.tokens, x.offsets, x.scores, x.finished];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer && a.byteLength === a.buffer.byteLength) buffers.add(a.buffer);
  return [...buffers];
}
