/**
 * Service rate of the engine, measured on completed batches (tokens per second of one batch
 * runner). An exponentially weighted moving average follows changes of load and model (hot swap)
 * within a few batches while one slow or fast batch cannot swing it alone.
 */
export class ServiceRate {
  #ewma: number | undefined;
  readonly #alpha: number;

  /** `alpha` is the weight of the newest sample (0 < alpha <= 1). */
  constructor(alpha = 0.3) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError('alpha must be in (0, 1]');
    this.#alpha = alpha;
  }

  record(tokens: number, durationMs: number): void {
    // A batch that took no measurable time (cache hit, coarse clock) says nothing about the rate.
    if (!(tokens > 0) || !(durationMs > 0) || !Number.isFinite(durationMs)) return;
    const sample = tokens / (durationMs / 1000);
    this.#ewma = this.#ewma === undefined ? sample : this.#alpha * sample + (1 - this.#alpha) * this.#ewma;
  }

  /** Tokens per second of one runner, or undefined before the first measured batch. */
  get tokensPerSecond(): number | undefined {
    return this.#ewma;
  }
}
