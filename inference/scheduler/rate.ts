/**
 * Service rate of the engine, measured on completed batches (tokens per second of one batch
 * runner). An exponentially weighted moving average follows changes of load and model (hot swap)
 * within a few batches while one slow or fast batch cannot swing it alone.
 */
export class ServiceRate {
  #ewma: number | undefined;
  #meanRows: number | undefined;
  #completed = false;
  readonly #alpha: number;

  /** `alpha` is the weight of the newest sample (0 < alpha <= 1). */
  constructor(alpha = 0.3) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError('alpha must be in (0, 1]');
    this.#alpha = alpha;
  }

  /** A completed batch of `rows` rows: `tokens` in `durationMs`. */
  record(tokens: number, durationMs: number, rows = 1): void {
    // A batch that took no measurable time (cache hit, coarse clock) says nothing about the rate.
    if (!(tokens > 0) || !(durationMs > 0) || !Number.isFinite(durationMs)) return;
    const sample = tokens / (durationMs / 1000);
    this.#completed = true;
    const r = Math.max(1, rows);
    this.#meanRows = this.#meanRows === undefined ? r : this.#alpha * r + (1 - this.#alpha) * this.#meanRows;
    this.#ewma = this.#ewma === undefined ? sample : this.#alpha * sample + (1 - this.#alpha) * this.#ewma;
  }

  /**
   * A batch that did not finish `tokens` within `durationMs` (its deadline passed): the rate is at
   * most this, so a model too slow to finish any batch is still measured instead of being taken at its
   * prior forever. It lowers the estimate when that is faster (or absent), never raises it, and is
   * ignored once batches have completed: then the completed ones measure the rate, and a cut batch is
   * as likely a hung worker (replaced by the pool) as a slow model.
   */
  recordUnfinished(tokens: number, durationMs: number): void {
    if (this.#completed || !(tokens > 0) || !(durationMs > 0) || !Number.isFinite(durationMs)) return;
    const bound = tokens / (durationMs / 1000);
    if (this.#ewma === undefined || bound < this.#ewma) this.#ewma = bound;
  }

  /** Rows per measured batch (EWMA), or undefined before the first completed batch. */
  get meanRows(): number | undefined {
    return this.#meanRows;
  }

  /** Whether a completed batch was measured (not only bounded by unfinished ones). */
  get completed(): boolean {
    return this.#completed;
  }

  /** Tokens per second of one runner, or undefined before the first measured batch. */
  get tokensPerSecond(): number | undefined {
    return this.#ewma;
  }
}
