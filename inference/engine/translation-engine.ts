/**
 * The NLLB-200 translation engine: tokenizer (main thread) + a pool of ONNX workers.
 *
 *   const engine = await TranslationEngine.load('models/tiny', { workers: 1 });
 *   const { translations } = await engine.translate(['the child drinks water.'], 'eng_Latn', 'swh_Latn');
 *   await engine.close();
 *
 * translate() = encode() each text (tokens, target token, new-token cap) → run() the rows as one job
 * (job.ts packs them, a worker runs encoder + search, job.ts unpacks, the tokenizer decodes). A
 * micro-batcher uses encode() and run() itself to merge the rows of several requests into one job
 * (rows may even have different directions).
 */
import { AppError } from '../../shared/errors.js';
import { DEFAULT_LIMITS, type Limits } from '../../shared/limits.js';
import type { OnnxSuffix } from '../modelstore/manifests.js';
import { newTokenCap } from './generation/limits.js';
import { validateSearch } from './generation/search.js';
import type { GenerationSettings, RepetitionGuard } from './generation/types.js';
import { packRows, unpackRows, type JobRow, type UnpackedRow } from './job.js';
import { inspectModelFolder, ModelFolderError, type DecoderChoice, type ModelFolder } from './model-folder.js';
import { InferencePool, type PoolOptions, type PoolStats, type RestartReason } from './pool.js';
import type { GenerateTimings, IdleTestCrash, TestCrash } from './protocol.js';
import { NllbTokenizer, TokenizerLoadError } from './tokenizer.js';

/** The repetition guard the engine uses unless told otherwise. */
export const DEFAULT_REPETITION_GUARD: RepetitionGuard = { maxNgram: 4, minRepeats: 6 };

export const DEFAULT_GENERATION: GenerationSettings = {
  beamSize: 1,
  lengthPenalty: 1,
  earlyStopping: true,
  noRepeatNgramSize: 0,
  repetitionGuard: DEFAULT_REPETITION_GUARD,
  alternatives: 0,
  useCache: true,
};

export interface EngineOptions {
  /** Worker threads, each with its own sessions. Default 1. */
  workers?: number;
  /** onnxruntime intra-op threads per worker. Default: cores / workers. */
  intraOpThreads?: number;
  /** onnxruntime inter-op threads per worker. Default 1. */
  interOpThreads?: number;
  /** 'auto' (default): decoder + decoder_with_past when both exist, else the merged decoder. */
  decoder?: DecoderChoice;
  /** The model store's ONNX file suffix ('_quantized' for int8). Default '' (fp32 names, as in models/tiny). */
  onnxSuffix?: OnnxSuffix;
  /** Generation caps (MAX_NEW_TOKENS_*, MAX_BEAMS). Default DEFAULT_LIMITS. */
  limits?: Limits;
  /** Defaults for the settings of translate() and run(). */
  defaults?: Partial<GenerationSettings>;
  /** A worker that has not answered its job this long is replaced (pool.ts). Default: none. */
  jobTimeoutMs?: number;
  /** Called once per replaced worker. */
  onWorkerRestart?: (reason: RestartReason) => void;
  /** Test-only crash hooks in the workers. */
  testHooks?: boolean;
}

export interface RunOptions {
  /** Aborted when nobody waits for the result any more (pool.ts). */
  signal?: AbortSignal | undefined;
  /** Test only (engine loaded with testHooks): how the worker fails while serving this job. */
  testCrash?: TestCrash | undefined;
}

export interface TranslateOptions extends Partial<GenerationSettings>, RunOptions {
  /**
   * Upper bound on new tokens per sentence (HF max_new_tokens: the language token and </s>
   * included). Always bounded by the input length, MAX_NEW_TOKENS_CAP and the model's positions.
   */
  maxNewTokens?: number;
}

/** A text ready to be a row of a job. */
export interface EncodedRow extends JobRow {
  /** true when the source was cut to the model's max positions. */
  truncated: boolean;
  /**
   * true when the caller's maxNewTokens is the bound that holds (it is at most the engine's own):
   * an output cut at the cap is then what the caller asked for, not a runaway generation.
   */
  cappedByRequest: boolean;
}

/** One row of a run: what the model made of it, decoded. */
export interface DecodedRow extends UnpackedRow {
  text: string;
  /** The row's n-best alternatives, decoded, best first (RowOutput.alternatives). */
  alternativeTexts: string[];
}

export interface RunResult {
  rows: DecodedRow[];
  timings: GenerateTimings;
}

export interface TranslateResult {
  translations: string[];
  /** Per text: the decoder's output sequence (</s>, target language, tokens, </s>); [] for blank text. */
  tokenIds: number[][];
  /** Per text: source length ([src_lang] tokens </s>) fed to the model (after truncation); 0 for blank text. */
  inputTokens: number[];
  /** Per text: tokens generated after the language token, </s> included. */
  generatedTokens: number[];
  /** Per text: true when the source was cut to the model's max positions. */
  truncated: boolean[];
  /** Per text: beam score (null for greedy and blank text). */
  scores: (number | null)[];
  /** Per text: sum of the log-probs of the generated tokens (RowOutput.logprob); 0 for blank text. */
  logprobs: number[];
  /** Per text: the output ended with </s> (false: cut at its new-token cap); true for blank text. */
  finished: boolean[];
  /** Per text: the repetition guard ended the output. */
  repetition: boolean[];
  /** Per text: the n-best alternatives (settings.alternatives), decoded, best first. */
  alternatives: string[][];
  /** Worker-side time of the job (encoder + decoder + search), ms; 0 when every text was blank. */
  inferenceMs: number;
  timings: GenerateTimings | null;
}

function validationError(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message);
}

export class TranslationEngine {
  private constructor(
    readonly folder: ModelFolder,
    readonly tokenizer: NllbTokenizer,
    private readonly pool: InferencePool,
    readonly limits: Limits,
    readonly defaults: GenerationSettings,
  ) {}

  /**
   * Validates the folder (files, config, tokenizer round trip, ONNX signatures) and starts the
   * workers. Throws ModelFolderError (AppError MODEL_UNAVAILABLE) with one message saying what is wrong.
   */
  static async load(dir: string, options: EngineOptions = {}): Promise<TranslationEngine> {
    const folder = inspectModelFolder(dir, { onnxSuffix: options.onnxSuffix ?? '', decoder: options.decoder ?? 'auto' });
    const tokenizer = await loadFolderTokenizer(folder);
    const limits = options.limits ?? { ...DEFAULT_LIMITS };
    const defaults: GenerationSettings = { ...DEFAULT_GENERATION, ...options.defaults };
    const poolOptions: PoolOptions = {};
    if (options.workers !== undefined) poolOptions.workers = options.workers;
    if (options.intraOpThreads !== undefined) poolOptions.intraOpThreads = options.intraOpThreads;
    if (options.interOpThreads !== undefined) poolOptions.interOpThreads = options.interOpThreads;
    if (options.jobTimeoutMs !== undefined) poolOptions.jobTimeoutMs = options.jobTimeoutMs;
    if (options.onWorkerRestart !== undefined) poolOptions.onRestart = options.onWorkerRestart;
    if (options.testHooks !== undefined) poolOptions.testHooks = options.testHooks;
    const pool = await InferencePool.start(folder, poolOptions);
    return new TranslationEngine(folder, tokenizer, pool, limits, defaults);
  }

  get stats(): PoolStats {
    return this.pool.stats;
  }

  /** Longest source sequence ([src_lang] tokens </s>) the model takes. */
  get maxSourceTokens(): number {
    return this.folder.maxSourceTokens;
  }

  /** Source length of a text ([src_lang] tokens </s>), for segmentation and admission control. */
  tokenCount(text: string): number {
    return this.tokenizer.tokenCount(text);
  }

  /** The defaults overridden by the settings `options` gives, validated against the limits. */
  resolveSettings(options: Partial<GenerationSettings> = {}): GenerationSettings {
    const s: GenerationSettings = { ...this.defaults };
    for (const key of Object.keys(s) as (keyof GenerationSettings)[]) {
      if (options[key] !== undefined) (s as Record<keyof GenerationSettings, unknown>)[key] = options[key];
    }
    if (!Number.isInteger(s.beamSize) || s.beamSize < 1 || s.beamSize > this.limits.MAX_BEAMS) {
      throw validationError(`beamSize must be an integer from 1 to ${this.limits.MAX_BEAMS}, got ${s.beamSize}`);
    }
    try {
      validateSearch([], s);
    } catch (err) {
      throw validationError((err as Error).message);
    }
    return s;
  }

  /**
   * One text as a row: its source ids (cut to the model's positions), the target-language token and
   * the new-token cap (generation/limits.ts). Throws UNSUPPORTED_LANGUAGE, VALIDATION_FAILED.
   */
  encode(text: string, src: string, tgt: string, maxNewTokens?: number): EncodedRow {
    const forcedTokenId = this.tokenizer.languageTokenId(tgt);
    const { ids, truncated } = this.tokenizer.encodeSource(text, src, this.folder.maxSourceTokens);
    const positions = this.folder.config.maxPositionEmbeddings;
    let cap: number;
    try {
      cap = newTokenCap(ids.length, this.limits, positions, maxNewTokens);
    } catch (err) {
      throw validationError((err as Error).message);
    }
    const cappedByRequest = maxNewTokens !== undefined && maxNewTokens <= newTokenCap(ids.length, this.limits, positions);
    return { ids, forcedTokenId, maxNewTokens: cap, truncated, cappedByRequest };
  }

  /** Runs `rows` as one job on a worker and decodes each row's output. */
  async run(rows: readonly JobRow[], settings: GenerationSettings, options: RunOptions = {}): Promise<RunResult> {
    const job = packRows(rows, settings);
    if (options.testCrash) job.testCrash = options.testCrash;
    const output = await this.pool.generate(job, { signal: options.signal });
    const decoded = unpackRows(output).map(
      (row): DecodedRow => ({
        ...row,
        text: this.tokenizer.decode(row.tokens),
        alternativeTexts: row.alternatives.map((a) => this.tokenizer.decode(a.tokens)),
      }),
    );
    return { rows: decoded, timings: output.timings };
  }

  /** Translates texts from `src` to `tgt` (FLORES-200 codes) in one job; blank texts get "" without the model. */
  async translate(texts: readonly string[], src: string, tgt: string, options: TranslateOptions = {}): Promise<TranslateResult> {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw validationError('texts must be an array of strings');
    const settings = this.resolveSettings(options);
    // Both codes are checked even when every text is blank (and no row is encoded).
    this.tokenizer.languageTokenId(src);
    this.tokenizer.languageTokenId(tgt);
    const encoded = texts.map((text) => (text.trim() === '' ? null : this.encode(text, src, tgt, options.maxNewTokens)));
    const rows = encoded.filter((row): row is EncodedRow => row !== null);
    const result = rows.length > 0 ? await this.run(rows, settings, options) : null;
    let next = 0;
    const outputs = encoded.map((row) => (row === null ? null : result!.rows[next++]!));
    return {
      translations: outputs.map((o) => o?.text ?? ''),
      tokenIds: outputs.map((o) => o?.tokens ?? []),
      inputTokens: encoded.map((row) => row?.ids.length ?? 0),
      generatedTokens: outputs.map((o) => o?.generatedTokens ?? 0),
      truncated: encoded.map((row) => row?.truncated ?? false),
      scores: outputs.map((o) => o?.score ?? null),
      logprobs: outputs.map((o) => o?.logprob ?? 0),
      finished: outputs.map((o) => o?.finished ?? true),
      repetition: outputs.map((o) => o?.repetition ?? false),
      alternatives: outputs.map((o) => o?.alternativeTexts ?? []),
      inferenceMs: result?.timings.totalMs ?? 0,
      timings: result?.timings ?? null,
    };
  }

  /** Test hook (engine loaded with testHooks): a worker dies or hangs while idle. */
  crashWorkerForTest(index = 0, mode: IdleTestCrash = 'exit'): void {
    this.pool.crashWorkerForTest(index, mode);
  }

  /** Terminates the workers; pending calls fail with MODEL_UNAVAILABLE. */
  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Loads the folder's tokenizer and checks it against config.json; problems become a ModelFolderError. */
export async function loadFolderTokenizer(folder: ModelFolder): Promise<NllbTokenizer> {
  let tokenizer: NllbTokenizer;
  try {
    tokenizer = await NllbTokenizer.load(folder.tokenizerFile, { maxSourceTokens: folder.maxSourceTokens });
  } catch (err) {
    if (err instanceof TokenizerLoadError) {
      throw new ModelFolderError(folder.dir, [`sentencepiece.bpe.model is not usable: ${err.reason}`]);
    }
    throw err;
  }
  const problems: string[] = [];
  if (tokenizer.vocabSize > folder.config.vocabSize) {
    problems.push(
      `sentencepiece.bpe.model has ${tokenizer.spmVocabSize} pieces, so the language tokens and <mask> need ids up to ${tokenizer.maskId}, but config.json says vocab_size ${folder.config.vocabSize}`,
    );
  }
  // Round trip on a plain sample: ids must be ordinary pieces and decode back to the text.
  const sample = 'a b c';
  const ids = tokenizer.encodeText(sample);
  const back = tokenizer.decode(ids);
  if (ids.length === 0 || (!ids.includes(3) && back !== sample)) {
    problems.push(`sentencepiece.bpe.model does not round-trip ${JSON.stringify(sample)} (got ${JSON.stringify(back)})`);
  }
  if (problems.length > 0) throw new ModelFolderError(folder.dir, problems);
  return tokenizer;
}
