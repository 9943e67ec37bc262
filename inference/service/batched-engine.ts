import { TranslationEngine, type GenerateJob, type GenerationSettings, type SearchOptions } from '../engine/index.js';
import { MicroBatcher, translationBatchKey, type BatchInfo, type BatcherStats, type SubmitOptions } from '../scheduler/index.js';

/** One sentence ready for the model: its source ids carry the source language, its forced token the target. */
interface EngineRow {
  ids: number[];
  forcedTokenId: number;
  maxNewTokens: number;
  search: SearchOptions;
  useCache: boolean;
}

interface RowResult {
  text: string;
  generatedTokens: number;
  /** Worker time of the batch the row ran in. */
  batchMs: number;
}

export interface SentenceToTranslate {
  text: string;
  /** FLORES-200 source code. */
  src: string;
}

export interface BatchedTranslation {
  translations: string[];
  generatedTokens: number;
  /** Worker time of the slowest batch this call's sentences ran in, ms. */
  inferenceMs: number;
}

export interface BatchingOptions {
  maxWaitMs: number;
  maxBatchSize: number;
  maxBatchTokens: number;
  maxQueuedRequests: number;
  maxQueuedTokens: number;
  deadlineMs: number;
  /** Batches at once: one per engine worker. */
  concurrency: number;
  onBatch?: (info: BatchInfo) => void;
}

/**
 * The engine behind the micro-batcher: sentences of concurrent requests (any direction, same search
 * settings) are merged into one padded generate job, so one model run serves them all.
 */
export class BatchedEngine {
  private readonly batcher: MicroBatcher<EngineRow, RowResult>;
  /** Tokens generated since load, for /status. */
  generatedTokensTotal = 0;

  constructor(
    readonly engine: TranslationEngine,
    options: BatchingOptions,
  ) {
    this.batcher = new MicroBatcher<EngineRow, RowResult>({
      run: (rows) => this.run(rows),
      keyOf: (row) => searchKey(row),
      tokensOf: (row) => row.ids.length,
      maxWaitMs: options.maxWaitMs,
      maxBatchSize: options.maxBatchSize,
      maxBatchTokens: options.maxBatchTokens,
      maxQueuedRequests: options.maxQueuedRequests,
      maxQueuedTokens: options.maxQueuedTokens,
      deadlineMs: options.deadlineMs,
      concurrency: options.concurrency,
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    });
  }

  /** Source tokens of a text (for segmentation and admission). */
  tokenCount(text: string): number {
    return this.engine.tokenCount(text);
  }

  get maxSourceTokens(): number {
    return this.engine.folder.maxSourceTokens;
  }

  stats(): BatcherStats {
    return this.batcher.stats();
  }

  async translate(
    sentences: readonly SentenceToTranslate[],
    tgt: string,
    settings: Partial<GenerationSettings> & { maxNewTokens?: number },
    submit: SubmitOptions = {},
  ): Promise<BatchedTranslation> {
    if (sentences.length === 0) return { translations: [], generatedTokens: 0, inferenceMs: 0 };
    const resolved = this.engine.resolveSettings(settings);
    const search: SearchOptions = {
      beamSize: resolved.beamSize,
      lengthPenalty: resolved.lengthPenalty,
      earlyStopping: resolved.earlyStopping,
      noRepeatNgramSize: resolved.noRepeatNgramSize,
      repetitionGuard: resolved.repetitionGuard,
    };
    const forcedTokenId = this.engine.tokenizer.languageTokenId(tgt);
    const rows = sentences.map(({ text, src }): EngineRow => {
      const { ids } = this.engine.tokenizer.encodeSource(text, src, this.engine.folder.maxSourceTokens);
      return { ids, forcedTokenId, maxNewTokens: this.engine.maxNewTokensFor(ids.length, settings.maxNewTokens), search, useCache: resolved.useCache };
    });
    const results = await this.batcher.submit(rows, submit);
    const generatedTokens = results.reduce((sum, r) => sum + r.generatedTokens, 0);
    this.generatedTokensTotal += generatedTokens;
    return {
      translations: results.map((r) => r.text),
      generatedTokens,
      inferenceMs: results.reduce((max, r) => Math.max(max, r.batchMs), 0),
    };
  }

  /** Waits until nothing is queued or running (graceful shutdown). */
  drain(): Promise<void> {
    return this.batcher.drain();
  }

  async close(): Promise<void> {
    await this.batcher.close();
    await this.engine.close();
  }

  private async run(rows: EngineRow[]): Promise<RowResult[]> {
    const first = rows[0]!;
    const offsets = new Int32Array(rows.length + 1);
    rows.forEach((row, i) => (offsets[i + 1] = offsets[i]! + row.ids.length));
    const inputIds = new Int32Array(offsets[rows.length]!);
    rows.forEach((row, i) => inputIds.set(row.ids, offsets[i]!));
    const job: GenerateJob = {
      inputIds,
      offsets,
      forcedTokenIds: Int32Array.from(rows, (row) => row.forcedTokenId),
      maxNewTokens: Int32Array.from(rows, (row) => row.maxNewTokens),
      search: first.search,
      useCache: first.useCache,
    };
    const output = await this.engine.generateBatch(job);
    return rows.map((_, i) => {
      const tokens = TranslationEngine.rowTokens(output, i);
      return { text: this.engine.tokenizer.decode(tokens), generatedTokens: Math.max(0, tokens.length - 2), batchMs: output.timings.totalMs };
    });
  }
}

/** Rows may share a job when their search settings are equal; directions and caps are per row. */
function searchKey(row: EngineRow): string {
  const s = row.search;
  const guard = s.repetitionGuard ? `${s.repetitionGuard.maxNgram}x${s.repetitionGuard.minRepeats}` : 'off';
  return translationBatchKey({
    beams: s.beamSize,
    search: `lp=${s.lengthPenalty}|es=${String(s.earlyStopping)}|nrng=${s.noRepeatNgramSize}|rg=${guard}|kv=${row.useCache}`,
  });
}
