/**
 * BatchedEngine over a fake model (no ONNX): how inference time is attributed to requests that share
 * batches or span several, and that a batch's abort reaches the model's run().
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import {
  DEFAULT_GENERATION,
  packOutput,
  unpackRows,
  type EncodedRow,
  type GenerationSettings,
  type JobRow,
  type PoolStats,
  type RunOptions,
  type RunResult,
} from '../../../inference/engine/index.js';
import { BatchedEngine, type BatchModel, type BatchingOptions } from '../../../inference/service/batched-engine.js';

const WORD_ID: Record<string, number> = {};
const idOf = (word: string) => (WORD_ID[word] ??= 100 + Object.keys(WORD_ID).length);
const LANG: Record<string, number> = { eng_Latn: 10, swh_Latn: 11 };

interface Run {
  rows: readonly JobRow[];
  settings: GenerationSettings;
  signal: AbortSignal | undefined;
  /** Answers the run: every row echoes its words; the job took `ms` of worker time. */
  answer(ms: number): void;
}

/** A model whose "translation" of a row is its own words; each run waits until the test answers it. */
class EchoModel implements BatchModel {
  readonly maxSourceTokens = 64;
  readonly stats: PoolStats = { workers: 2, ready: 1, busy: 0, queued: 0, restarts: 3, cancelled: 0 };
  readonly runs: Run[] = [];
  closed = false;

  tokenCount(text: string): number {
    return text.split(' ').length + 2;
  }

  resolveSettings(options: Partial<GenerationSettings> = {}): GenerationSettings {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    return { ...DEFAULT_GENERATION, ...defined };
  }

  encode(text: string, src: string, tgt: string): EncodedRow {
    return { ids: [LANG[src]!, ...text.split(' ').map(idOf), 2], forcedTokenId: LANG[tgt]!, maxNewTokens: 32, truncated: false, cappedByRequest: false };
  }

  run(rows: readonly JobRow[], settings: GenerationSettings, options: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      this.runs.push({
        rows,
        settings,
        signal: options.signal,
        answer: (ms) => {
          // decoder output: </s>, target language, the source words, </s>
          const timings = { encoderMs: 0, decoderMs: ms, totalMs: ms, steps: 0, hypothesisSteps: 0 };
          const output = packOutput(
            rows.map((r) => ({ tokens: [2, r.forcedTokenId, ...r.ids.slice(1, -1), 2], score: null, logprob: 0, finished: true, repetition: false, alternatives: [] })),
            timings,
          );
          const words = Object.fromEntries(Object.entries(WORD_ID).map(([w, id]) => [id, w]));
          const decode = (tokens: number[]) => tokens.slice(2, -1).map((id) => words[id]).join(' ');
          resolve({ rows: unpackRows(output).map((row) => ({ ...row, text: decode(row.tokens), alternativeTexts: [] })), timings });
        },
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const OPTIONS: BatchingOptions = {
  maxWaitMs: 0,
  maxBatchSize: 16,
  maxBatchTokens: 4096,
  maxQueuedRequests: 16,
  maxQueuedTokens: 65_536,
  deadlineMs: 60_000,
  concurrency: 1,
};

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!condition()) throw new Error('condition never held');
}

describe('BatchedEngine inference time', () => {
  it('two requests sharing one batch split its time by the tokens each generated', async () => {
    const model = new EchoModel();
    const engine = new BatchedEngine(model, OPTIONS);
    const long = engine.translate([{ text: 'the child drinks water', src: 'eng_Latn' }], 'swh_Latn', {});
    const short = engine.translate([{ text: 'hello', src: 'eng_Latn' }], 'swh_Latn', {});
    await until(() => model.runs.length === 1);
    expect(model.runs[0]!.rows).toHaveLength(2); // one batch for both
    model.runs[0]!.answer(120);
    const [a, b] = await Promise.all([long, short]);
    expect(a.translations).toEqual(['the child drinks water']);
    expect(b.translations).toEqual(['hello']);
    // 5 and 2 generated tokens (words + </s>): 120 ms × 5/7 and × 2/7, together the batch's 120 ms
    expect(a.inferenceMs).toBeCloseTo((120 * 5) / 7, 9);
    expect(b.inferenceMs).toBeCloseTo((120 * 2) / 7, 9);
    expect(a.inferenceMs + b.inferenceMs).toBeCloseTo(120, 9);
  });

  it('a request whose sentences ran in two batches one after the other reports the sum', async () => {
    const model = new EchoModel();
    const engine = new BatchedEngine(model, { ...OPTIONS, maxBatchSize: 1 });
    const call = engine.translate(
      [
        { text: 'good morning', src: 'eng_Latn' },
        { text: 'good night', src: 'eng_Latn' },
      ],
      'swh_Latn',
      {},
    );
    await until(() => model.runs.length === 1);
    model.runs[0]!.answer(30);
    await until(() => model.runs.length === 2);
    model.runs[1]!.answer(50);
    const result = await call;
    expect(result.translations).toEqual(['good morning', 'good night']);
    expect(result.inferenceMs).toBeCloseTo(80, 9);
    expect(result.generatedTokens).toBe(6);
    expect(engine.generatedTokensTotal).toBe(6);
  });

  it('rows with different settings never share a run, and each run gets its rows\' settings', async () => {
    const model = new EchoModel();
    const engine = new BatchedEngine(model, { ...OPTIONS, concurrency: 2 });
    const greedy = engine.translate([{ text: 'one', src: 'eng_Latn' }], 'swh_Latn', {});
    const beam = engine.translate([{ text: 'two', src: 'eng_Latn' }], 'swh_Latn', { beamSize: 4 });
    await until(() => model.runs.length === 2);
    expect(model.runs.map((r) => [r.rows.length, r.settings.beamSize]).sort()).toEqual([[1, 1], [1, 4]]);
    for (const run of model.runs) run.answer(10);
    await Promise.all([greedy, beam]);
  });
});

describe('BatchedEngine signals and status', () => {
  it('when every caller of a batch is gone, the batch\'s abort reaches the model\'s run()', async () => {
    const model = new EchoModel();
    const engine = new BatchedEngine(model, OPTIONS);
    const client = new AbortController();
    const call = engine.translate([{ text: 'hello', src: 'eng_Latn' }], 'swh_Latn', {}, { signal: client.signal });
    await until(() => model.runs.length === 1);
    const { signal } = model.runs[0]!;
    expect(signal?.aborted).toBe(false);
    client.abort();
    await expect(call).rejects.toBeInstanceOf(AppError);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    model.runs[0]!.answer(1);
    await engine.close();
    expect(model.closed).toBe(true);
  });

  it('reports the model\'s workers as /status shows them', () => {
    const engine = new BatchedEngine(new EchoModel(), OPTIONS);
    expect(engine.workers()).toEqual({ count: 2, ready: 1, restarts: 3 });
  });
});
