export interface Closable {
  close(): Promise<void>;
}

interface Generation<T> {
  value: T;
  inFlight: number;
  retired: boolean;
}

/**
 * Holds the live model and swaps it atomically (hot reload). A new value is loaded beside the old
 * one; requests that started on the old one finish on it, and it is closed only once they have.
 * A failed load leaves the old value serving.
 */
export class Swappable<T extends Closable> {
  private current: Generation<T>;
  private swapping: Promise<void> | undefined;

  constructor(initial: T) {
    this.current = { value: initial, inFlight: 0, retired: false };
  }

  /** The value new requests would get (for status pages; do not keep it across awaits). */
  peek(): T {
    return this.current.value;
  }

  /** Runs `fn` on the current value, pinning it until `fn` settles. */
  async use<R>(fn: (value: T) => Promise<R>): Promise<R> {
    const generation = this.current;
    generation.inFlight++;
    try {
      return await fn(generation.value);
    } finally {
      generation.inFlight--;
      if (generation.retired && generation.inFlight === 0) void this.dispose(generation);
    }
  }

  /** Loads a replacement with `load` and swaps it in; one swap at a time (a second call waits for the first). */
  async swap(load: () => Promise<T>): Promise<T> {
    while (this.swapping) await this.swapping.catch(() => undefined);
    let release!: () => void;
    this.swapping = new Promise<void>((resolve) => (release = resolve));
    try {
      const value = await load();
      const old = this.current;
      this.current = { value, inFlight: 0, retired: false };
      old.retired = true;
      if (old.inFlight === 0) await this.dispose(old);
      return value;
    } finally {
      this.swapping = undefined;
      release();
    }
  }

  async close(): Promise<void> {
    this.current.retired = true;
    await this.dispose(this.current);
  }

  private async dispose(generation: Generation<T>): Promise<void> {
    await generation.value.close().catch(() => undefined);
  }
}
