import type { EncodedRow, GenerationSettings, JobRow, PoolStats, RunOptions, RunResult, TranslateOptions } from '../engine/index.js';
import { MicroBatcher, translationBatchKey, type BatchInfo, type BatcherStats, type SubmitOptions } from '../scheduler/index.js';

/**
 * What the batcher needs of a model (TranslationEngine implements it; tests inject fakes): encode a
 * text as a row, run rows as one job, and count tokens for segmentation and admission.
 */
export interface BatchModel {
  readonly maxSourceTokens: number;
  readonly stats: PoolStats;
  tokenCount(text: string): number;
  resolveSettings(options?: Partial<GenerationSettings>): GenerationSettings;
  encode(text: string, src: string, tgt: string, maxNewTokens?: number): EncodedRow;
  run(rows: readonly JobRow[], settings: GenerationSettings, options?: RunOptions): Promise<RunResult>;
  close(): Promise<void>;
}

/** A row in the batcher: the job row and the settings it must be decoded with (its batch key). */
interface QueuedRow extends JobRow {
  settings: GenerationSettings;
  /** EncodedRow.cappedByRequest, carried to the row's result. */
  cappedByRequest: boolean;
}

/** A hypothesis of a sentence other than the chosen one. */
export interface SentenceAlternative {
  text: string;
  /** Its length-normalised beam score (the chosen one's is SentenceOutput.beamScore). */
  score: number;
}

/** What the model made of one sentence. */
export interface SentenceOutput {
  text: string;
  /** Tokens generated after the language token, </s> included. */
  generatedTokens: number;
  /** Sum of the log-probs of those tokens (RowOutput.logprob): the per-result score's input. */
  logprob: number;
  /** Beam search: the chosen hypothesis' length-normalised score; greedy: null. */
  beamScore: number | null;
  /** false: the output was cut at its new-token cap. */
  finished: boolean;
  /** The cap that applied was the request's max_new_tokens (EncodedRow.cappedByRequest). */
  cappedByRequest: boolean;
  /** The repetition guard ended the output. */
  repetition: boolean;
  /** The n-best alternatives (settings.alternatives), best first, as the model produced them. */
  alternatives: SentenceAlternative[];
}

interface RowResult extends SentenceOutput {
  /** The row's share of its batch's worker time (job.ts RowOutput.workMs). */
  workMs: number;
}

export interface SentenceToTranslate {
  text: string;
  /** FLORES-200 source code. */
  src: string;
}

export interface BatchedTranslation {
  /** One per sentence, in order. */
  sentences: SentenceOutput[];
  /** sentences[i].text, for callers that need only the texts. */
  translations: string[];
  generatedTokens: number;
  /**
   * Worker time attributed to this call, ms: for every batch its sentences ran in, the batch's time
   * × the share of the batch's generated tokens that were this call's. Calls sharing a batch split
   * its time; batches one after another add up.
   */
  inferenceMs: number;
}

export type GenerationRequest = Pick<TranslateOptions, keyof GenerationSettings | 'maxNewTokens'>;

export interface BatchingOptions {
  maxWaitMs: number;
  maxBatchSize: number;
  maxBatchTokens: number;
  maxQueuedRequests: number;
  maxQueuedTokens: number;
  /** QUEUE_MAX_TOKENS_PER_CLIENT: one client's queued tokens at most (429 past it); default maxQueuedTokens. */
  maxQueuedTokensPerClient?: number;
  deadlineMs: number;
  /** Batches at once: one per engine worker. */
  concurrency: number;
  /** QUEUE_PRIOR_TOKENS_PER_SECOND: the engine rate admission assumes for a batch key before measuring it. */
  initialTokensPerSecond?: number;
  onBatch?: (info: BatchInfo) => void;
}

/** The worker pool as /status reports it. */
export interface WorkerStatus {
  count: number;
  ready: number;
  restarts: number;
}

/**
 * The engine behind the micro-batcher: sentences of concurrent requests (any direction, same
 * generation settings) are merged into one generate job, so one model run serves them all.
 */
export class BatchedEngine<M extends BatchModel = BatchModel> {
  private readonly batcher: MicroBatcher<QueuedRow, RowResult>;
  /** Tokens generated since load, for /status. */
  generatedTokensTotal = 0;

  constructor(
    readonly model: M,
    options: BatchingOptions,
  ) {
    this.batcher = new MicroBatcher<QueuedRow, RowResult>({
      run: (rows, _key, signal) => this.run(rows, signal),
      keyOf: (row) => translationBatchKey(row.settings),
      tokensOf: (row) => row.ids.length,
      maxWaitMs: options.maxWaitMs,
      maxBatchSize: options.maxBatchSize,
      maxBatchTokens: options.maxBatchTokens,
      maxQueuedRequests: options.maxQueuedRequests,
      maxQueuedTokens: options.maxQueuedTokens,
      ...(options.maxQueuedTokensPerClient !== undefined ? { maxQueuedTokensPerClient: options.maxQueuedTokensPerClient } : {}),
      deadlineMs: options.deadlineMs,
      concurrency: options.concurrency,
      ...(options.initialTokensPerSecond !== undefined ? { initialTokensPerSecond: options.initialTokensPerSecond } : {}),
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    });
  }

  /** Source tokens of a text (for segmentation and admission). */
  tokenCount(text: string): number {
    return this.model.tokenCount(text);
  }

  get maxSourceTokens(): number {
    return this.model.maxSourceTokens;
  }

  stats(): BatcherStats {
    return this.batcher.stats();
  }

  workers(): WorkerStatus {
    const { workers, ready, restarts } = this.model.stats;
    return { count: workers, ready, restarts };
  }

  async translate(
    sentences: readonly SentenceToTranslate[],
    tgt: string,
    request: GenerationRequest,
    submit: SubmitOptions = {},
  ): Promise<BatchedTranslation> {
    if (sentences.length === 0) return { sentences: [], translations: [], generatedTokens: 0, inferenceMs: 0 };
    const settings = this.model.resolveSettings(request);
    const rows = sentences.map(({ text, src }): QueuedRow => {
      const { ids, forcedTokenId, maxNewTokens, cappedByRequest } = this.model.encode(text, src, tgt, request.maxNewTokens);
      return { ids, forcedTokenId, maxNewTokens, settings, cappedByRequest };
    });
    const results = await this.batcher.submit(rows, submit);
    const generatedTokens = results.reduce((sum, r) => sum + r.generatedTokens, 0);
    this.generatedTokensTotal += generatedTokens;
    const outputs = results.map(({ workMs: _, ...output }): SentenceOutput => output);
    return {
      sentences: outputs,
      translations: outputs.map((o) => o.text),
      generatedTokens,
      inferenceMs: results.reduce((sum, r) => sum + r.workMs, 0),
    };
  }

  /** Waits until nothing is queued or running (graceful shutdown). */
  drain(): Promise<void> {
    return this.batcher.drain();
  }

  async close(): Promise<void> {
    await this.batcher.close();
    await this.model.close();
  }

  /** One batch: its rows share their settings (the batch key), so the first row's are the batch's. */
  private async run(rows: QueuedRow[], signal: AbortSignal): Promise<RowResult[]> {
    const result = await this.model.run(rows, rows[0]!.settings, { signal });
    return result.rows.map((row, i) => ({
      text: row.text,
      generatedTokens: row.generatedTokens,
      logprob: row.logprob,
      beamScore: row.score,
      finished: row.finished,
      cappedByRequest: rows[i]!.cappedByRequest,
      repetition: row.repetition,
      alternatives: row.alternativeTexts.map((text, j) => ({ text, score: row.alternatives[j]!.score })),
      workMs: row.workMs,
    }));
  }
}
