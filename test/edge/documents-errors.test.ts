import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS } from '../../shared/documents/limits.js';
import { docxSample, odtSample, withEncryptedFlag, zipBomb, type Sample } from '../support/document-samples.js';
import { errorOf, harness, uniqueIp, type Harness } from './harness.js';

function form(file: Pick<Sample, 'name' | 'bytes'> | undefined, fields: Record<string, string>): FormData {
  const body = new FormData();
  if (file) body.append('file', new File([file.bytes as Uint8Array<ArrayBuffer>], file.name));
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return body;
}

const upload = (h: Harness, path: string, body: FormData) => h.request(path, { method: 'POST', body, headers: { 'cf-connecting-ip': uniqueIp() } });

async function storedDocuments(h: Harness): Promise<number> {
  return (await h.env.TRANSLATION_CACHE.list({ prefix: 'document:' })).keys.length;
}

const file = (name: string, content: string | Uint8Array) => ({ name, bytes: typeof content === 'string' ? strToU8(content) : content });

const malformedDocx = docxSample('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>open</w:r></w:p></w:body></w:document>');

/** Every bad file, the stable code it is refused with, and what the message must say. */
const BAD_FILES: Array<{ what: string; file: Pick<Sample, 'name' | 'bytes'>; code: string; message: RegExp }> = [
  { what: 'an empty file', file: file('empty.txt', ''), code: 'INVALID_DOCUMENT', message: /empty/ },
  { what: 'a file of only whitespace', file: file('blank.txt', ' \n\n\t\n'), code: 'INVALID_DOCUMENT', message: /no text/ },
  { what: 'a docx that is not a zip', file: file('report.docx', 'just some words, not a zip archive'), code: 'INVALID_DOCUMENT', message: /not a valid zip/ },
  { what: 'a truncated zip', file: { name: 'report.docx', bytes: docxSample().bytes.subarray(0, 200) }, code: 'INVALID_DOCUMENT', message: /zip/ },
  { what: 'a zip bomb (one entry expands past the entry limit)', file: zipBomb(DOCUMENT_LIMITS.MAX_ZIP_ENTRY_BYTES + 1), code: 'DOCUMENT_TOO_LARGE', message: /expands to \d+ bytes/ },
  { what: 'an encrypted zip', file: withEncryptedFlag(docxSample()), code: 'INVALID_DOCUMENT', message: /encrypted/ },
  { what: 'malformed XML in the document part', file: malformedDocx, code: 'INVALID_DOCUMENT', message: /word\/document\.xml is not well-formed XML/ },
  { what: 'an ODT under a .docx name (wrong extension)', file: { name: 'letter.docx', bytes: odtSample().bytes }, code: 'INVALID_DOCUMENT', message: /not a Word \(docx\) document/ },
  { what: 'a docx under an .odt name (wrong extension)', file: { name: 'report.odt', bytes: docxSample().bytes }, code: 'INVALID_DOCUMENT', message: /not an OpenDocument text \(odt\) document \(mimetype, content\.xml missing\)/ },
  { what: 'an unsupported extension', file: file('scan.pdf', '%PDF-1.7'), code: 'UNSUPPORTED_DOCUMENT_FORMAT', message: /not a supported document; supported: \.txt/ },
  { what: 'a file without an extension', file: file('README', 'hello'), code: 'UNSUPPORTED_DOCUMENT_FORMAT', message: /not a supported document/ },
  { what: 'a binary file under a .txt name', file: file('data.txt', new Uint8Array([0xff, 0xfe, 0x00, 0x41])), code: 'INVALID_DOCUMENT', message: /not UTF-8|not a text file/ },
  { what: 'an .srt without cues', file: file('film.srt', 'no timings in here at all'), code: 'INVALID_DOCUMENT', message: /no SubRip cues/ },
  { what: 'a .vtt without its header', file: file('film.vtt', '00:01.000 --> 00:02.000\nHello'), code: 'INVALID_DOCUMENT', message: /WEBVTT/ },
  { what: 'more text than a document may have', file: file('long.txt', 'word '.repeat(DOCUMENT_LIMITS.MAX_CHARACTERS / 5 + 10)), code: 'TEXT_TOO_LONG', message: /characters of text/ },
  { what: 'a file over the size limit', file: file('big.txt', new Uint8Array(DOCUMENT_LIMITS.MAX_FILE_BYTES + 1).fill(0x61)), code: 'DOCUMENT_TOO_LARGE', message: /bytes; the limit is/ },
];

describe("bad files on LibreTranslate's POST /translate_file: a clear 4xx in its shape, nothing translated, nothing stored", () => {
  for (const bad of BAD_FILES) {
    it(bad.what, async () => {
      const h = harness();
      const before = await storedDocuments(h);
      const res = await upload(h, '/translate_file', form(bad.file, { source: 'en', target: 'sw' }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('x-error-code')).toBe(bad.code);
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toMatch(bad.message);
      expect(h.origins.a!.calls.translate).toBe(0);
      expect(await storedDocuments(h)).toBe(before);
    });
  }

  it('a form without a file, source or target names the missing field', async () => {
    const h = harness();
    const cases: Array<[FormData, string]> = [
      [form(undefined, { source: 'en', target: 'sw' }), 'Invalid request: missing file parameter'],
      [form(file('a.txt', 'hi'), { target: 'sw' }), 'Invalid request: missing source parameter'],
      [form(file('a.txt', 'hi'), { source: 'en' }), 'Invalid request: missing target parameter'],
    ];
    for (const [body, message] of cases) {
      const res = await upload(h, '/translate_file', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: message });
    }
  });

  it('an unsupported language is 400 before the file is read', async () => {
    const h = harness();
    const res = await upload(h, '/translate_file', form(file('a.txt', 'hello'), { source: 'en', target: 'klingon' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-error-code')).toBe('UNSUPPORTED_LANGUAGE');
    expect(h.origins.a!.calls.translate).toBe(0);
  });
});

describe('bad files on POST /api/v1/translate-document: the API envelope with the stable code', () => {
  it('each bad file has its code and status in the envelope', async () => {
    const h = harness();
    for (const bad of BAD_FILES.slice(0, 11)) {
      const res = await upload(h, '/api/v1/translate-document', form(bad.file, { target_language: 'swh_Latn', source_language: 'eng_Latn' }));
      const error = await errorOf(res);
      expect(error.code, bad.what).toBe(bad.code);
      expect(error.status).toBe(res.status);
      expect(error.message).toMatch(bad.message);
      expect(error.request_id).toBe(res.headers.get('x-request-id'));
    }
    expect(h.origins.a!.calls.translate).toBe(0);
  });

  it('a body that is not multipart is 415; a missing target_language is VALIDATION_FAILED', async () => {
    const h = harness();
    const json = await h.post('/api/v1/translate-document', { file: 'hello', target_language: 'sw' });
    expect(json.status).toBe(415);
    expect((await errorOf(json)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const missing = await upload(h, '/api/v1/translate-document', form(file('a.txt', 'hello'), {}));
    expect(missing.status).toBe(400);
    expect(await errorOf(missing)).toMatchObject({ code: 'VALIDATION_FAILED', message: 'target_language is required' });
  });

  it("an upload over the document body bound is 413 before it is parsed, and other routes keep MAX_BODY_BYTES", async () => {
    const h = harness();
    const huge = form(file('huge.txt', new Uint8Array(DOCUMENT_LIMITS.MAX_FILE_BYTES + 128 * 1024).fill(0x61)), { target_language: 'sw' });
    const res = await upload(h, '/api/v1/translate-document', huge);
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('BODY_TOO_LARGE');
    const translate = await h.post('/api/v1/translate', { text: 'a'.repeat(70 * 1024), target_language: 'sw' });
    expect(translate.status).toBe(413);
    expect((await errorOf(translate)).code).toBe('BODY_TOO_LARGE');
  });
});

describe('methods', () => {
  it('another method on a document path is 405 with Allow (LibreTranslate paths in its shape)', async () => {
    const h = harness();
    const api = await h.request('/api/v1/translate-document', { method: 'GET' });
    expect(api.status).toBe(405);
    expect(api.headers.get('allow')).toBe('POST');
    expect((await errorOf(api)).code).toBe('METHOD_NOT_ALLOWED');
    const lt = await h.request('/translate_file', { method: 'GET' });
    expect(lt.status).toBe(405);
    expect(await lt.json()).toEqual({ error: expect.any(String) });
    const download = await h.request('/download_file/0123456789abcdef0123456789abcdef.a.txt', { method: 'DELETE' });
    expect(download.status).toBe(405);
  });
});
