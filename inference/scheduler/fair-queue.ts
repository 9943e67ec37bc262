/** What the fair queue needs of a queued row. */
export interface FairEntry {
  readonly tokens: number;
  readonly enqueuedAt: number;
}

interface ClientQueue<E> {
  readonly entries: E[];
  /** DRR deficit: tokens this client may still take before its turn ends. */
  deficit: number;
}

/**
 * The rows of one batch key, in one FIFO queue per client, taken in deficit round robin order
 * (Shreedhar & Varghese): each client's turn credits it `quantum` tokens and it takes head rows while
 * they fit its credit. A heavy client's backlog therefore costs a light client at most about one turn,
 * not the whole backlog, and every client keeps its own rows in arrival order.
 */
export class FairQueue<E extends FairEntry> {
  readonly #quantum: number;
  readonly #clients = new Map<string, ClientQueue<E>>();
  /** Clients with queued rows, in round-robin order; `#next` is the one whose turn comes next. */
  readonly #ring: string[] = [];
  #next = 0;
  #rows = 0;
  #tokens = 0;

  constructor(quantumTokens: number) {
    this.#quantum = Math.max(1, quantumTokens);
  }

  get rows(): number {
    return this.#rows;
  }

  get tokens(): number {
    return this.#tokens;
  }

  get isEmpty(): boolean {
    return this.#rows === 0;
  }

  /** When the row that has waited longest (over all clients) was queued; Infinity when empty. */
  get oldestEnqueuedAt(): number {
    let oldest = Infinity;
    for (const q of this.#clients.values()) oldest = Math.min(oldest, q.entries[0]!.enqueuedAt);
    return oldest;
  }

  /** The clients with rows queued here. */
  get clients(): readonly string[] {
    return this.#ring;
  }

  push(client: string, entry: E): void {
    let q = this.#clients.get(client);
    if (!q) {
      q = { entries: [], deficit: 0 };
      this.#clients.set(client, q);
      // A client that becomes active has had no service lately: its turn comes next (as in fair
      // queueing, where its virtual start is "now", before every backlogged client's finish).
      this.#ring.splice(this.#next, 0, client);
    }
    q.entries.push(entry);
    this.#rows += 1;
    this.#tokens += entry.tokens;
  }

  /** Removes `client`'s entries that match; returns how many were removed. */
  remove(client: string, matches: (entry: E) => boolean): number {
    const q = this.#clients.get(client);
    if (!q) return 0;
    const kept = q.entries.filter((e) => !matches(e));
    const removed = q.entries.length - kept.length;
    if (removed === 0) return 0;
    for (const e of q.entries) if (matches(e)) this.#tokens -= e.tokens;
    this.#rows -= removed;
    q.entries.splice(0, q.entries.length, ...kept);
    if (kept.length === 0) this.#deactivate(this.#ring.indexOf(client));
    return removed;
  }

  /**
   * Takes the rows of the next batch: at most `maxRows`, at most `maxTokens` in total (but always at
   * least one row, however big), client turns in DRR order. A turn that the batch cuts short ends
   * there; a client that could take nothing because the batch was full keeps its place at the head.
   */
  take(maxRows: number, maxTokens: number): E[] {
    const out: E[] = [];
    let tokens = 0;
    let idleTurns = 0;
    while (out.length < maxRows && this.#ring.length > 0) {
      const client = this.#ring[this.#next]!;
      const q = this.#clients.get(client)!;
      q.deficit += this.#quantum;
      let took = 0;
      let full = false;
      while (q.entries.length > 0) {
        const head = q.entries[0]!;
        if (out.length >= maxRows || (out.length > 0 && tokens + head.tokens > maxTokens)) {
          full = true;
          break;
        }
        if (head.tokens > q.deficit) break;
        q.entries.shift();
        q.deficit -= head.tokens;
        this.#rows -= 1;
        this.#tokens -= head.tokens;
        tokens += head.tokens;
        out.push(head);
        took += 1;
      }
      if (q.entries.length === 0) {
        this.#deactivate(this.#next);
      } else if (full && took === 0) {
        q.deficit -= this.#quantum; // no service, no credit: it goes first next time instead
        break;
      } else {
        // Credit left over because the batch filled up is kept, but never more than one quantum, so
        // a client cannot save up turns.
        if (full) q.deficit = Math.min(q.deficit, this.#quantum);
        this.#next = (this.#next + 1) % this.#ring.length;
        if (full) break;
      }
      idleTurns = took > 0 ? 0 : idleTurns + 1;
      if (idleTurns >= this.#ring.length && this.#ring.length > 0) this.#skipIdleRounds();
    }
    return out;
  }

  /**
   * Every client had a turn and none could afford its head row (rows bigger than the quantum): credit
   * the rounds that would pass without service at once instead of looping through them.
   */
  #skipIdleRounds(): void {
    let rounds = Infinity;
    for (const q of this.#clients.values()) {
      rounds = Math.min(rounds, Math.ceil((q.entries[0]!.tokens - q.deficit) / this.#quantum) - 1);
    }
    if (!(rounds > 0) || !Number.isFinite(rounds)) return;
    for (const q of this.#clients.values()) q.deficit += rounds * this.#quantum;
  }

  #deactivate(index: number): void {
    if (index < 0) return;
    const client = this.#ring[index]!;
    this.#clients.delete(client);
    this.#ring.splice(index, 1);
    if (index < this.#next) this.#next -= 1;
    if (this.#next >= this.#ring.length) this.#next = 0;
  }
}
