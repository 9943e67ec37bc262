import type { AccountSummary, AdmitDecision, AdmitRequest, KeyAccountDurableObject } from './account.js';

/** The key accounts behind a small interface (production: one KeyAccountDurableObject per key id). */
export interface KeyAccounts {
  open(id: string, hash: string): Promise<void>;
  admit(id: string, request: AdmitRequest): Promise<AdmitDecision>;
  refund(id: string, characters: number, charged: { dayStart: number; monthStart: number }): Promise<void>;
  revoke(id: string, hash: string, now: number): Promise<number>;
  summary(id: string): Promise<AccountSummary>;
}

/** Wraps the KEY_ACCOUNTS binding; a missing binding fails each call (the gate then fails open, the admin API with 500). */
export function durableObjectKeyAccounts(namespace: DurableObjectNamespace<KeyAccountDurableObject> | undefined): KeyAccounts {
  const stub = (id: string) => {
    if (!namespace) throw new Error('the KEY_ACCOUNTS Durable Object binding is missing');
    return namespace.get(namespace.idFromName(id));
  };
  return {
    open: async (id, hash) => await stub(id).open(hash),
    admit: async (id, request) => await stub(id).admit(request),
    refund: async (id, characters, charged) => await stub(id).refund(characters, charged),
    revoke: async (id, hash, now) => await stub(id).revoke(hash, now),
    summary: async (id) => await stub(id).summary(),
  };
}
