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
  /**
   * Per-batch rate assumed for a batch key until one of its batches is measured (tokens/s): the
   * prior. Keep it conservative (slow): it only decides 503s, which are transient, never the 413.
   */
  initialTokensPerSecond: number;
  /** Bounds of the Retry-After estimate, in seconds. */
  minRetryAfterSeconds: number;
  maxRetryAfterSeconds: number;
}

/** Part of a request's work: its rows of one batch key, in tokens. */
export interface WorkPart {
  key: string;
  tokens: number;
  /** Rows per batch this work will run in (the batcher's bounds allowing); default 1. */
  batchRows?: number;
}

/** What admission needs to know to check a request against its deadline. */
export interface DeadlineCheck {
  deadlineMs: number;
  /** Runner-seconds still to go in the batches running now (MicroBatcher estimates them with secondsOf). */
  runningSeconds: number;
  /** The batcher's clock now (ms): admitted requests' deadlines are kept on it. */
  nowMs: number;
}

/**
 * Share of a request's deadline that its expected completion may use: the rest is slack for estimate
 * error (the EWMA lags a change of load) and for the batch wait and the work after the model.
 */
export const DEADLINE_SHARE = 0.8;

/** Batch keys whose rate is remembered; past it the oldest is forgotten (keys follow request options). */
const MAX_RATED_KEYS = 64;

/** Work of requests without a client name: one anonymous client, as in the fair queue. */
const ANONYMOUS = '';

/**
 * One admitted request's claim on the queue. The batcher reports rows leaving the queue with
 * `dequeue` and the request leaving it (all rows dispatched, or cancelled) with `release`;
 * `release` is idempotent and returns whatever tokens were still counted, so no path can leak
 * a slot or tokens.
 */
export interface QueueTicket {
  /** `tokens` of batch key `key` left the queue (default key: the request's only one). */
  dequeue(tokens: number, key?: string): void;
  release(): void;
}

/**
 * Bounded queue accounting and the overload decision. Refusing at once (503 + Retry-After) is
 * better than queueing without bound: a queued request that will miss its deadline costs the
 * client the whole timeout and the server the memory.
 *
 * With a DeadlineCheck, a request is admitted only if it is expected to finish within its deadline:
 * the work ahead of it, in runner-seconds (tokens ÷ the measured rate of their batch key: a beam-4 key
 * is slower per token than greedy), divided by the runners. Under the fair queue the work ahead of
 * client C is not the whole queue: every other client j is served about as much as C before C's last
 * row, so it counts min(queued(j), C's queued + this request), plus the batches running now.
 */
export class AdmissionControl {
  /** Over every batch key (BatcherStats.tokensPerSecond, Retry-After of the hard bounds). */
  readonly rate = new ServiceRate();
  readonly #keyRates = new Map<string, ServiceRate>();
  /** Queued tokens per client (anonymous included) per batch key: the fair queue's view of the work. */
  readonly #work = new Map<string, Map<string, number>>();
  /** Per client, the deadlines (ms, on the batcher's clock) of its admitted requests that still have queued work. */
  readonly #budgetEnds = new Map<string, Set<{ endMs: number }>>();
  #refusedDeadline = 0;
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

  /** Requests refused as OVERLOADED (queue full, or it would not finish in time) since start. */
  get refused(): number {
    return this.#refused;
  }

  /** Requests refused as RATE_LIMITED (their client's queued tokens at its cap, or its backlog too long to finish in time) since start. */
  get refusedClientLimit(): number {
    return this.#refusedClientLimit;
  }

  /** Requests refused because they could not finish within their deadline (OVERLOADED, RATE_LIMITED or WORK_TOO_LARGE). */
  get refusedDeadline(): number {
    return this.#refusedDeadline;
  }

  /** Named clients with queued tokens now. */
  get queuedClients(): number {
    return this.#clientTokens.size;
  }

  /**
   * Admits a request of `work` tokens (a number, or its parts per batch key) or throws:
   * WORK_TOO_LARGE (413) when, with `deadline`, its own work cannot fit the deadline at measured rates;
   * RATE_LIMITED (429, retryAfterSeconds) when `client` already has its share of the queue waiting,
   * so a heavy client is refused before it fills the queue for everyone; OVERLOADED (503,
   * retryAfterSeconds) when the whole queue is full; then, with `deadline`, RATE_LIMITED or OVERLOADED
   * when it is not expected to finish in time (#checkDeadline).
   */
  admit(work: number | readonly WorkPart[], client?: string, deadline?: DeadlineCheck): QueueTicket {
    const parts = typeof work === 'number' ? [{ key: '', tokens: work }] : work;
    const tokens = parts.reduce((sum, p) => sum + p.tokens, 0);
    if (deadline) this.#checkOwnWork(parts, deadline);
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
    if (deadline) this.#checkDeadline(parts, client, deadline);
    this.#queuedRequests += 1;
    this.#queuedTokens += tokens;
    this.#addClientTokens(client, tokens);
    const worker = client ?? ANONYMOUS;
    const left = new Map<string, number>();
    for (const p of parts) {
      if (!(p.tokens > 0)) continue;
      left.set(p.key, (left.get(p.key) ?? 0) + p.tokens);
      this.#addWork(worker, p.key, p.tokens);
    }
    const defaultKey = parts[0]?.key ?? '';
    const budgetEnd = deadline ? { endMs: deadline.nowMs + deadline.deadlineMs } : undefined;
    if (budgetEnd) {
      let ends = this.#budgetEnds.get(worker);
      if (!ends) this.#budgetEnds.set(worker, (ends = new Set()));
      ends.add(budgetEnd);
    }
    let released = false;
    return {
      dequeue: (n: number, key = defaultKey) => {
        if (released) return;
        const held = left.get(key) ?? 0;
        const taken = Math.min(held, Math.max(0, n));
        if (taken === 0) return;
        left.set(key, held - taken);
        this.#queuedTokens -= taken;
        this.#addClientTokens(client, -taken);
        this.#addWork(worker, key, -taken);
      },
      release: () => {
        if (released) return;
        released = true;
        for (const [key, held] of left) {
          this.#queuedTokens -= held;
          this.#addClientTokens(client, -held);
          this.#addWork(worker, key, -held);
        }
        left.clear();
        this.#queuedRequests -= 1;
        if (budgetEnd) {
          const ends = this.#budgetEnds.get(worker);
          ends?.delete(budgetEnd);
          if (ends?.size === 0) this.#budgetEnds.delete(worker);
        }
      },
    };
  }

  /**
   * Runner-seconds to process `tokens` of batch key `key`: at its measured rate, else at the prior (or
   * the rate measured over all keys when that is slower: still the conservative side).
   */
  secondsOf(key: string, tokens: number): number {
    if (!(tokens > 0)) return 0;
    return tokens / this.#rateOf(key);
  }

  /** Whether a batch of `key` has been measured (completed, or cut by its deadline). */
  isMeasured(key: string): boolean {
    return this.#keyRates.get(key)?.tokensPerSecond !== undefined;
  }

  /** Runner-seconds of the request's own work over the runners, and its deadline budget in seconds. */
  #ownWork(parts: readonly WorkPart[], check: DeadlineCheck): { own: number; budget: number; runners: number } {
    const runners = Math.max(1, this.#options.concurrency);
    const own = parts.reduce((sum, p) => sum + this.secondsOf(p.key, p.tokens), 0);
    return { own, budget: (Math.max(0, check.deadlineMs) / 1000) * DEADLINE_SHARE, runners };
  }

  /**
   * WORK_TOO_LARGE (413) when the request's own work alone cannot fit its deadline, even on an idle
   * container: waiting cannot help, so it is refused before any other check. Decided on measured rates
   * only, since a permanent-looking refusal must not rest on a guess: before a measurement such a
   * request is served when nothing else waits (#checkDeadline), and its batches measure the key. A key
   * known only from batches cut by their deadline (an upper bound: the model may also have hung, and
   * its worker been replaced) refuses only work twice past the budget at that bound.
   */
  #checkOwnWork(parts: readonly WorkPart[], check: DeadlineCheck): void {
    const { budget, runners } = this.#ownWork(parts, check);
    if (!parts.every((p) => this.isMeasured(p.key))) return;
    const completed = parts.every((p) => this.#keyRates.get(p.key)!.completed);
    // A rate measured on smaller batches than this work will run in is scaled up as if batching were
    // free (linear in rows: never better than that), so a big request is never refused because the
    // key was measured on one sentence: only work that cannot fit even so.
    let own = 0;
    for (const p of parts) {
      const rate = this.#keyRates.get(p.key)!;
      const gain = rate.completed ? Math.max(1, (p.batchRows ?? 1) / (rate.meanRows ?? 1)) : 1;
      own += this.secondsOf(p.key, p.tokens) / gain;
    }
    if (own / runners <= (completed ? budget : 2 * budget)) return;
    this.#refusedDeadline += 1;
    const estimated = Math.ceil(own / runners);
    throw new AppError(
      'WORK_TOO_LARGE',
      `this request is about ${estimated} s of model work, more than its ${Math.floor(check.deadlineMs / 1000)} s deadline allows: split the text into smaller requests, or lower beam_size or alternatives`,
      { details: { estimated_seconds: estimated, deadline_seconds: check.deadlineMs / 1000 } },
    );
  }

  /**
   * Refuses a request that is not expected to finish within its deadline, with the code that says
   * whose problem it is: RATE_LIMITED (429) when the client's own queued work is what makes it late,
   * else OVERLOADED (503). Retry-After: how long until the work ahead has drained enough for it to
   * fit (the work ahead drains in real time, so that is the excess over the budget).
   *
   * The fair queue serves a newcomer before the backlog it joins, so admitting it delays every other
   * client j by min(its work, j's): it is refused too (OVERLOADED) when that would push the last
   * admitted request of a client past its deadline, which it met without it. Requests are admitted
   * within DEADLINE_SHARE of their deadline and protected up to all of it: the rest is the room that
   * newcomers (a light client's sentence behind a heavy backlog) may take before they are refused, so
   * a heavy request admitted near its budget does not lock light clients out, and is not made late.
   */
  #checkDeadline(parts: readonly WorkPart[], client: string | undefined, check: DeadlineCheck): void {
    const { own, budget, runners } = this.#ownWork(parts, check);
    const worker = client ?? ANONYMOUS;
    const mine = this.#queuedSeconds(worker);
    const others = new Map<string, number>();
    for (const other of this.#work.keys()) if (other !== worker) others.set(other, this.#queuedSeconds(other));
    const running = Math.max(0, check.runningSeconds);
    /** When `who`'s last queued row is done (runner-seconds from now), with `self` seconds of its own and `newcomer` of C's. */
    const finish = (who: string, self: number, newcomer: number) => {
      let ahead = running + Math.min(newcomer, self);
      for (const [other, seconds] of others) if (other !== who) ahead += Math.min(seconds, self);
      return (ahead + self) / runners;
    };
    // Bigger than its budget at the prior rate (unmeasured): served when nothing is ahead of it.
    if (own / runners > budget && running === 0 && others.size === 0 && mine === 0) return;
    // In time or not itself, would it make an admitted request late? Both clocks (that request's budget
    // and its expected finish) run down together, so that does not pass by waiting: until it is done.
    let untilSafe = 0;
    for (const [other, seconds] of others) {
      const ends = this.#budgetEnds.get(other);
      if (!ends) continue;
      let lastEnd = -Infinity;
      for (const end of ends) lastEnd = Math.max(lastEnd, end.endMs);
      const slack = (lastEnd - check.nowMs) / 1000; // to its deadline: DEADLINE_SHARE kept room for newcomers
      const without = finish(other, seconds, mine);
      if (finish(other, seconds, mine + own) > slack && without <= slack) untilSafe = Math.max(untilSafe, without);
    }
    const expected = finish(worker, mine + own, 0);
    const late = expected - budget;
    if (late <= 0) {
      if (untilSafe <= 0) return;
      this.#refusedDeadline += 1;
      this.#refused += 1;
      const retryAfterSeconds = this.#clampRetry(Math.ceil(untilSafe));
      throw new AppError('OVERLOADED', `admitting this request now would make queued requests miss their deadline; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
    this.#refusedDeadline += 1;
    const retryAfterSeconds = this.#clampRetry(Math.ceil(Math.max(late, untilSafe)));
    if (mine > 0 && finish(worker, own, 0) <= budget) {
      this.#refusedClientLimit += 1;
      throw new AppError('RATE_LIMITED', `this client's queued work would make this request miss its deadline; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
        details: { queued_seconds: Math.ceil(mine / runners), retry_after_seconds: retryAfterSeconds },
      });
    }
    this.#refused += 1;
    throw new AppError('OVERLOADED', `the translation queue would not reach this request within its deadline; retry in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
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

  /** A completed batch of `key` (default: no key of its own) and `rows` rows: `tokens` in `durationMs`. */
  recordBatch(tokens: number, durationMs: number, key?: string, rows = 1): void {
    this.rate.record(tokens, durationMs, rows);
    if (key !== undefined) this.#keyRate(key).record(tokens, durationMs, rows);
  }

  /** A batch of `key` cut by its callers' deadline after `durationMs`: its rate is at most this. */
  recordUnfinished(tokens: number, durationMs: number, key: string): void {
    this.#keyRate(key).recordUnfinished(tokens, durationMs);
  }

  #keyRate(key: string): ServiceRate {
    let rate = this.#keyRates.get(key);
    if (!rate) {
      if (this.#keyRates.size >= MAX_RATED_KEYS) this.#keyRates.delete(this.#keyRates.keys().next().value!);
      this.#keyRates.set(key, (rate = new ServiceRate()));
    }
    return rate;
  }

  #rateOf(key: string): number {
    const measured = this.#keyRates.get(key)?.tokensPerSecond;
    const rate = measured ?? Math.min(this.#options.initialTokensPerSecond, this.rate.tokensPerSecond ?? Infinity);
    return Math.max(rate, Number.MIN_VALUE);
  }

  /** Runner-seconds of everything `worker` has queued. */
  #queuedSeconds(worker: string): number {
    let seconds = 0;
    for (const [key, tokens] of this.#work.get(worker) ?? []) seconds += this.secondsOf(key, tokens);
    return seconds;
  }

  #addWork(worker: string, key: string, delta: number): void {
    if (delta === 0) return;
    let keys = this.#work.get(worker);
    if (!keys) this.#work.set(worker, (keys = new Map()));
    const next = (keys.get(key) ?? 0) + delta;
    if (next > 0) keys.set(key, next);
    else keys.delete(key);
    if (keys.size === 0) this.#work.delete(worker);
  }

  #secondsFor(tokens: number): number {
    const { concurrency, initialTokensPerSecond } = this.#options;
    const perBatch = this.rate.tokensPerSecond ?? initialTokensPerSecond;
    const capacity = Math.max(perBatch * Math.max(1, concurrency), Number.MIN_VALUE);
    return this.#clampRetry(Math.ceil(tokens / capacity));
  }

  #clampRetry(seconds: number): number {
    const { minRetryAfterSeconds, maxRetryAfterSeconds } = this.#options;
    return Math.min(maxRetryAfterSeconds, Math.max(minRetryAfterSeconds, Number.isFinite(seconds) ? seconds : maxRetryAfterSeconds));
  }

  #addClientTokens(client: string | undefined, delta: number): void {
    if (client === undefined || delta === 0) return;
    const next = (this.#clientTokens.get(client) ?? 0) + delta;
    if (next > 0) this.#clientTokens.set(client, next);
    else this.#clientTokens.delete(client);
  }
}
