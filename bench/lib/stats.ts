/** Small statistics for the benchmarks (no assertions on timings anywhere). */

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** One load case: N closed-loop clients, each sending `perClient` requests one after another. */
export interface LoadResult {
  concurrency: number;
  requests: number;
  /** Generated tokens over all requests (after the language token). */
  tokens: number;
  wallMs: number;
  tokensPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  /** Smallest and largest generated tokens of one request (shows whether every row ran to the cap). */
  minTokens: number;
  maxTokens: number;
  /** Mean rows per model run, when known. */
  meanBatch?: number;
  batches?: number;
}

/**
 * Runs `concurrency` closed-loop clients: client c sends `perClient` requests in sequence, request k
 * being `call(c * perClient + k)`, which resolves to the tokens it generated.
 */
export async function closedLoop(
  concurrency: number,
  perClient: number,
  call: (index: number) => Promise<number>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const tokens: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, c) => {
      for (let k = 0; k < perClient; k++) {
        const start = performance.now();
        const n = await call(c * perClient + k);
        latencies.push(performance.now() - start);
        tokens.push(n);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const total = sum(tokens);
  return {
    concurrency,
    requests: latencies.length,
    tokens: total,
    wallMs,
    tokensPerSecond: total / (wallMs / 1000),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    minTokens: Math.min(...tokens),
    maxTokens: Math.max(...tokens),
  };
}
