import { DurableObject } from 'cloudflare:workers';
import type { GlossaryEntries } from '../../shared/contract/terminology.js';

/** A stored glossary's record, as the object keeps it (the API's GlossaryInfo is built from it). */
export interface StoredGlossary {
  id: string;
  name: string;
  sourceLanguage: string | null;
  targetLanguage: string;
  entryCount: number;
  contentHash: string;
  createdAt: number;
}

export type CreateOutcome = { ok: true; glossary: StoredGlossary } | { ok: false; reason: 'limit_reached'; count: number };

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  name: string;
  source_language: string | null;
  target_language: string;
  entry_count: number;
  content_hash: string;
  created_at: number;
}

const COLUMNS = 'id, name, source_language, target_language, entry_count, content_hash, created_at';

function fromRow(row: Row): StoredGlossary {
  return {
    id: row.id,
    name: row.name,
    sourceLanguage: row.source_language,
    targetLanguage: row.target_language,
    entryCount: row.entry_count,
    contentHash: row.content_hash,
    createdAt: row.created_at,
  };
}

/**
 * One instance per API key (named `glossaries:<sha256 of the key>`): that key's glossaries in the
 * object's SQLite database. A Durable Object rather than KV because a glossary must be usable the
 * moment it is created and gone the moment it is deleted, everywhere (KV is eventually consistent for
 * up to a minute), and the per-key count must be exact. Only requests that use glossaries reach it.
 */
export class GlossaryDurableObject extends DurableObject {
  private schemaReady = false;

  private sql(): SqlStorage {
    const sql = this.ctx.storage.sql;
    if (!this.schemaReady) {
      sql.exec(
        'CREATE TABLE IF NOT EXISTS glossaries (id TEXT PRIMARY KEY, name TEXT NOT NULL, source_language TEXT, target_language TEXT NOT NULL, entry_count INTEGER NOT NULL, content_hash TEXT NOT NULL, created_at INTEGER NOT NULL, entries TEXT NOT NULL)',
      );
      this.schemaReady = true;
    }
    return sql;
  }

  /** Stores a glossary unless the key already has `maxPerKey` (checked and written in one synchronous step). */
  async create(glossary: StoredGlossary, entries: GlossaryEntries, maxPerKey: number): Promise<CreateOutcome> {
    const sql = this.sql();
    const count = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM glossaries').one().n;
    if (count >= maxPerKey) return { ok: false, reason: 'limit_reached', count };
    sql.exec(
      `INSERT INTO glossaries (${COLUMNS}, entries) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      glossary.id,
      glossary.name,
      glossary.sourceLanguage,
      glossary.targetLanguage,
      glossary.entryCount,
      glossary.contentHash,
      glossary.createdAt,
      JSON.stringify(entries),
    );
    return { ok: true, glossary };
  }

  async list(): Promise<StoredGlossary[]> {
    return this.sql().exec<Row>(`SELECT ${COLUMNS} FROM glossaries ORDER BY created_at DESC, id`).toArray().map(fromRow);
  }

  async get(id: string): Promise<{ glossary: StoredGlossary; entries: GlossaryEntries } | null> {
    const row = this.sql().exec<Row & { entries: string }>(`SELECT ${COLUMNS}, entries FROM glossaries WHERE id = ?`, id).toArray()[0];
    if (row === undefined) return null;
    return { glossary: fromRow(row), entries: JSON.parse(row.entries) as GlossaryEntries };
  }

  async delete(id: string): Promise<boolean> {
    const sql = this.sql();
    const existed = sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM glossaries WHERE id = ?', id).one().n > 0;
    if (existed) sql.exec('DELETE FROM glossaries WHERE id = ?', id);
    return existed;
  }
}
