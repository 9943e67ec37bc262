import { documentTooLarge } from '../../shared/documents/errors.js';
import { toHex } from '../../shared/bytes.js';

/** A translated file kept for download. */
export interface StoredDocument {
  bytes: Uint8Array;
  name: string;
  mediaType: string;
}

/** Where POST /translate_file keeps its results until GET /download_file fetches them. */
export interface DocumentStore {
  /** Keeps the file for `ttlSeconds` under a new unguessable id, and returns the id. */
  put(document: StoredDocument, ttlSeconds: number): Promise<string>;
  get(id: string): Promise<StoredDocument | undefined>;
}

/** 128 random bits, hex: the only thing that grants a download, so it must not be guessable. */
export function newDocumentId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return toHex(bytes);
}

export const DOCUMENT_ID = /^[0-9a-f]{32}$/;

const KEY_PREFIX = 'document:';

interface Metadata {
  name: string;
  mediaType: string;
}

/**
 * The store in Workers KV (the TRANSLATION_CACHE namespace, keys `document:<id>`, apart from the
 * cache's hashed keys). Why KV and not R2: KV is already bound, it expires each value by itself
 * (expirationTtl; R2 lifecycle rules work in days), and a translated document is far below its 25 MiB
 * value limit (DOCUMENT_LIMITS.MAX_STORED_BYTES). KV is eventually consistent between locations: a
 * download asked from another location within about a minute of the upload may not see the file yet;
 * clients download from where they uploaded, right after.
 */
export class KvDocumentStore implements DocumentStore {
  constructor(
    private readonly namespace: KVNamespace,
    private readonly maxBytes: number,
  ) {}

  async put(document: StoredDocument, ttlSeconds: number): Promise<string> {
    if (document.bytes.length > this.maxBytes) {
      throw documentTooLarge(`the translated file has ${document.bytes.length} bytes; at most ${this.maxBytes} are kept for download`, {
        bytes: document.bytes.length,
        limit: this.maxBytes,
      });
    }
    const id = newDocumentId();
    const metadata: Metadata = { name: document.name, mediaType: document.mediaType };
    // KV's floor for expirationTtl is 60 s.
    await this.namespace.put(KEY_PREFIX + id, document.bytes, { expirationTtl: Math.max(60, ttlSeconds), metadata });
    return id;
  }

  async get(id: string): Promise<StoredDocument | undefined> {
    if (!DOCUMENT_ID.test(id)) return undefined;
    const found = await this.namespace.getWithMetadata<Metadata>(KEY_PREFIX + id, 'arrayBuffer');
    if (found.value === null || found.metadata === null) return undefined;
    return { bytes: new Uint8Array(found.value), name: found.metadata.name, mediaType: found.metadata.mediaType };
  }
}
