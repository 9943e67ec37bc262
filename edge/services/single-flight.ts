/**
 * How often the owner's request context checks whether every waiter has left, once the owner itself
 * has left (see SharedCall). Bounds how long work nobody waits for goes on.
 */
const ABANDONED_POLL_MS = 100;

/**
 * One origin call that one or more requests wait for. The call is cancelled only when every waiter has
 * gone (its client aborted): a joined call must not die because one of the requests sharing it left.
 *
 * workerd forbids touching another request's I/O objects, and an AbortController is one: only the
 * request that started the call (the owner) may read or abort its signal. Joiners therefore only move
 * a plain counter; when the owner leaves last it aborts at once, and when it leaves first its own
 * context checks the counter every ABANDONED_POLL_MS until the call settles.
 */
export class SharedCall {
  private readonly controller = new AbortController();
  private waiters = 1;
  private cancelled = false;
  private poll: ReturnType<typeof setInterval> | undefined;

  /** Built in the owner's request context; `ownerSignal` is the owner's (its client's) signal. */
  constructor(ownerSignal: AbortSignal | undefined) {
    if (ownerSignal === undefined) return;
    if (ownerSignal.aborted) this.ownerLeft();
    else ownerSignal.addEventListener('abort', () => this.ownerLeft(), { once: true });
  }

  /** The origin call's signal: for the owner's context only. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether every waiter has gone and the call was cancelled (a plain flag: readable from any context). */
  get abandoned(): boolean {
    return this.cancelled;
  }

  /** Whether a request may still join (the call is not being cancelled). */
  get joinable(): boolean {
    return !this.cancelled && this.waiters > 0;
  }

  /** Adds a joining request as a waiter for as long as its `signal` is not aborted (without one: to the end). */
  join(signal: AbortSignal | undefined): void {
    this.waiters++;
    if (signal === undefined) return;
    if (signal.aborted) this.waiters--;
    else signal.addEventListener('abort', () => this.waiters--, { once: true });
  }

  /** The call settled: stop checking (owner's context). */
  settled(): void {
    if (this.poll !== undefined) clearInterval(this.poll);
    this.poll = undefined;
  }

  private ownerLeft(): void {
    this.waiters--;
    if (this.waiters === 0) return this.cancel();
    this.poll = setInterval(() => {
      if (this.waiters === 0) this.cancel();
    }, ABANDONED_POLL_MS);
  }

  private cancel(): void {
    this.cancelled = true;
    this.settled();
    this.controller.abort(new DOMException('every client waiting for this origin call went away', 'AbortError'));
  }
}

interface Flight<T> {
  promise: Promise<T>;
  call: SharedCall;
}

/**
 * Concurrent identical cache misses in one isolate share one origin call: the first request to miss a
 * key registers a pending promise for it; others that miss the same key while it is in flight await
 * that promise instead of sending the text again, and count as waiters of its SharedCall (one origin
 * call answers several keys, so the waiter count is the call's, reached through each of its keys).
 * Entries are removed as soon as the call settles (success or failure), so a failure is shared only
 * with the requests that were already waiting. An aborted call is not joinable: a request arriving
 * after every waiter left sends its own call.
 */
export class SingleFlight<T = unknown> {
  private readonly inFlight = new Map<string, Flight<T>>();

  get size(): number {
    return this.inFlight.size;
  }

  /** The pending answer for `key`, with this request (`signal`) counted as one more waiter; undefined when none. */
  join(key: string, signal?: AbortSignal): Promise<T> | undefined {
    const flight = this.inFlight.get(key);
    if (flight === undefined || !flight.call.joinable) return undefined;
    flight.call.join(signal);
    return flight.promise;
  }

  /** Registers `promise` (an answer of `call`) for `key` until it settles. */
  register(key: string, promise: Promise<T>, call: SharedCall): void {
    const flight = { promise, call };
    this.inFlight.set(key, flight);
    const clear = () => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    };
    promise.then(clear, clear);
  }
}
