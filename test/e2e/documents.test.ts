import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { W_NS, xmlSkeleton, xmlTexts } from '../support/document-samples.js';
import { launchStack, type Service, type Stack } from './harness.js';

/** Documents through the whole stack: wrangler dev's edge (local KV) and a real container on the tiny fixture model. */
let edge: Service;
let stack: Stack;

beforeAll(async () => {
  stack = await launchStack();
  ({ edge } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** The fixture model's known sentence and its translation (see test/e2e/stack.test.ts). */
const SENTENCE = 'the child eats the bread';
const TRANSLATION = 'mtoto anakula mkate';

const DOCUMENT_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
  `<w:document xmlns:w="${W_NS}"><w:body>` +
  `<w:p><w:r><w:t>${SENTENCE}</w:t></w:r></w:p>` +
  `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">the child </w:t></w:r><w:r><w:t>eats the bread</w:t></w:r></w:p>` +
  '</w:body></w:document>';

const docx = () =>
  zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'word/document.xml': strToU8(DOCUMENT_XML),
    'word/media/image1.png': [new Uint8Array([137, 80, 78, 71, 1, 2, 3]), { level: 0 }],
  });

function form(name: string, bytes: Uint8Array, fields: Record<string, string>): FormData {
  const body = new FormData();
  body.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name));
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return body;
}

const translateDocument = (name: string, bytes: Uint8Array) =>
  fetch(`${edge.url}/api/v1/translate-document`, { method: 'POST', body: form(name, bytes, { source_language: 'eng_Latn', target_language: 'swh_Latn' }) });

describe('documents through the edge and the real container', () => {
  it('docx: translated by the model paragraph by paragraph; the container opens with the same entries and element tree', async () => {
    const res = await translateDocument('report.docx', docx());
    expect(res.status).toBe(200);
    const before = unzipSync(docx());
    const after = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after['word/media/image1.png']).toEqual(before['word/media/image1.png']);
    const xml = strFromU8(after['word/document.xml']!);
    expect(xmlSkeleton(xml)).toEqual(xmlSkeleton(DOCUMENT_XML));
    expect(xmlTexts(xml)[0]).toBe(TRANSLATION);
    // The two-run paragraph went through the container's masks: both runs are still there, and nothing
    // of the run marks leaked into the text.
    expect(xml).toMatch(/<w:rPr><w:b\/><\/w:rPr><w:t xml:space="preserve">/);
    expect(xmlTexts(xml).join(' ')).not.toMatch(/<\/?\d+>|\[\d+\]/);
  });

  it('srt: the cue text is the model\'s translation; number and timing untouched', async () => {
    const srt = `1\n00:00:01,000 --> 00:00:02,000\n${SENTENCE}\n`;
    const res = await translateDocument('film.srt', strToU8(srt));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`1\n00:00:01,000 --> 00:00:02,000\n${TRANSLATION}\n`);
  });

  it('LibreTranslate: /translate_file stores the result in KV, /download_file serves it', async () => {
    const res = await fetch(`${edge.url}/translate_file`, { method: 'POST', body: form('note.txt', strToU8(`${SENTENCE}\n`), { source: 'en', target: 'sw' }) });
    expect(res.status).toBe(200);
    const { translatedFileUrl } = (await res.json()) as { translatedFileUrl: string };
    expect(translatedFileUrl).toMatch(/\/download_file\/[0-9a-f]{32}\.note\.txt$/);
    const download = await fetch(translatedFileUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('filename="note.txt"');
    expect(await download.text()).toBe(`${TRANSLATION}\n`);
  });

  it('a bad file is a LibreTranslate-shaped 4xx', async () => {
    const res = await fetch(`${edge.url}/translate_file`, { method: 'POST', body: form('report.docx', strToU8('not a zip'), { source: 'en', target: 'sw' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'the file is not a valid zip archive' });
  });
});
