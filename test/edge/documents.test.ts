import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fakeTranslate } from '../support/fake-origin-core.js';
import {
  HTML_SOURCE,
  SRT_SOURCE,
  TEXT_PART,
  VTT_SOURCE,
  docxSample,
  htmlSample,
  srtSample,
  txtSample,
  vttSample,
  xmlSkeleton,
  xmlTexts,
  zipSamples,
  type Sample,
} from '../support/document-samples.js';
import { errorOf, harness, uniqueIp, type Harness } from './harness.js';

const SOURCE = 'eng_Latn';
const TARGET = 'swh_Latn';
const MARK = `[${SOURCE}>${TARGET}]`;

export function documentForm(sample: Pick<Sample, 'name' | 'bytes'>, fields: Record<string, string>): FormData {
  const form = new FormData();
  form.append('file', new File([sample.bytes as Uint8Array<ArrayBuffer>], sample.name));
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

/**
 * The translation cache (KV) is shared by every harness of this file: a test that looks at what reached
 * the origin translates from a source language no other test uses, so nothing it sends is a cache hit.
 */
const UNUSED_SOURCES = ['deu_Latn', 'ita_Latn', 'por_Latn', 'nld_Latn', 'pol_Latn', 'ces_Latn', 'swe_Latn', 'dan_Latn', 'fin_Latn', 'hun_Latn', 'ron_Latn', 'tur_Latn'];
let nextSource = 0;
function freshSource(): { source: string; mark: string } {
  const source = UNUSED_SOURCES[nextSource++]!;
  return { source, mark: `[${source}>${TARGET}]` };
}

const translateDocument = (h: Harness, sample: Pick<Sample, 'name' | 'bytes'>, fields: Record<string, string> = { source_language: SOURCE, target_language: TARGET }) =>
  h.request('/api/v1/translate-document', { method: 'POST', body: documentForm(sample, fields), headers: { 'cf-connecting-ip': uniqueIp() } });

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

/** What the fake origin was asked to translate, call by call, with the options it got. */
function translateCalls(h: Harness): Array<{ text: string[]; options: Record<string, unknown> }> {
  return h.origins.a!.received.filter((call) => call.path === '/api/v1/translate').map((call) => call.body as { text: string[]; options: Record<string, unknown> });
}

describe('POST /api/v1/translate-document: text and subtitle formats', () => {
  it('.txt: each paragraph translated in place, the blank lines between them kept', async () => {
    const h = harness();
    const { source } = freshSource();
    const sample = txtSample();
    const res = await translateDocument(h, sample, { source_language: source, target_language: TARGET });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('filename="notes.txt"');
    const [first, second] = sample.paragraphs as [string, string];
    expect(strFromU8(await bytesOf(res))).toBe(`${fakeTranslate(first, source, TARGET)}\n\n\n${fakeTranslate(second, source, TARGET)}\n`);
    expect(translateCalls(h)).toEqual([expect.objectContaining({ text: [first, second], source_language: source, target_language: TARGET })]);
  });

  it('.srt: cue numbers, timings and CRLF line ends untouched, each cue translated, a two-line cue stays two lines', async () => {
    const h = harness();
    const { source } = freshSource();
    const res = await translateDocument(h, srtSample(), { source_language: source, target_language: TARGET });
    expect(res.status).toBe(200);
    const out = strFromU8(await bytesOf(res));
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    const cues = out.split('\r\n\r\n').map((block) => block.split('\r\n'));
    const original = SRT_SOURCE.split('\r\n\r\n').map((block) => block.split('\r\n'));
    expect(cues.map((cue) => cue.slice(0, 2))).toEqual(original.map((cue) => cue.slice(0, 2)));
    const [one, two] = cues as [string[], string[]];
    expect(one.slice(2)).toHaveLength(2);
    expect(one.slice(2).join(' ')).toBe(fakeTranslate('Hello there,\nmy good friend.', source, TARGET));
    expect(two.slice(2).filter(Boolean)).toEqual([fakeTranslate('See you soon.', source, TARGET)]);
    expect(translateCalls(h)[0]!.text).toEqual(['Hello there,\nmy good friend.', 'See you soon.']);
  });

  it('.vtt: the header, NOTE blocks, cue ids, timings and cue settings untouched; cue text translated with its tags', async () => {
    const h = harness();
    const { source } = freshSource();
    const res = await translateDocument(h, vttSample(), { source_language: source, target_language: TARGET });
    expect(res.status).toBe(200);
    const out = strFromU8(await bytesOf(res));
    const blocks = out.split('\n\n');
    const original = VTT_SOURCE.split('\n\n');
    expect(blocks.slice(0, 2)).toEqual(original.slice(0, 2));
    expect(blocks[2]!.split('\n').slice(0, 2)).toEqual(['intro', '00:01.000 --> 00:02.000 align:start line:0']);
    expect(blocks[2]!.split('\n').slice(2)).toHaveLength(2);
    expect(blocks[3]!.split('\n')[0]).toBe('00:02.500 --> 00:04.000');
    expect(blocks[3]).toContain(fakeTranslate('<i>The</i> end.', source, TARGET));
    expect(translateCalls(h)[0]!.text).toEqual(['Good morning\neverybody', '<i>The</i> end.']);
  });

  it(".html: the body's content goes through the HTML path (format 'html'); the head and doctype are copied", async () => {
    const h = harness();
    const { source } = freshSource();
    const res = await translateDocument(h, htmlSample(), { source_language: source, target_language: TARGET });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const out = strFromU8(await bytesOf(res));
    const body = '<h1>Big news</h1>\n<p>Read <b>this</b> now.</p>';
    const [calls] = [translateCalls(h)];
    expect(calls).toHaveLength(1);
    expect(calls[0]!.text).toEqual([body]);
    expect(calls[0]!.options.format).toBe('html');
    const head = HTML_SOURCE.slice(0, HTML_SOURCE.indexOf('<body>') + '<body>\n'.length);
    expect(out).toBe(head + fakeTranslate(body, source, TARGET) + '\n</body></html>\n');
  });
});

describe('POST /api/v1/translate-document: zip containers (docx, pptx, odt, epub)', () => {
  for (const sample of zipSamples()) {
    it(`${sample.name}: same entries in the same order, other entries byte-identical, the text part well-formed with the same element tree, translated in place`, async () => {
      const h = harness();
      const res = await translateDocument(h, sample);
      expect(res.status).toBe(200);
      const before = unzipSync(sample.bytes);
      const after = unzipSync(await bytesOf(res));
      expect(Object.keys(after)).toEqual(Object.keys(before));
      const part = TEXT_PART[sample.name]!;
      for (const name of Object.keys(before)) if (name !== part) expect(after[name], name).toEqual(before[name]);
      const source = strFromU8(before[part]!);
      const translated = strFromU8(after[part]!);
      expect(xmlSkeleton(translated)).toEqual(xmlSkeleton(source));
      const texts = xmlTexts(translated).join(' ');
      // The fake translation reorders words and prefixes a mark: every word is still there, once per paragraph marked.
      expect(texts.split(MARK).length - 1).toBe(sample.paragraphs.length);
      for (const word of sample.paragraphs.join(' ').split(/\s+/)) expect(texts).toContain(word);
      // Everything before the first translated character is byte-identical (the XML declaration, its line end).
      expect(translated.slice(0, source.indexOf('>') + 2)).toBe(source.slice(0, source.indexOf('>') + 2));
    });
  }

  it('docx: a paragraph of runs is one unit with the run boundaries as numbered tags, so each run keeps its formatting', async () => {
    const h = harness();
    const { source } = freshSource();
    const res = await translateDocument(h, docxSample(), { source_language: source, target_language: TARGET });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(translateCalls(h)[0]!.text).toEqual(['<0>Bold start </0><1>and plain & simple end</1>', '<0>A second paragraph</0> <1>after a tab</1>']);
    const xml = strFromU8(unzipSync(await bytesOf(res))['word/document.xml']!);
    // The bold run still holds text, and keeps its trailing space (xml:space="preserve").
    expect(xml).toMatch(/<w:rPr><w:b\/><\/w:rPr><w:t xml:space="preserve">[^<]+ <\/w:t>/);
    expect(xml).toContain('&amp;');
  });

  it('epub: code, pre and translate="no" are not sent; the XHTML stays well-formed', async () => {
    const h = harness();
    const { source } = freshSource();
    const res = await translateDocument(h, zipSamples()[3]!, { source_language: source, target_language: TARGET });
    expect(res.status).toBe(200);
    const sent = translateCalls(h).flatMap((call) => call.text);
    expect(sent).toEqual(['Chapter one', 'The beginning', '<0>It was a </0><1>dark</1><2> night.</2>']);
    const xhtml = strFromU8(unzipSync(await bytesOf(res))['OEBPS/chapter1.xhtml']!);
    expect(xhtml).toContain('<pre>kept as code</pre>');
    expect(xhtml).toContain('<p translate="no">Not this one.</p>');
  });
});

describe('LibreTranslate: POST /translate_file and GET /download_file', () => {
  it('answers a download link; the file is stored in KV for an hour and served with its name and type', async () => {
    const h = harness();
    const res = await h.request('/translate_file', { method: 'POST', body: documentForm(docxSample(), { source: 'en', target: 'sw' }), headers: { 'cf-connecting-ip': uniqueIp() } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { translatedFileUrl: string };
    expect(Object.keys(body)).toEqual(['translatedFileUrl']);
    const url = new URL(body.translatedFileUrl);
    expect(url.origin).toBe('https://edge.test');
    const match = /^\/download_file\/([0-9a-f]{32})\.report\.docx$/.exec(url.pathname);
    expect(match).not.toBeNull();
    const stored = await h.env.TRANSLATION_CACHE.list({ prefix: `document:${match![1]}` });
    expect(stored.keys).toHaveLength(1);
    const ttl = stored.keys[0]!.expiration! - Date.now() / 1000;
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(3600);

    const download = await h.request(url.pathname);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(download.headers.get('content-disposition')).toContain('filename="report.docx"');
    const xml = strFromU8(unzipSync(await bytesOf(download))['word/document.xml']!);
    expect(xmlSkeleton(xml)).toEqual(xmlSkeleton(strFromU8(unzipSync(docxSample().bytes)['word/document.xml']!)));
    expect(xmlTexts(xml).join(' ')).toContain(MARK);
  });

  it("source 'auto' detects each unit; api_key in the form is the client's key", async () => {
    const h = harness();
    const res = await h.request('/translate_file', { method: 'POST', body: documentForm(txtSample(), { source: 'auto', target: 'sw', api_key: 'not-a-key' }), headers: { 'cf-connecting-ip': uniqueIp() } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'Invalid API key' });
    expect(translateCalls(h)).toHaveLength(0);
    const ok = await h.request('/translate_file', { method: 'POST', body: documentForm(txtSample(), { source: 'auto', target: 'sw' }), headers: { 'cf-connecting-ip': uniqueIp() } });
    expect(ok.status).toBe(200);
    expect(translateCalls(h)[0]).not.toHaveProperty('source_language');
  });

  it('an unknown or malformed download name is 404 in LibreTranslate\'s shape', async () => {
    const h = harness();
    for (const path of ['/download_file/0123456789abcdef0123456789abcdef.report.docx', '/download_file/nope.txt']) {
      const res = await h.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-error-code')).toBe('DOCUMENT_NOT_FOUND');
      expect(await res.json()).toEqual({ error: expect.stringContaining('does not exist or has expired') });
    }
  });
});

describe('batches and budgets', () => {
  it('a long document goes to the origin in batches within one request\'s item limit', async () => {
    const h = harness();
    const paragraphs = Array.from({ length: 70 }, (_, i) => `Paragraph number ${i} of the long file.`);
    const { source } = freshSource();
    const res = await translateDocument(h, { name: 'long.txt', bytes: new TextEncoder().encode(paragraphs.join('\n\n')) }, { source_language: source, target_language: TARGET });
    expect(res.status).toBe(200);
    const calls = translateCalls(h);
    expect(calls.map((call) => call.text.length)).toEqual([64, 6]);
    expect(calls.flatMap((call) => call.text)).toEqual(paragraphs);
  });

  it("the whole document is charged to the client's cost budget before anything is translated", async () => {
    const h = harness({ vars: { COST_BUDGET_PER_MINUTE: '20' } });
    const res = await translateDocument(h, docxSample());
    expect(res.status).toBe(429);
    const error = await errorOf(res);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.details).toMatchObject({ budget: 'cost', never_admitted: true });
    expect(translateCalls(h)).toHaveLength(0);
  });
});
