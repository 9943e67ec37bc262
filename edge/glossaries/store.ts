import type { GlossaryEntries } from '../../shared/contract/terminology.js';
import type { CreateOutcome, GlossaryDurableObject, StoredGlossary } from './durable-object.js';

export type { CreateOutcome, StoredGlossary };

/** The glossaries of API keys, by key hash, behind a small interface (tests may inject their own). */
export interface GlossaryStore {
  create(keyHash: string, glossary: StoredGlossary, entries: GlossaryEntries, maxPerKey: number): Promise<CreateOutcome>;
  list(keyHash: string): Promise<StoredGlossary[]>;
  get(keyHash: string, id: string): Promise<{ glossary: StoredGlossary; entries: GlossaryEntries } | null>;
  delete(keyHash: string, id: string): Promise<boolean>;
}

/** The production store: one GlossaryDurableObject per API key. A missing binding fails each call, not the isolate. */
export class DurableObjectGlossaryStore implements GlossaryStore {
  constructor(private readonly namespace: DurableObjectNamespace<GlossaryDurableObject> | undefined) {}

  private stub(keyHash: string): DurableObjectStub<GlossaryDurableObject> {
    if (!this.namespace) throw new Error('the GLOSSARIES Durable Object binding is missing');
    return this.namespace.get(this.namespace.idFromName(`glossaries:${keyHash}`));
  }

  async create(keyHash: string, glossary: StoredGlossary, entries: GlossaryEntries, maxPerKey: number): Promise<CreateOutcome> {
    return await this.stub(keyHash).create(glossary, entries, maxPerKey);
  }

  async list(keyHash: string): Promise<StoredGlossary[]> {
    return await this.stub(keyHash).list();
  }

  async get(keyHash: string, id: string): Promise<{ glossary: StoredGlossary; entries: GlossaryEntries } | null> {
    return await this.stub(keyHash).get(id);
  }

  async delete(keyHash: string, id: string): Promise<boolean> {
    return await this.stub(keyHash).delete(id);
  }
}
