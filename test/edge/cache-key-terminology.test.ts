/**
 * Terminology and format in the cache key (edge/cache/key.ts): different terminology never shares an
 * entry, the same terminology in another order does, and a glossary is keyed by its content.
 */
import { describe, expect, it } from 'vitest';
import { canonicalOptions, glossaryDigest, resolvedKey, resolvedKeyMaterial } from '../../edge/cache/key.js';
import type { TranslateOptions } from '../../shared/contract/translate.js';

const BASE: TranslateOptions = { beam_size: 1, placeholders: 'auto', alternatives: 0, format: 'text' };
const key = (options: Partial<TranslateOptions>) => resolvedKey({ model: 'm', source: 'eng_Latn', target: 'swh_Latn', options: { ...BASE, ...options }, text: 'Sign in' });

describe('cache key: markup and terminology options', () => {
  it('format, protected terms and glossary entries each change the key', async () => {
    const keys = await Promise.all([
      key({}),
      key({ format: 'html' }),
      key({ protected_terms: ['Sema'] }),
      key({ protected_terms: ['Sema', 'Edge'] }),
      key({ glossary: { 'sign in': 'ingia' } }),
      key({ glossary: { 'sign in': 'Ingia' } }),
      key({ glossary: { 'sign in': 'ingia', account: 'akaunti' } }),
      key({ glossary_id: 'g1' }),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('the same terminology in another order, or empty, keys like its canonical form', async () => {
    expect(await key({ protected_terms: ['b', 'a', 'b'] })).toBe(await key({ protected_terms: ['a', 'b'] }));
    expect(await key({ glossary: { b: '2', a: '1' } })).toBe(await key({ glossary: { a: '1', b: '2' } }));
    expect(await key({ glossary: {}, protected_terms: [] })).toBe(await key({}));
  });

  it('a glossary is keyed by the SHA-256 of its sorted entries once hashed, by the entries before', async () => {
    const glossary = { b: '2', a: '1' };
    expect(canonicalOptions({ ...BASE, glossary }).glossary).toEqual([['a', '1'], ['b', '2']]);
    const digest = await glossaryDigest(glossary);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await glossaryDigest({ a: '1', b: '2' })).toBe(digest);
    expect(canonicalOptions({ ...BASE, glossary }).glossary).toBe(digest);
    // Material (the flight key) stays distinct per content in either form.
    const material = (g: Record<string, string>) => resolvedKeyMaterial({ model: 'm', source: 's', target: 't', options: { ...BASE, glossary: g }, text: 'x' });
    expect(material(glossary)).not.toBe(material({ a: '1', b: '3' }));
  });
});
