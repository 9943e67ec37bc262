/**
 * Open-loop traffic for the load benchmarks: requests start on a fixed schedule whatever the answers
 * take (a slow server does not slow the sender down, as with real clients), with a cap on requests in
 * flight so an overloaded server cannot make the benchmark itself unbounded.
 */

export interface OpenLoopOptions {
  /** Requests per second. */
  rate: number;
  /** How long to keep starting requests. */
  seconds: number;
  /** A request that would exceed this many in flight is skipped (and counted). */
  maxInFlight: number;
  /** Stop starting requests early when this aborts. */
  signal?: AbortSignal;
}

export interface OpenLoopRun {
  /** Requests started. */
  started: number;
  /** Requests skipped at the in-flight cap. */
  skipped: number;
}

/** Starts `send(i)` at `rate` per second for `seconds`, then waits for every started request. */
export async function openLoop(options: OpenLoopOptions, send: (index: number) => Promise<void>): Promise<OpenLoopRun> {
  const begin = performance.now();
  const pending = new Set<Promise<void>>();
  let started = 0;
  let skipped = 0;
  for (let i = 0; ; i++) {
    const due = begin + (i * 1000) / options.rate;
    if (due - begin >= options.seconds * 1000 || options.signal?.aborted) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (pending.size >= options.maxInFlight) {
      skipped++;
      continue;
    }
    started++;
    const p: Promise<void> = send(i).finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  return { started, skipped };
}
