import { loadConfig } from '../../inference/config.js';
import { TranslationEngine } from '../../inference/engine/index.js';
import { BatchedEngine, type BatchingOptions, type GenerationRequest } from '../../inference/service/batched-engine.js';
import { median, sum } from './stats.js';

/** The container's default configuration on these 2 cores: what the in-process benchmarks run with. */
export const BENCH_CONFIG = loadConfig({}, { cpus: 2 });

/** Batching as the container's, without waiting or a deadline (a benchmark sends its own batches). */
export const BENCH_BATCHING: BatchingOptions = {
  maxWaitMs: 0,
  maxBatchSize: BENCH_CONFIG.batch.maxSize,
  maxBatchTokens: BENCH_CONFIG.batch.maxTokens,
  maxQueuedRequests: BENCH_CONFIG.queue.maxRequests,
  maxQueuedTokens: BENCH_CONFIG.queue.maxTokens,
  deadlineMs: 30 * 60_000,
  concurrency: 1,
};

export interface ModelTime {
  dir: string;
  rows: number;
  srcTokens: number;
  generated: number;
  batch1Ms: number;
  batch1Runs: number[];
  batchedMs: number;
}

/**
 * The model's time per sentence on a model folder (the bench preset, or the tiny fixture): greedy,
 * one sentence at a time (median, after a warm-up of every sentence) and all of them in one batch —
 * the yardstick the trust and HTML benchmarks compare their own overhead with.
 */
export async function measureModelTime(dir: string, texts: readonly string[], log: (message: string) => void): Promise<ModelTime> {
  const t0 = performance.now();
  const engine = await TranslationEngine.load(dir, { workers: 1, intraOpThreads: 2, limits: BENCH_CONFIG.limits });
  log(`loaded ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const batched = new BatchedEngine(engine, BENCH_BATCHING);
  try {
    // Random weights rarely emit </s>: cap each sentence at its own source length (a translation
    // about as long as its source), so both models do comparable work per sentence.
    const caps = texts.map((t) => batched.tokenCount(t));
    const request = (i: number): GenerationRequest => ({ beamSize: 1, repetitionGuard: null, maxNewTokens: caps[i]! });
    const one = async (i: number) => {
      const start = performance.now();
      const r = await batched.translate([{ text: texts[i]!, src: 'eng_Latn' }], 'swh_Latn', request(i));
      return { ms: performance.now() - start, tokens: r.generatedTokens };
    };
    // Warm-up: every sentence once (the first run at a new sequence length is several times slower).
    for (let i = 0; i < texts.length; i++) await one(i);
    const runs: { ms: number; tokens: number }[] = [];
    for (let i = 0; i < texts.length; i++) runs.push(await one(i));
    log(`batch 1: median ${median(runs.map((r) => r.ms)).toFixed(0)} ms per sentence`);
    // One batch of all of them (the service sends a request's sentences together). Its cap: the longest.
    const all = texts.map((text) => ({ text, src: 'eng_Latn' }));
    const batchRequest: GenerationRequest = { beamSize: 1, repetitionGuard: null, maxNewTokens: Math.max(...caps) };
    await batched.translate(all, 'swh_Latn', batchRequest); // warm-up at this shape
    const start = performance.now();
    await batched.translate(all, 'swh_Latn', batchRequest);
    const batchedMs = (performance.now() - start) / texts.length;
    log(`batch of ${texts.length}: ${batchedMs.toFixed(0)} ms per sentence`);
    return {
      dir,
      rows: texts.length,
      srcTokens: sum(caps) / caps.length,
      generated: sum(runs.map((r) => r.tokens)) / runs.length,
      batch1Ms: median(runs.map((r) => r.ms)),
      batch1Runs: runs.map((r) => r.ms),
      batchedMs,
    };
  } finally {
    await batched.close();
  }
}
