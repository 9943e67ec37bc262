import os from 'node:os';

/**
 * How many ONNX worker threads (each with its own InferenceSession) and how many intra-op threads
 * each. Reasoning, to be checked against bench/ measurements:
 *
 * - One NLLB decoder step on a small batch is a few small matmuls (hidden size 1024). Intra-op
 *   parallelism stops paying beyond ~4 threads on such shapes: the work per step is too small to
 *   hide the thread synchronisation, so 16 threads on one session are barely faster than 4.
 * - Several sessions, each with a few threads, serve several batches at once: aggregate
 *   throughput scales almost with the worker count under concurrent load, and one long request
 *   does not hold up everyone else (head-of-line blocking).
 * - Each worker holds its own copy of the weights and arena (about 0.6–1.2 GB for the 600M int8
 *   model), so memory, not cores, often bounds the worker count: `maxWorkers` or `memoryBytes`
 *   with `bytesPerWorker` cap it.
 * - workers × intra never exceeds the cores: oversubscription makes ONNX's spinning threads fight.
 *   inter-op threads stay 1: NLLB graphs are sequential, there is nothing to run side by side.
 *
 * So: one worker per `coresPerWorker` (default 4) cores, rounded, at least 1; the cores shared out
 * evenly as intra-op threads. 2 cores → 1×2, 4 → 1×4, 6 → 2×3, 8 → 2×4, 16 → 4×4.
 */
// Overrides come from the caller (inference/config.ts reads ENGINE_WORKERS and
// ENGINE_INTRA_OP_THREADS); this module only decides.
export interface ThreadPlanOptions {
  /** Cores to plan for. Default os.availableParallelism(). */
  cores?: number;
  /** Fixed worker count (override). */
  workers?: number;
  /** Fixed intra-op threads per worker (override). */
  intraOpThreads?: number;
  coresPerWorker?: number;
  maxWorkers?: number;
  /** Memory available to the model, with `bytesPerWorker`, caps the worker count. */
  memoryBytes?: number;
  bytesPerWorker?: number;
}

export interface ThreadPlan {
  cores: number;
  workers: number;
  intraOpThreads: number;
  interOpThreads: number;
}

function positiveInt(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : undefined;
}

export function planThreads(options: ThreadPlanOptions = {}): ThreadPlan {
  const cores = positiveInt(options.cores) ?? Math.max(1, os.availableParallelism());
  // One worker per 8 cores: on the bench preset (NLLB-600M dimensions, bench/RESULTS.md "Threading") one worker
  // with both cores was 1.0-1.6x as fast as two single-threaded workers across three runs, at half the memory
  // (each worker holds its own ONNX sessions); a batching server keeps one worker's cores busy with one batch.
  const perWorker = positiveInt(options.coresPerWorker) ?? 8;
  let workers = positiveInt(options.workers);
  if (workers === undefined) {
    workers = Math.max(1, Math.floor(cores / perWorker));
    const maxWorkers = positiveInt(options.maxWorkers);
    if (maxWorkers !== undefined) workers = Math.min(workers, maxWorkers);
    const memory = options.memoryBytes;
    const each = options.bytesPerWorker;
    if (memory !== undefined && each !== undefined && each > 0) workers = Math.max(1, Math.min(workers, Math.floor(memory / each)));
  }
  const intraOpThreads = positiveInt(options.intraOpThreads) ?? Math.max(1, Math.floor(cores / workers));
  return { cores, workers, intraOpThreads, interOpThreads: 1 };
}
