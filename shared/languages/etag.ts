/**
 * Strong ETags for the static language responses, and If-None-Match evaluation. The bodies never change
 * while a deployment runs, so a cheap non-cryptographic hash is enough: 64-bit FNV-1a over the UTF-8
 * bytes of the JSON (synchronous, unlike Web Crypto, and the same in workerd and Node).
 */

const encoder = new TextEncoder();

/** 64-bit FNV-1a as 16 hex digits, computed in four 16-bit limbs so every step stays exact in a double. */
export function fnv1a64(text: string): string {
  // offset basis 0xcbf29ce484222325
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const byte of encoder.encode(text)) {
    h0 ^= byte;
    // h * 0x100000001b3 = h * 0x1b3 + (h << 40); 40 bits = two limbs and 8 bits
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}

/** A strong ETag for a body: its hash and its length (the length makes a collision even less likely). */
export function strongEtag(body: string): string {
  return `"${fnv1a64(body)}-${body.length.toString(16)}"`;
}

/**
 * Whether an If-None-Match header matches `etag`: `*`, or any listed tag under weak comparison
 * (RFC 9110 §13.1.2: `W/"x"` matches `"x"`).
 */
export function ifNoneMatchMatches(header: string | undefined | null, etag: string): boolean {
  if (!header) return false;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of header.split(',')) {
    const candidate = part.trim();
    if (candidate === '*') return true;
    if ((candidate.startsWith('W/') ? candidate.slice(2) : candidate) === opaque) return true;
  }
  return false;
}

export interface CachedBody {
  readonly body: string;
  readonly etag: string;
}

/**
 * Serialised bodies and their ETags, computed once per key. Keys of the static routes are few and
 * fixed; search bodies depend on the query, so their map is bounded (oldest entry evicted first).
 */
export class BodyMemo {
  readonly #entries = new Map<string, CachedBody>();
  readonly #maxEntries: number;

  constructor(maxEntries = Number.POSITIVE_INFINITY) {
    this.#maxEntries = maxEntries;
  }

  get(key: string, build: () => unknown): CachedBody {
    const hit = this.#entries.get(key);
    if (hit !== undefined) return hit;
    const body = JSON.stringify(build());
    const entry = { body, etag: strongEtag(body) };
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, entry);
    return entry;
  }

  get size(): number {
    return this.#entries.size;
  }
}
