import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { normalizeLineEndings, readLtBody } from '../../../shared/libretranslate/body.js';

const URL_BASE = 'https://lt.test/translate';

function requestOf(body: RequestInit['body'], contentType?: string, url = URL_BASE): Request {
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  return new Request(url, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('readLtBody', () => {
  it('reads JSON objects (also application/*+json, as Flask does) and refuses other JSON as "Invalid JSON format"', async () => {
    expect(await readLtBody(requestOf('{"q":["a","b"],"source":"en"}', 'application/json; charset=utf-8'), 1000)).toEqual({ kind: 'json', fields: { q: ['a', 'b'], source: 'en' } });
    expect((await readLtBody(requestOf('{"q":"a"}', 'application/vnd.api+json'), 1000)).kind).toBe('json');
    for (const body of ['[1]', '"q"', 'null', '{"q":', '']) {
      await expect(readLtBody(requestOf(body, 'application/json'), 1000)).rejects.toThrow('Invalid JSON format');
    }
  });

  it('reads urlencoded and multipart fields as strings, the first of a repeated field, the query string first', async () => {
    const urlencoded = await readLtBody(requestOf('q=one&q=two&target=sw&api_key=k%20y', 'application/x-www-form-urlencoded', `${URL_BASE}?source=en&target=fr`), 1000);
    expect(urlencoded).toEqual({ kind: 'form', fields: { source: 'en', target: 'fr', q: 'one', api_key: 'k y' } });
    const data = new FormData();
    data.append('q', 'héllo\r\nworld');
    data.append('alternatives', '3');
    data.append('file', new Blob(['bytes']), 'a.txt');
    const encoded = new Response(data);
    const multipart = await readLtBody(requestOf(await encoded.arrayBuffer(), encoded.headers.get('content-type')!), 10_000);
    expect(multipart.kind).toBe('form');
    expect(multipart.fields.q).toBe('héllo\r\nworld');
    expect(multipart.fields.alternatives).toBe('3');
    expect(multipart.fields.file).toBeInstanceOf(Blob);
  });

  it('another media type, or none, reads only the query string and leaves the body unread', async () => {
    const request = requestOf('q=hidden', 'text/plain', `${URL_BASE}?q=visible`);
    expect(await readLtBody(request, 1000)).toEqual({ kind: 'none', fields: { q: 'visible' } });
    expect(request.bodyUsed).toBe(false);
    expect(await readLtBody(requestOf(null), 1000)).toEqual({ kind: 'none', fields: {} });
  });

  it('refuses a body over the limit with 413 before parsing: by its declared length, and counted while it streams', async () => {
    const big = 'q=' + 'x'.repeat(200);
    expect(await codeOf(readLtBody(requestOf(big, 'application/x-www-form-urlencoded'), 100))).toBe('BODY_TOO_LARGE');
    const data = new FormData();
    data.append('q', 'x'.repeat(200));
    const encoded = new Response(data);
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(pulled, pulled + 16));
        pulled += 16;
      },
    });
    expect(await codeOf(readLtBody(requestOf(stream, encoded.headers.get('content-type')!), 100))).toBe('BODY_TOO_LARGE');
    // it stopped reading soon after the limit instead of buffering everything
    expect(pulled).toBeLessThan(bytes.length);
  });

  it('a multipart body without a usable boundary is 400 VALIDATION_FAILED', async () => {
    for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=zzz']) {
      expect(await codeOf(readLtBody(requestOf('--b\r\nContent-Disposition: form-data; name="q"\r\n\r\nx\r\n--b--\r\n', contentType), 1000))).toBe('VALIDATION_FAILED');
    }
  });
});

/** Python's str.splitlines() line boundaries, written out from its documentation. */
const PYTHON_LINE_BOUNDARIES = ['\r\n', '\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029'];

/** A reference for `"\n".join(text.splitlines())`, scanning character by character. */
function pythonJoinSplitlines(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < text.length; i++) {
    const pair = text.slice(i, i + 2);
    if (pair === '\r\n') {
      lines.push(line);
      line = '';
      i++;
    } else if (PYTHON_LINE_BOUNDARIES.includes(text[i]!)) {
      lines.push(line);
      line = '';
    } else {
      line += text[i];
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

describe('normalizeLineEndings', () => {
  it("is LibreTranslate's \"\\n\".join(q.splitlines()): CRLF, CR and the other boundaries become LF, a final one is dropped", () => {
    expect(normalizeLineEndings('a\r\nb\rc\nd\r\n')).toBe('a\nb\nc\nd');
    expect(normalizeLineEndings('a\u2028b\x85c\f')).toBe('a\nb\nc');
    expect(normalizeLineEndings('a\n\n')).toBe('a\n');
    expect(normalizeLineEndings('\n')).toBe('');
    expect(normalizeLineEndings('no break')).toBe('no break');
  });

  it('property: equals the character-by-character reference of Python splitlines', () => {
    const pieces = fc.oneof(fc.constantFrom(...PYTHON_LINE_BOUNDARIES), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')), (text) => {
        expect(normalizeLineEndings(text)).toBe(pythonJoinSplitlines(text));
      }),
    );
  });
});
