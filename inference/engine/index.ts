/**
 * The NLLB-200 translation engine: tokenizer (main thread) + a pool of ONNX workers.
 *
 *   const engine = await TranslationEngine.load('models/tiny', { workers: 1 });
 *   const { translations } = await engine.translate(['the child drinks water.'], 'eng_Latn', 'swh_Latn');
 *   await engine.close();
 *
 * translate() = prepare() (tokenize → one padded GenerateJob, per-row target tokens and caps)
 * → generateBatch() (a worker runs encoder + search) → decodeOutput(). The steps are public so a
 * micro-batcher can merge the jobs of several requests (rows may even have different targets).
 */
import { AppError } from '../../shared/errors.js';
import { DEFAULT_LIMITS, type Limits } from '../../shared/limits.js';
import { newTokenCap } from './generation/limits.js';
import { validateSearch } from './generation/search.js';
import type { EarlyStopping, RepetitionGuard, SearchOptions } from './generation/types.js';
import { inspectModelFolder, ModelFolderError, type DecoderChoice, type ModelFolder } from './model-folder.js';
import { InferencePool, type PoolOptions, type PoolStats } from './pool.js';
import type { GenerateJob, GenerateOutput, GenerateTimings } from './protocol.js';
import { NllbTokenizer, TokenizerLoadError } from './tokenizer.js';

export type { EarlyStopping, RepetitionGuard, SearchOptions } from './generation/types.js';
export type { GenerateJob, GenerateOutput, GenerateTimings } from './protocol.js';
export type { ModelFolder, ModelConfig, DecoderVariant, DecoderChoice } from './model-folder.js';
export { ModelFolderError, inspectModelFolder } from './model-folder.js';
export { NllbTokenizer, TokenizerLoadError, BOS_ID, PAD_ID, EOS_ID, UNK_ID } from './tokenizer.js';
export type { PoolStats } from './pool.js';

/** The repetition guard the engine uses unless told otherwise. */
export const DEFAULT_REPETITION_GUARD: RepetitionGuard = { maxNgram: 4, minRepeats: 6 };

export interface GenerationSettings {
  /** 1 = greedy. At most limits.MAX_BEAMS. */
  beamSize: number;
  lengthPenalty: number;
  earlyStopping: EarlyStopping;
  /** 0 = off. */
  noRepeatNgramSize: number;
  /** null = off. */
  repetitionGuard: RepetitionGuard | null;
  useCache: boolean;
}

export const DEFAULT_GENERATION: GenerationSettings = {
  beamSize: 1,
  lengthPenalty: 1,
  earlyStopping: true,
  noRepeatNgramSize: 0,
  repetitionGuard: DEFAULT_REPETITION_GUARD,
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
  /** ONNX file suffix, e.g. '_quantized'. Default ''. */
  onnxSuffix?: string;
  /** Generation caps (maxNewTokensFor, MAX_BEAMS). Default DEFAULT_LIMITS. */
  limits?: Limits;
  /** Defaults for translate()'s options. */
  defaults?: Partial<GenerationSettings>;
  /** A job running longer is abandoned and its worker replaced. Default: none. */
  jobTimeoutMs?: number;
  /** Test-only crash hooks in the workers. */
  testHooks?: boolean;
}

export interface TranslateOptions extends Partial<GenerationSettings> {
  /**
   * Upper bound on new tokens per sentence (HF max_new_tokens: the language token and </s>
   * included). Always bounded by maxNewTokensFor(input length) and the model's positions.
   */
  maxNewTokens?: number;
  /** Test only (engine loaded with testHooks): the worker dies while serving this call. */
  testCrash?: 'exit' | 'throw' | 'hang';
}

/** Tokenized rows ready for one generate job, plus what decoding the output needs. */
export interface PreparedBatch {
  job: GenerateJob;
  /** Index in `texts` of each job row (texts that are empty after trimming get no row). */
  rowOfText: (number | null)[];
  inputTokens: number[];
  truncated: boolean[];
}

export interface TranslateResult {
  translations: string[];
  /** Per text: the decoder's output sequence (</s>, target language, tokens, </s>); [] for blank text. */
  tokenIds: number[][];
  /** Per text: source length ([src_lang] tokens </s>) fed to the model (after truncation). */
  inputTokens: number[];
  /** Per text: tokens generated after the language token, </s> included. */
  generatedTokens: number[];
  /** Per text: true when the source was cut to the model's max positions. */
  truncated: boolean[];
  /** Per text: beam score (null for greedy and blank text). */
  scores: (number | null)[];
  /** Worker-side time of the job (encoder + decoder + search), ms. */
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
    const poolOptions: PoolOptions = { onnxSuffix: options.onnxSuffix ?? '' };
    if (options.workers !== undefined) poolOptions.workers = options.workers;
    if (options.intraOpThreads !== undefined) poolOptions.intraOpThreads = options.intraOpThreads;
    if (options.interOpThreads !== undefined) poolOptions.interOpThreads = options.interOpThreads;
    if (options.jobTimeoutMs !== undefined) poolOptions.jobTimeoutMs = options.jobTimeoutMs;
    if (options.testHooks !== undefined) poolOptions.testHooks = options.testHooks;
    const pool = await InferencePool.start(folder, poolOptions);
    return new TranslationEngine(folder, tokenizer, pool, limits, defaults);
  }

  get stats(): PoolStats {
    return this.pool.stats;
  }

  /** Source length of a text ([src_lang] tokens </s>), for admission control. */
  tokenCount(text: string): number {
    return this.tokenizer.tokenCount(text);
  }

  /** Search options from translate() options + defaults, validated against the limits. */
  resolveSettings(options: TranslateOptions = {}): GenerationSettings {
    const s: GenerationSettings = { ...this.defaults };
    for (const key of Object.keys(s) as (keyof GenerationSettings)[]) {
      if (options[key] !== undefined) (s as unknown as Record<string, unknown>)[key] = options[key];
    }
    if (!Number.isInteger(s.beamSize) || s.beamSize < 1 || s.beamSize > this.limits.MAX_BEAMS) {
      throw validationError(`beamSize must be an integer from 1 to ${this.limits.MAX_BEAMS}, got ${s.beamSize}`);
    }
    try {
      validateSearch([], { ...s });
    } catch (err) {
      throw validationError((err as Error).message);
    }
    return s;
  }

  /** The cap on new tokens for a source of `inputTokens` tokens (also bounded by the decoder's positions). */
  maxNewTokensFor(inputTokens: number, requested?: number): number {
    try {
      return newTokenCap(inputTokens, this.limits, this.folder.config.maxPositionEmbeddings, requested);
    } catch (err) {
      throw validationError((err as Error).message);
    }
  }

  /** Tokenizes texts into one padded generate job (blank texts get no row). */
  prepare(texts: readonly string[], src: string, tgt: string, options: TranslateOptions = {}): PreparedBatch {
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw validationError('texts must be an array of strings');
    const settings = this.resolveSettings(options);
    this.tokenizer.languageTokenId(src); // validates src even when every text is blank
    const tgtId = this.tokenizer.languageTokenId(tgt);
    const rowOfText: (number | null)[] = [];
    const inputTokens: number[] = [];
    const truncated: boolean[] = [];
    const rows: number[][] = [];
    const caps: number[] = [];
    for (const text of texts) {
      if (text.trim() === '') {
        rowOfText.push(null);
        inputTokens.push(0);
        truncated.push(false);
        continue;
      }
      const enc = this.tokenizer.encodeSource(text, src, this.folder.maxSourceTokens);
      rowOfText.push(rows.length);
      rows.push(enc.ids);
      inputTokens.push(enc.ids.length);
      truncated.push(enc.truncated);
      caps.push(this.maxNewTokensFor(enc.ids.length, options.maxNewTokens));
    }
    const offsets = new Int32Array(rows.length + 1);
    rows.forEach((r, i) => (offsets[i + 1] = offsets[i]! + r.length));
    const inputIds = new Int32Array(offsets[rows.length]!);
    rows.forEach((r, i) => inputIds.set(r, offsets[i]!));
    const search: SearchOptions = {
      beamSize: settings.beamSize,
      lengthPenalty: settings.lengthPenalty,
      earlyStopping: settings.earlyStopping,
      noRepeatNgramSize: settings.noRepeatNgramSize,
      repetitionGuard: settings.repetitionGuard,
    };
    const job: GenerateJob = {
      inputIds,
      offsets,
      forcedTokenIds: new Int32Array(rows.length).fill(tgtId),
      maxNewTokens: Int32Array.from(caps),
      search,
      useCache: settings.useCache,
    };
    if (options.testCrash) job.testCrash = options.testCrash;
    return { job, rowOfText, inputTokens, truncated };
  }

  /** Runs one job on a worker (its typed arrays are transferred). */
  generateBatch(job: GenerateJob): Promise<GenerateOutput> {
    return this.pool.generate(job);
  }

  /** Row i of a job's output as a token array. */
  static rowTokens(output: GenerateOutput, row: number): number[] {
    return Array.from(output.tokens.subarray(output.offsets[row]!, output.offsets[row + 1]!));
  }

  /** Decodes a job's output back to per-text results. */
  decodeOutput(prepared: PreparedBatch, output: GenerateOutput | null): TranslateResult {
    const translations: string[] = [];
    const tokenIds: number[][] = [];
    const generatedTokens: number[] = [];
    const scores: (number | null)[] = [];
    for (const row of prepared.rowOfText) {
      if (row === null || output === null) {
        translations.push('');
        tokenIds.push([]);
        generatedTokens.push(0);
        scores.push(null);
        continue;
      }
      const tokens = TranslationEngine.rowTokens(output, row);
      tokenIds.push(tokens);
      translations.push(this.tokenizer.decode(tokens));
      generatedTokens.push(Math.max(0, tokens.length - 2));
      const score = output.scores[row]!;
      scores.push(Number.isNaN(score) ? null : score);
    }
    return {
      translations,
      tokenIds,
      inputTokens: prepared.inputTokens,
      generatedTokens,
      truncated: prepared.truncated,
      scores,
      inferenceMs: output?.timings.totalMs ?? 0,
      timings: output?.timings ?? null,
    };
  }

  /** Translates texts from `src` to `tgt` (FLORES-200 codes) in one batch. */
  async translate(texts: readonly string[], src: string, tgt: string, options: TranslateOptions = {}): Promise<TranslateResult> {
    const prepared = this.prepare(texts, src, tgt, options);
    const output = prepared.job.forcedTokenIds.length > 0 ? await this.generateBatch(prepared.job) : null;
    return this.decodeOutput(prepared, output);
  }

  /** Test hook (engine loaded with testHooks): a worker dies while idle. */
  crashWorkerForTest(index = 0, mode: 'exit' | 'throw' | 'hang' = 'exit'): void {
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
