import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { readZip, writeZip } from '../../../shared/documents/zip.js';
import { docxSample, withEncryptedFlag } from '../../support/document-samples.js';

const LIMITS = { MAX_ZIP_ENTRIES: 5, MAX_ZIP_ENTRY_BYTES: 100_000, MAX_ZIP_TOTAL_BYTES: 150_000 };

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** Sets the declared uncompressed size of every central-directory record (a lying header). */
function withDeclaredSize(bytes: Uint8Array, size: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at + 4 <= out.length; at++) if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, size, true);
  return out;
}

describe('readZip / writeZip (fflate, bounded)', () => {
  it('reads entries in archive order with their storage method, and writes them back the same way', () => {
    const bytes = zipSync({ mimetype: [strToU8('application/epub+zip'), { level: 0 }], 'a/b.xml': strToU8('<a>text</a>'.repeat(50)) });
    const entries = readZip(bytes, LIMITS);
    expect(entries.map((e) => [e.name, e.compression, e.data.length])).toEqual([['mimetype', 0, 20], ['a/b.xml', 8, 550]]);
    const again = readZip(writeZip(entries), LIMITS);
    expect(again).toEqual(entries);
  });

  it('refuses by the central directory, before inflating: too many entries, an entry or the whole too large', () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.xml`, strToU8('x')])));
    expect(refusal(() => readZip(many, LIMITS))).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', message: 'the archive has more than 5 entries' });
    const big = zipSync({ 'big.xml': new Uint8Array(100_001) });
    expect(refusal(() => readZip(big, LIMITS))).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', message: 'the archive entry "big.xml" expands to 100001 bytes; the limit is 100000' });
    const total = zipSync({ 'a.xml': new Uint8Array(80_000), 'b.xml': new Uint8Array(80_000) });
    expect(refusal(() => readZip(total, LIMITS)).code).toBe('DOCUMENT_TOO_LARGE');
  });

  it('an entry that expands past the size its header declares is stopped and refused (a lying zip bomb)', () => {
    const bomb = withDeclaredSize(zipSync({ 'word/document.xml': new Uint8Array(5_000_000) }), 1000);
    const error = refusal(() => readZip(bomb, LIMITS));
    expect(error.code).toBe('INVALID_DOCUMENT');
    expect(error.message).toContain('word/document.xml');
  });

  it('refuses encrypted entries, non-zips, empty and truncated archives with INVALID_DOCUMENT', () => {
    expect(refusal(() => readZip(withEncryptedFlag(docxSample()).bytes, LIMITS)).message).toMatch(/encrypted/);
    expect(refusal(() => readZip(strToU8('not a zip at all, just text'), LIMITS)).message).toBe('the file is not a valid zip archive');
    expect(refusal(() => readZip(zipSync({}), LIMITS)).code).toBe('INVALID_DOCUMENT');
    const bytes = docxSample().bytes;
    expect(refusal(() => readZip(bytes.subarray(0, bytes.length - 30), LIMITS)).code).toBe('INVALID_DOCUMENT');
    expect(refusal(() => readZip(bytes.subarray(60), LIMITS)).code).toMatch(/INVALID_DOCUMENT|DOCUMENT_TOO_LARGE/);
  });
});
