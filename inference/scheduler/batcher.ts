import { AppError } from '../../shared/errors.js';
import { AdmissionControl, type QueueTicket } from './admission.js';
import { FairQueue } from './fair-queue.js';

/**
 * Runs one batch: `rows` share `key`; returns one output per row, in row order. `signal` is
 * aborted only when every caller of the batch is gone (deadline passed, client disconnected).
 */
export type BatchRunner<Row, Out> = (rows: Row[], key: string, signal: AbortSignal) => Promise<readonly Out[]>;

export interface BatchInfo {
  key: string;
  size: number;
  tokens: number;
  durationMs: number;
  ok: boolean;
  /** Rows whose callers had already gone when the batch finished (their results were discarded). */
  discarded: number;
}

export interface MicroBatcherOptions<Row, Out> {
  run: BatchRunner<Row, Out>;
  /** Rows with equal keys may share a batch (for translation: the generation settings, keys.ts). */
  keyOf: (row: Row) => string;
  /** The row's size in tokens: drives batch and queue bounds and the service-rate measurement. */
  tokensOf: (row: Row) => number;
  /** How long the first row of a key may wait for company; 0 = run as soon as a runner is free. Default 5. */
  maxWaitMs?: number;
  /** Rows per batch at most. Default 16. */
  maxBatchSize?: number;
  /** Tokens per batch at most (a single bigger row still runs alone). Default 4096. */
  maxBatchTokens?: number;
  /** Batches running at once: the number of engine workers. Default 1. */
  concurrency?: number;
  /** Hand rows to the runner sorted by token count (stable). Default true. */
  sortByLength?: boolean;
  /** Requests waiting at most. Default 256 (the container passes its QUEUE_MAX_REQUESTS). */
  maxQueuedRequests?: number;
  /** Tokens waiting at most. Default 65536. */
  maxQueuedTokens?: number;
  /**
   * Tokens one client (SubmitOptions.clientKey) may have waiting; past it that client alone is refused
   * with 429 RATE_LIMITED. Default: maxQueuedTokens (no cap of its own).
   */
  maxQueuedTokensPerClient?: number;
  /** Tokens a client's DRR turn credits (fairness between clients). Default maxBatchTokens / maxBatchSize. */
  quantumTokens?: number;
  /** Default per-request deadline, from submit to result. Default 25000 (under the edge's 30 s origin timeout). */
  deadlineMs?: number;
  /** After an aborted batch's runner ignores the abort this long, its slot is freed anyway. Default 5000. */
  abandonAfterMs?: number;
  /**
   * Per-batch rate assumed for a batch key before its first measurement (tokens/s): the prior of the
   * deadline check (admission.ts). Default 100.
   */
  initialTokensPerSecond?: number;
  minRetryAfterSeconds?: number;
  maxRetryAfterSeconds?: number;
  onBatch?: (info: BatchInfo) => void;
  /** Monotonic clock in ms; injectable for tests. */
  now?: () => number;
}

export interface SubmitOptions {
  /** Overrides the default deadline for this request. */
  deadlineMs?: number;
  /** Aborted when the client goes away: the request's rows are dropped. */
  signal?: AbortSignal;
  /**
   * Who asked (edge client key, or the client IP standalone): clients' rows are scheduled fairly and
   * each client's queued tokens are capped. Requests without one share one anonymous queue, which the
   * per-client cap does not apply to.
   */
  clientKey?: string;
}

export interface BatcherStats {
  queuedRequests: number;
  queuedTokens: number;
  queuedRows: number;
  /** Batches running now. */
  running: number;
  runningRows: number;
  completedBatches: number;
  failedBatches: number;
  meanBatchSize: number;
  rowsProcessed: number;
  /** EWMA of tokens/s of one runner over completed batches; 0 before the first. */
  tokensPerSecond: number;
  refusedOverloaded: number;
  /** Requests refused with RATE_LIMITED because their client had too much queued. */
  refusedClientLimit: number;
  /**
   * Requests refused because they were not expected to finish within their deadline (counted in
   * refusedOverloaded or refusedClientLimit too), or WORK_TOO_LARGE.
   */
  refusedDeadline: number;
  /** Clients with queued work now. */
  queuedClients: number;
  deadlineExceeded: number;
}

type Timer = ReturnType<typeof setTimeout>;

interface Pending<Row, Out> {
  readonly client: string;
  readonly keys: Set<string>;
  readonly results: Out[];
  readonly ticket: QueueTicket;
  readonly resolve: (out: Out[]) => void;
  readonly reject: (err: AppError) => void;
  remaining: number;
  queuedRows: number;
  settled: boolean;
  batches: Set<Running<Row, Out>>;
  timer?: Timer;
  cleanupSignal?: () => void;
}

interface Entry<Row, Out> {
  readonly req: Pending<Row, Out>;
  readonly index: number;
  readonly row: Row;
  readonly tokens: number;
  readonly enqueuedAt: number;
}

interface Running<Row, Out> {
  readonly key: string;
  readonly entries: Entry<Row, Out>[];
  readonly tokens: number;
  readonly startedAt: number;
  readonly controller: AbortController;
  finished: boolean;
  /** A caller's deadline passed while this batch ran. */
  deadlineHit: boolean;
  abandonTimer?: Timer;
}

// setTimeout fires at once for delays past 2^31-1 ms; longer deadlines are clamped to it.
const MAX_TIMER_MS = 2_147_483_647;

function unref(timer: Timer): Timer {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

function cleanError(err: unknown): AppError {
  return err instanceof AppError ? err : new AppError('INTERNAL', 'translation failed', { cause: err });
}

/**
 * Gathers rows of concurrent requests into batches per key, bounded by time, rows and tokens,
 * and runs at most `concurrency` batches at once; rows keep arriving while batches run and form
 * the next ones (continuous batching, coarse-grained). Within a key, rows are taken from per-client
 * queues in deficit round robin order (fair-queue.ts), so a light client waits about one batch behind
 * a heavy client's backlog, not the whole of it. Each caller gets its own outputs in order; rows of
 * one request may span several batches and keys.
 */
export class MicroBatcher<Row, Out> {
  readonly #run: BatchRunner<Row, Out>;
  readonly #keyOf: (row: Row) => string;
  readonly #tokensOf: (row: Row) => number;
  readonly #maxWaitMs: number;
  readonly #maxBatchSize: number;
  readonly #maxBatchTokens: number;
  readonly #concurrency: number;
  readonly #sortByLength: boolean;
  readonly #deadlineMs: number;
  readonly #abandonAfterMs: number;
  readonly #onBatch: ((info: BatchInfo) => void) | undefined;
  readonly #now: () => number;
  readonly #admission: AdmissionControl;
  readonly #quantumTokens: number;

  readonly #queues = new Map<string, FairQueue<Entry<Row, Out>>>();
  /** When each client was last in a dispatched batch (a dispatch counter): fairness across keys. */
  readonly #lastServed = new Map<string, number>();
  #dispatches = 0;
  readonly #pending = new Set<Pending<Row, Out>>();
  readonly #running = new Set<Running<Row, Out>>();
  #drainWaiters: Array<() => void> = [];
  #flushTimer: Timer | undefined;
  #pumpScheduled = false;
  #closed = false;
  #completedBatches = 0;
  #failedBatches = 0;
  #rowsProcessed = 0;
  #deadlineExceeded = 0;

  constructor(options: MicroBatcherOptions<Row, Out>) {
    this.#run = options.run;
    this.#keyOf = options.keyOf;
    this.#tokensOf = options.tokensOf;
    this.#maxWaitMs = Math.max(0, options.maxWaitMs ?? 5);
    this.#maxBatchSize = Math.max(1, Math.floor(options.maxBatchSize ?? 16));
    this.#maxBatchTokens = Math.max(1, options.maxBatchTokens ?? 4096);
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.#sortByLength = options.sortByLength ?? true;
    this.#deadlineMs = options.deadlineMs ?? 25_000;
    this.#abandonAfterMs = Math.max(0, options.abandonAfterMs ?? 5_000);
    this.#onBatch = options.onBatch;
    this.#now = options.now ?? (() => performance.now());
    this.#quantumTokens = Math.max(1, options.quantumTokens ?? Math.floor(this.#maxBatchTokens / this.#maxBatchSize));
    const maxQueuedTokens = options.maxQueuedTokens ?? 65_536;
    this.#admission = new AdmissionControl({
      maxQueuedRequests: options.maxQueuedRequests ?? 256,
      maxQueuedTokens,
      maxQueuedTokensPerClient: options.maxQueuedTokensPerClient ?? maxQueuedTokens,
      concurrency: this.#concurrency,
      initialTokensPerSecond: options.initialTokensPerSecond ?? 100,
      minRetryAfterSeconds: options.minRetryAfterSeconds ?? 1,
      maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    });
  }

  /**
   * Queues `rows` and resolves with one output per row, in order. Rejects at once with
   * WORK_TOO_LARGE when its own work cannot fit its deadline at the measured rate, OVERLOADED when the
   * queue is full or would not reach it in time, RATE_LIMITED when this client's share of the queue is
   * full or its own backlog would make it late (admission.ts); DEADLINE_EXCEEDED when the deadline passes first,
   * MODEL_UNAVAILABLE after close(), or the batch's error when its runner fails.
   */
  submit(rows: readonly Row[], options: SubmitOptions = {}): Promise<Out[]> {
    if (this.#closed) return Promise.reject(new AppError('MODEL_UNAVAILABLE', 'the translation engine is shutting down'));
    if (rows.length === 0) return Promise.resolve([]);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(this.#cancelled(signal));
    const deadlineMs = options.deadlineMs ?? this.#deadlineMs;
    if (!(deadlineMs > 0)) return Promise.reject(this.#expired());

    let keys: string[];
    let tokens: number[];
    try {
      keys = rows.map((row) => this.#keyOf(row));
      // A bad count (NaN, negative) must not poison the queue's token accounting.
      tokens = rows.map((row) => {
        const n = this.#tokensOf(row);
        return Number.isFinite(n) && n > 0 ? n : 0;
      });
    } catch (err) {
      return Promise.reject(cleanError(err));
    }
    const parts = new Map<string, { tokens: number; rows: number }>();
    keys.forEach((key, i) => {
      const part = parts.get(key) ?? { tokens: 0, rows: 0 };
      part.tokens += tokens[i]!;
      part.rows += 1;
      parts.set(key, part);
    });
    let ticket: QueueTicket;
    try {
      const work = [...parts].map(([key, part]) => ({ key, tokens: part.tokens, batchRows: this.#batchRows(part.tokens, part.rows) }));
      const deadline = Number.isFinite(deadlineMs) ? { deadlineMs, runningSeconds: this.#runningSeconds(), nowMs: this.#now() } : undefined;
      ticket = this.#admission.admit(work, options.clientKey, deadline);
    } catch (err) {
      return Promise.reject(cleanError(err));
    }

    return new Promise<Out[]>((resolve, reject) => {
      const client = options.clientKey ?? '';
      const req: Pending<Row, Out> = {
        client,
        keys: new Set(keys),
        results: new Array<Out>(rows.length),
        ticket,
        resolve,
        reject,
        remaining: rows.length,
        queuedRows: rows.length,
        settled: false,
        batches: new Set(),
      };
      this.#pending.add(req);
      const enqueuedAt = this.#now();
      rows.forEach((row, index) => {
        const key = keys[index]!;
        const t = tokens[index]!;
        let queue = this.#queues.get(key);
        if (!queue) this.#queues.set(key, (queue = new FairQueue(this.#quantumTokens)));
        queue.push(client, { req, index, row, tokens: t, enqueuedAt });
      });
      if (Number.isFinite(deadlineMs)) {
        req.timer = unref(setTimeout(() => {
          this.#deadlineExceeded += 1;
          // Its running batches did not finish in time: whatever they end with bounds their key's rate.
          for (const batch of req.batches) batch.deadlineHit = true;
          this.#fail(req, this.#expired());
        }, Math.min(deadlineMs, MAX_TIMER_MS)));
      }
      if (signal) {
        const onAbort = () => this.#fail(req, this.#cancelled(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        req.cleanupSignal = () => signal.removeEventListener('abort', onAbort);
      }
      this.#schedulePump();
    });
  }

  /** Rows per batch that `rows` rows of `tokens` tokens in all will run in, the batch bounds allowing. */
  #batchRows(tokens: number, rows: number): number {
    const perRow = tokens / Math.max(1, rows);
    const byTokens = perRow > 0 ? Math.floor(this.#maxBatchTokens / perRow) : rows;
    return Math.max(1, Math.min(rows, this.#maxBatchSize, byTokens));
  }

  /** Runner-seconds still to go in the running batches: each one's expected time minus its elapsed time. */
  #runningSeconds(): number {
    const now = this.#now();
    let seconds = 0;
    for (const b of this.#running) seconds += Math.max(0, this.#admission.secondsOf(b.key, b.tokens) - (now - b.startedAt) / 1000);
    return seconds;
  }

  stats(): BatcherStats {
    let queuedRows = 0;
    for (const q of this.#queues.values()) queuedRows += q.rows;
    let runningRows = 0;
    for (const b of this.#running) runningRows += b.entries.length;
    return {
      queuedRequests: this.#admission.queuedRequests,
      queuedTokens: this.#admission.queuedTokens,
      queuedRows,
      running: this.#running.size,
      runningRows,
      completedBatches: this.#completedBatches,
      failedBatches: this.#failedBatches,
      meanBatchSize: this.#completedBatches === 0 ? 0 : this.#rowsProcessed / this.#completedBatches,
      rowsProcessed: this.#rowsProcessed,
      tokensPerSecond: this.#admission.rate.tokensPerSecond ?? 0,
      refusedOverloaded: this.#admission.refused,
      refusedClientLimit: this.#admission.refusedClientLimit,
      refusedDeadline: this.#admission.refusedDeadline,
      queuedClients: this.#admission.queuedClients,
      deadlineExceeded: this.#deadlineExceeded,
    };
  }

  /** Resolves once nothing is queued or running (graceful shutdown); does not stop admission. */
  drain(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /**
   * Refuses new requests and rejects every request that still has queued rows with
   * MODEL_UNAVAILABLE; resolves when the batches already running have finished.
   */
  close(): Promise<void> {
    this.#closed = true;
    const err = new AppError('MODEL_UNAVAILABLE', 'the translation engine is shutting down');
    for (const req of [...this.#pending]) if (req.queuedRows > 0) this.#fail(req, err);
    return this.drain();
  }

  #expired(): AppError {
    return new AppError('DEADLINE_EXCEEDED', 'the translation did not finish before its deadline');
  }

  #cancelled(signal: AbortSignal): AppError {
    // Nobody is left to read this error (the client went away); the code only has to be clean.
    if (signal.reason instanceof AppError) return signal.reason;
    return new AppError('INTERNAL', 'the request was cancelled by the client', { cause: signal.reason });
  }

  #idle(): boolean {
    return this.#admission.queuedRequests === 0 && this.#running.size === 0;
  }

  #checkIdle(): void {
    if (!this.#idle() || this.#drainWaiters.length === 0) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const w of waiters) w();
  }

  #settle(req: Pending<Row, Out>): void {
    req.settled = true;
    if (req.timer !== undefined) clearTimeout(req.timer);
    req.cleanupSignal?.();
    this.#pending.delete(req);
  }

  /** Rejects a request, drops its queued rows, and aborts batches that nobody waits for any more. */
  #fail(req: Pending<Row, Out>, err: AppError): void {
    if (req.settled) return;
    this.#settle(req);
    if (req.queuedRows > 0) {
      for (const key of req.keys) {
        const queue = this.#queues.get(key);
        if (!queue) continue;
        queue.remove(req.client, (e) => e.req === req);
        if (queue.isEmpty) this.#queues.delete(key);
      }
      req.queuedRows = 0;
    }
    req.ticket.release();
    req.reject(err);
    for (const batch of req.batches) this.#maybeAbort(batch);
    this.#schedulePump();
    this.#checkIdle();
  }

  #maybeAbort(batch: Running<Row, Out>): void {
    if (batch.finished || batch.controller.signal.aborted) return;
    if (!batch.entries.every((e) => e.req.settled)) return;
    batch.controller.abort(new AppError('DEADLINE_EXCEEDED', 'every caller of this batch is gone'));
    // A runner that ignores the abort (or hangs) must not hold a slot forever.
    batch.abandonTimer = unref(
      setTimeout(() => {
        // A runner that ignored its abort says nothing about the model's rate (it is stuck, and replaced).
        batch.deadlineHit = false;
        this.#finish(batch, undefined, batch.controller.signal.reason);
      }, this.#abandonAfterMs),
    );
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    // A microtask, so rows submitted in the same tick (one request's items, Promise.all) share a batch.
    queueMicrotask(() => this.#pump());
  }

  #pump(): void {
    this.#pumpScheduled = false;
    if (this.#flushTimer !== undefined) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = undefined;
    }
    const now = this.#now();
    while (this.#running.size < this.#concurrency) {
      const key = this.#readyKey(now);
      if (key === undefined) break;
      this.#dispatch(key);
    }
    if (this.#running.size < this.#concurrency && this.#queues.size > 0) {
      let due = Infinity;
      for (const q of this.#queues.values()) due = Math.min(due, q.oldestEnqueuedAt + this.#maxWaitMs);
      this.#flushTimer = unref(setTimeout(() => {
        this.#flushTimer = undefined;
        this.#schedulePump();
      }, Math.max(0, due - now)));
    }
    this.#checkIdle();
  }

  /**
   * The next key to run, among the ready ones (full by rows or tokens, or waited maxWaitMs): the one
   * holding the client served longest ago (never: first), so a light client whose rows have a batch
   * key of their own is not stuck behind a heavy client's backlog in another key; on a tie (one
   * client, or none named), the key whose oldest row waited longest.
   */
  #readyKey(now: number): string | undefined {
    let best: string | undefined;
    let bestServed = Infinity;
    let bestAt = Infinity;
    for (const [key, q] of this.#queues) {
      const oldest = q.oldestEnqueuedAt;
      const ready = q.rows >= this.#maxBatchSize || q.tokens >= this.#maxBatchTokens || now - oldest >= this.#maxWaitMs;
      if (!ready) continue;
      let served = Infinity;
      for (const client of q.clients) served = Math.min(served, this.#lastServed.get(client) ?? -1);
      if (served < bestServed || (served === bestServed && oldest < bestAt)) {
        best = key;
        bestServed = served;
        bestAt = oldest;
      }
    }
    return best;
  }

  #markServed(entries: readonly Entry<Row, Out>[]): void {
    this.#dispatches += 1;
    for (const e of entries) this.#lastServed.set(e.req.client, this.#dispatches);
    // Only queued clients' entries matter (one that comes back counts as never served): keep it small.
    if (this.#lastServed.size > 4 * (this.#admission.queuedClients + 256)) {
      const queued = new Set<string>();
      for (const q of this.#queues.values()) for (const client of q.clients) queued.add(client);
      for (const client of this.#lastServed.keys()) if (!queued.has(client)) this.#lastServed.delete(client);
    }
  }

  #dispatch(key: string): void {
    const queue = this.#queues.get(key)!;
    // Clients' turns in DRR order, FIFO within a client; at least one row, however big.
    const entries = queue.take(this.#maxBatchSize, this.#maxBatchTokens);
    const tokens = entries.reduce((a, e) => a + e.tokens, 0);
    if (queue.isEmpty) this.#queues.delete(key);
    this.#markServed(entries);
    // Sorted by length, the runner can cut contiguous sub-batches of similar lengths (less padding);
    // each entry carries its request and index, so outputs map back without a permutation table.
    if (this.#sortByLength && entries.length > 1) entries.sort((a, b) => a.tokens - b.tokens);

    const batch: Running<Row, Out> = { key, entries, tokens, startedAt: this.#now(), controller: new AbortController(), finished: false, deadlineHit: false };
    this.#running.add(batch);
    for (const e of entries) {
      const req = e.req;
      req.batches.add(batch);
      req.queuedRows -= 1;
      req.ticket.dequeue(e.tokens, key);
      if (req.queuedRows === 0) req.ticket.release();
    }
    let result: Promise<readonly Out[]>;
    try {
      result = Promise.resolve(this.#run(entries.map((e) => e.row), key, batch.controller.signal));
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (outs) => this.#finish(batch, outs, undefined),
      (err: unknown) => this.#finish(batch, undefined, err ?? new Error('batch runner failed')),
    );
  }

  #finish(batch: Running<Row, Out>, outs: readonly Out[] | undefined, error: unknown): void {
    if (batch.finished) return; // abandoned earlier; its late result is dropped
    batch.finished = true;
    if (batch.abandonTimer !== undefined) clearTimeout(batch.abandonTimer);
    this.#running.delete(batch);
    const durationMs = Math.max(0, this.#now() - batch.startedAt);
    for (const e of batch.entries) e.req.batches.delete(batch);

    let err = error;
    if (err === undefined && (!Array.isArray(outs) || outs.length !== batch.entries.length)) {
      err = new AppError('INTERNAL', `batch runner returned ${Array.isArray(outs) ? outs.length : 'no'} outputs for ${batch.entries.length} rows`);
    }
    let discarded = 0;
    if (err !== undefined) {
      this.#failedBatches += 1;
      if (batch.deadlineHit) this.#admission.recordUnfinished(batch.tokens, durationMs, batch.key);
      const appError = cleanError(err);
      for (const e of batch.entries) {
        if (e.req.settled) discarded += 1;
        else this.#fail(e.req, appError);
      }
    } else {
      this.#completedBatches += 1;
      this.#rowsProcessed += batch.entries.length;
      this.#admission.recordBatch(batch.tokens, durationMs, batch.key, batch.entries.length);
      batch.entries.forEach((e, i) => {
        const req = e.req;
        if (req.settled) {
          discarded += 1;
          return;
        }
        req.results[e.index] = outs![i]!;
        req.remaining -= 1;
        if (req.remaining === 0) {
          this.#settle(req);
          req.resolve(req.results);
        }
      });
    }
    try {
      this.#onBatch?.({ key: batch.key, size: batch.entries.length, tokens: batch.tokens, durationMs, ok: err === undefined, discarded });
    } catch {
      // A metrics hook must never break serving.
    }
    this.#schedulePump();
    this.#checkIdle();
  }
}
