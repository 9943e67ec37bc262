/**
 * Remembers, for a short while, the API key hashes that API_KEYS does not know, so a client guessing
 * keys costs at most one KV read per distinct guess per TTL, and the cache at most `maxEntries`
 * entries (least recently used ones go first). In-isolate only: each isolate learns on its own, which
 * bounds KV reads per isolate. A key created during the TTL works once its entry expires.
 */
export class NegativeCache {
  private readonly entries = new Map<string, number>();

  constructor(
    readonly maxEntries = 1024,
    readonly ttlMs = 60_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string, now: number): boolean {
    const expiresAt = this.entries.get(key);
    if (expiresAt === undefined) return false;
    this.entries.delete(key);
    if (expiresAt <= now) return false;
    this.entries.set(key, expiresAt); // most recently used last
    return true;
  }

  add(key: string, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, now + this.ttlMs);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
