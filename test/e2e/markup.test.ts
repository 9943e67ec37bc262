/**
 * options.format "html", protected terms and per-request glossaries end to end: a real container on
 * the tiny fixture behind wrangler dev, both on 127.0.0.1.
 */
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_SECRET_HEADER } from '../../shared/contract/headers.js';
import { BatchTranslationResponseSchema, ErrorBodySchema, LtTranslateResponseSchema, TranslationResultSchema } from '../../shared/contract/index.js';
import { launchStack, post, type Service, type Stack } from './harness.js';

let container: Service;
let edge: Service;
let stack: Stack;

beforeAll(async () => {
  stack = await launchStack();
  ({ container, edge } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const translate = (body: unknown) => post(`${edge.url}/api/v1/translate`, body);
const en2sw = (text: string | string[], options: object) => ({ text, source_language: 'eng_Latn', target_language: 'swh_Latn', options });

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.DocumentFragment;
/** Elements and their attribute names, nesting and order, text left out. */
function tags(html: string): string {
  const shape = (node: Node): unknown => {
    const children = ('childNodes' in node ? node.childNodes : []).filter((c) => 'tagName' in c).map(shape);
    return 'tagName' in node ? [node.tagName, node.attrs.map((a) => a.name), children] : children;
  };
  return JSON.stringify(shape(parseFragment(html)));
}

async function ok(res: Response) {
  expect(res.status).toBe(200);
  return TranslationResultSchema.parse(await res.json());
}

async function refused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = ErrorBodySchema.parse(await res.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

describe('html through the edge', () => {
  const snippet =
    '<section>\n  <h2>the child eats the bread</h2>\n  <p title="the mother drinks the tea">the <b>child</b> eats the <a href="/bread">bread</a></p>\n' +
    '  <p translate="no">the child eats the bread</p>\n  <p>run <code>npm test</code></p>\n</section>';

  it('comes back with the same tags, its text translated, translate="no" and code untouched', async () => {
    const result = await ok(await translate(en2sw(snippet, { format: 'html' })));
    const out = result.translated_text;
    expect(tags(out)).toBe(tags(snippet));
    expect(out).toContain('<h2>mtoto anakula mkate</h2>');
    expect(out).toContain('title="mama anakunywa chai"');
    expect(out).toContain('<p translate="no">the child eats the bread</p>');
    expect(out).toContain('<code>npm test</code>');
    // the markup between blocks is the input's, byte for byte
    expect(out.startsWith('<section>\n  <h2>')).toBe(true);
    expect(out.endsWith('</code></p>\n</section>')).toBe(true);
    // characters: text nodes (the space before <code> is inside the sentence) and translated attributes only
    expect(result.character_count).toBe('the child eats the bread'.length * 2 + 'the mother drinks the tea'.length + 'run '.length);
  });

  it("LibreTranslate's format=html takes the same path", async () => {
    const res = await post(`${edge.url}/translate`, { q: '<p>the child eats the bread</p>', source: 'en', target: 'sw', format: 'html' });
    expect(res.status).toBe(200);
    expect(LtTranslateResponseSchema.parse(await res.json()).translatedText).toBe('<p>mtoto anakula mkate</p>');
  });

  it('malformed HTML is parsed as a browser parses it: 200, its tree kept', async () => {
    const malformed = '<p>the child <b>eats <i>the</b> bread</i><li>the mother drinks the tea';
    const result = await ok(await translate(en2sw(malformed, { format: 'html' })));
    expect(tags(result.translated_text)).toBe(tags(malformed));
  });
});

describe('terminology through the edge', () => {
  it('applies a glossary term and keeps a protected term, per item of a batch', async () => {
    const res = await translate(en2sw(['the child eats the bread', '<p>the child eats the bread at Sema Edge</p>'], { format: 'html', glossary: { bread: 'MKATEX' }, protected_terms: ['Sema Edge'] }));
    expect(res.status).toBe(200);
    const body = BatchTranslationResponseSchema.parse(await res.json());
    expect(body.results[0]!.translated_text).toContain('MKATEX');
    expect(body.results[1]!.translated_text).toContain('MKATEX');
    expect(body.results[1]!.translated_text).toContain('Sema Edge');
    expect(body.results[1]!.translated_text).toMatch(/^<p>.*<\/p>$/);
  });

  it('another glossary never gets the cached answer of the first', async () => {
    const first = await ok(await translate(en2sw('the father reads the book', { glossary: { book: 'KITABUA' } })));
    const second = await ok(await translate(en2sw('the father reads the book', { glossary: { book: 'KITABUB' } })));
    expect(first.translated_text).toContain('KITABUA');
    expect(second.translated_text).toContain('KITABUB');
    expect(second.translated_text).not.toContain('KITABUA');
    expect(second.cached).toBe(false);
  });
});

describe('bad input: a clear 4xx', () => {
  it('a 60 KB translated attribute: TEXT_TOO_LONG (its text counts)', async () => {
    await refused(await translate(en2sw(`<p title="${'a'.repeat(60_000)}">hi</p>`, { format: 'html' })), 413, 'TEXT_TOO_LONG');
  });

  it('nesting deeper than 512 within the body limit: VALIDATION_FAILED', async () => {
    const deep = '<div>'.repeat(2000) + 'the child eats the bread';
    const error = await refused(await translate(en2sw(deep, { format: 'html' })), 400, 'VALIDATION_FAILED');
    expect(error.message).toContain('512');
  });

  it('a glossary of 10k entries: refused (over the body limit), and over the entry bound: VALIDATION_FAILED', async () => {
    const tenK = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`t${i}`, 'x']));
    await refused(await translate(en2sw('hi there', { glossary: tenK })), 413, 'BODY_TOO_LARGE');
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`t${i}`, 'x']));
    await refused(await translate(en2sw('hi there', { glossary: many })), 400, 'VALIDATION_FAILED');
  });

  it('the container alone refuses an unresolved glossary_id', async () => {
    const res = await post(`${container.url}/api/v1/translate`, en2sw('hi there', { glossary_id: 'g1' }), { [EDGE_SECRET_HEADER]: stack.secret });
    const error = await refused(res, 400, 'VALIDATION_FAILED');
    expect(error.message).toContain('glossary_id');
  });
});
