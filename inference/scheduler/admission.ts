import { AppError } from '../../shared/errors.js';
import { ServiceRate } from './rate.js';

export interface AdmissionOptions {
  /** Requests that may wait (have rows not yet handed to a runner) at once. */
  maxQueuedRequests: number;
  /** Tokens that may wait at once, summed over the waiting rows. */
  maxQueuedTokens: number;
  /** Batches that run at once: the measured per-batch rate times this is the capacity. */
  concurrency: number;
  /** Per-batch rate assumed until the first batch is measured (tokens/s). */
  initialTokensPerSecond: number;
  /** Bounds of the Retry-After estimate, in seconds. */
  minRetryAfterSeconds: number;
  maxRetryAfterSeconds: number;
}

/**
 * One admitted request's claim on the queue. The batcher reports rows leaving the queue with
 * `dequeue` and the request leaving it (all rows dispatched, or cancelled) with `release`;
 * `release` is idempotent and returns whatever tokens were still counted, so no path can leak
 * a slot or tokens.
 */
export interface QueueTicket {
  dequeue(tokens: number): void;
  release(): void;
}

/**
 * Bounded queue accounting and the overload decision. Refusing at once (503 + Retry-After) is
 * better than queueing without bound: a queued request that will miss its deadline costs the
 * client the whole timeout and the server the memory.
 */
export class AdmissionControl {
  readonly rate = new ServiceRate();
  #queuedRequests = 0;
  #queuedTokens = 0;
  #refused = 0;
  readonly #options: AdmissionOptions;

  constructor(options: AdmissionOptions) {
    this.#options = options;
  }

  get queuedRequests(): number {
    return this.#queuedRequests;
  }

  get queuedTokens(): number {
    return this.#queuedTokens;
  }

  /** Requests refused as OVERLOADED since start. */
  get refused(): number {
    return this.#refused;
  }

  /** Admits a request of `tokens` tokens or throws AppError('OVERLOADED') with retryAfterSeconds. */
  admit(tokens: number): QueueTicket {
    const { maxQueuedRequests, maxQueuedTokens } = this.#options;
    const tooManyRequests = this.#queuedRequests >= maxQueuedRequests;
    // A request bigger than the token bound alone is still served when nothing waits, else it
    // could never be admitted; the API's character limit bounds it anyway.
    const tooManyTokens = this.#queuedTokens > 0 && this.#queuedTokens + tokens > maxQueuedTokens;
    if (tooManyRequests || tooManyTokens) {
      this.#refused += 1;
      const retryAfterSeconds = this.retryAfterSeconds(tokens);
      throw new AppError('OVERLOADED', `the translation queue is full; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
    this.#queuedRequests += 1;
    this.#queuedTokens += tokens;
    let left = tokens;
    let released = false;
    return {
      dequeue: (n: number) => {
        if (released) return;
        const taken = Math.min(left, Math.max(0, n));
        left -= taken;
        this.#queuedTokens -= taken;
      },
      release: () => {
        if (released) return;
        released = true;
        this.#queuedTokens -= left;
        left = 0;
        this.#queuedRequests -= 1;
      },
    };
  }

  /**
   * Seconds until the queue has room for `extraTokens` more: the queued work divided by the
   * measured capacity (EWMA tokens/s per batch × batches at once), rounded up and clamped, so a
   * client that honours Retry-After comes back about when its request can be served.
   */
  retryAfterSeconds(extraTokens = 0): number {
    const { concurrency, initialTokensPerSecond, minRetryAfterSeconds, maxRetryAfterSeconds } = this.#options;
    const perBatch = this.rate.tokensPerSecond ?? initialTokensPerSecond;
    const capacity = Math.max(perBatch * Math.max(1, concurrency), Number.MIN_VALUE);
    const seconds = Math.ceil((this.#queuedTokens + Math.max(0, extraTokens)) / capacity);
    return Math.min(maxRetryAfterSeconds, Math.max(minRetryAfterSeconds, Number.isFinite(seconds) ? seconds : maxRetryAfterSeconds));
  }

  recordBatch(tokens: number, durationMs: number): void {
    this.rate.record(tokens, durationMs);
  }
}
