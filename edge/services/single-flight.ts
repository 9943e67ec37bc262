/**
 * Concurrent identical cache misses in one isolate share one origin call: the first request to miss a
 * key registers a pending promise for it; others that miss the same key while it is in flight await
 * that promise instead of sending the text again. Entries are removed as soon as the call settles
 * (success or failure), so a failure is shared only with the requests that were already waiting.
 */
export class SingleFlight<T = unknown> {
  private readonly inFlight = new Map<string, Promise<T>>();

  get size(): number {
    return this.inFlight.size;
  }

  join(key: string): Promise<T> | undefined {
    return this.inFlight.get(key);
  }

  /** Registers `promise` for `key` until it settles. */
  register(key: string, promise: Promise<T>): void {
    this.inFlight.set(key, promise);
    const clear = () => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    };
    promise.then(clear, clear);
  }
}
