import { AppError } from '../../shared/errors.js';
import { ServiceRate } from './rate.js';

export interface AdmissionOptions {
  /** Requests that may wait (have rows not yet handed to a runner) at once. */
  maxQueuedRequests: number;
  /** Tokens that may wait at once, summed over the waiting rows. */
  maxQueuedTokens: number;
  /** Tokens one named client may have waiting at once (requests without a client are not counted). Default maxQueuedTokens. */
  maxQueuedTokensPerClient?: number;
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
  #refusedClientLimit = 0;
  /** Queued tokens per named client; a client leaves the map when it has nothing queued. */
  readonly #clientTokens = new Map<string, number>();
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

  /** Requests refused as RATE_LIMITED (their client's queued tokens were at its cap) since start. */
  get refusedClientLimit(): number {
    return this.#refusedClientLimit;
  }

  /** Named clients with queued tokens now. */
  get queuedClients(): number {
    return this.#clientTokens.size;
  }

  /**
   * Admits a request of `tokens` tokens or throws with retryAfterSeconds: RATE_LIMITED (429) when
   * `client` already has its share of the queue waiting, so a heavy client is refused before it
   * fills the queue for everyone; OVERLOADED (503) when the whole queue is full.
   */
  admit(tokens: number, client?: string): QueueTicket {
    const { maxQueuedRequests, maxQueuedTokens } = this.#options;
    const maxQueuedTokensPerClient = this.#options.maxQueuedTokensPerClient ?? maxQueuedTokens;
    const clientQueued = client === undefined ? 0 : (this.#clientTokens.get(client) ?? 0);
    // Like the global bound: a client with nothing queued is admitted whatever its request's size.
    if (clientQueued > 0 && clientQueued + tokens > maxQueuedTokensPerClient) {
      this.#refusedClientLimit += 1;
      const retryAfterSeconds = this.clientRetryAfterSeconds(clientQueued + tokens - maxQueuedTokensPerClient);
      throw new AppError('RATE_LIMITED', `this client has ${clientQueued} tokens queued (limit ${maxQueuedTokensPerClient}); retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
        details: { queued_tokens: clientQueued, limit_tokens: maxQueuedTokensPerClient, retry_after_seconds: retryAfterSeconds },
      });
    }
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
    this.#addClientTokens(client, tokens);
    let left = tokens;
    let released = false;
    return {
      dequeue: (n: number) => {
        if (released) return;
        const taken = Math.min(left, Math.max(0, n));
        left -= taken;
        this.#queuedTokens -= taken;
        this.#addClientTokens(client, -taken);
      },
      release: () => {
        if (released) return;
        released = true;
        this.#queuedTokens -= left;
        this.#addClientTokens(client, -left);
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
    return this.#secondsFor(this.#queuedTokens + Math.max(0, extraTokens));
  }

  /**
   * Seconds until a client's queue has drained `excessTokens`: under DRR each backlogged client gets
   * an equal share of the capacity, so that is the excess times the clients waiting, but never more
   * than the whole queue's drain time.
   */
  clientRetryAfterSeconds(excessTokens: number): number {
    const work = Math.min(this.#queuedTokens, Math.max(0, excessTokens) * Math.max(1, this.#clientTokens.size));
    return this.#secondsFor(work);
  }

  recordBatch(tokens: number, durationMs: number): void {
    this.rate.record(tokens, durationMs);
  }

  #secondsFor(tokens: number): number {
    const { concurrency, initialTokensPerSecond, minRetryAfterSeconds, maxRetryAfterSeconds } = this.#options;
    const perBatch = this.rate.tokensPerSecond ?? initialTokensPerSecond;
    const capacity = Math.max(perBatch * Math.max(1, concurrency), Number.MIN_VALUE);
    const seconds = Math.ceil(tokens / capacity);
    return Math.min(maxRetryAfterSeconds, Math.max(minRetryAfterSeconds, Number.isFinite(seconds) ? seconds : maxRetryAfterSeconds));
  }

  #addClientTokens(client: string | undefined, delta: number): void {
    if (client === undefined || delta === 0) return;
    const next = (this.#clientTokens.get(client) ?? 0) + delta;
    if (next > 0) this.#clientTokens.set(client, next);
    else this.#clientTokens.delete(client);
  }
}
