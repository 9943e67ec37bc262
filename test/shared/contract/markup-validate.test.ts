/**
 * The markup and terminology options in the shared validation: characters counted as the model sees
 * them, the bounds and their codes, LibreTranslate's format=html, and the container's refusal of an
 * unresolved glossary_id.
 */
import { describe, expect, it } from 'vitest';
import { TERMINOLOGY_LIMITS } from '../../../shared/contract/terminology.js';
import { validateLtTranslateRequest, validateOriginTranslateRequest, validateTranslateRequest } from '../../../shared/contract/validate.js';
import { estimateCost } from '../../../shared/cost.js';
import { AppError } from '../../../shared/errors.js';
import { DEFAULT_LIMITS } from '../../../shared/limits.js';

const limits = DEFAULT_LIMITS;
const body = (text: string | string[], options: object = {}) => ({ text, target_language: 'swh_Latn', source_language: 'eng_Latn', options });

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('characters of html items', () => {
  it('counts text nodes and translated attributes, not markup nor never-translated content', () => {
    const html = '<p class="intro" title="Hi">Hello <b>world</b></p><code>not counted</code><!-- nor this -->';
    const request = validateTranslateRequest(body(html, { format: 'html' }), limits);
    // "Hello world" (11) + "Hi" (2)
    expect(request.characterCount).toBe(13);
    expect(request.itemCharacters).toEqual([13]);
    expect(request.modelTexts).toEqual(['Hello world', 'Hi']);
    expect(request.options.format).toBe('html');
  });

  it('plain text counts the text itself, markup included', () => {
    const request = validateTranslateRequest(body(['<b>hi</b>', 'yo']), limits);
    expect(request.itemCharacters).toEqual([9, 2]);
    expect(request.characterCount).toBe(11);
    expect(request.options.format).toBe('text');
  });

  it('a document mostly markup passes MAX_CHARACTERS; its text over the limit is TEXT_TOO_LONG', () => {
    const markup = `<div data-x="${'m'.repeat(20_000)}"><p>Short text</p></div>`;
    expect(validateTranslateRequest(body(markup, { format: 'html' }), limits).characterCount).toBe(10);
    const longTitle = `<p title="${'a'.repeat(limits.MAX_CHARACTERS)}">x</p>`;
    expect(refusal(() => validateTranslateRequest(body(longTitle, { format: 'html' }), limits))).toMatchObject({ code: 'TEXT_TOO_LONG', status: 413 });
  });

  it('nesting deeper than the limit is VALIDATION_FAILED, naming the item', () => {
    const deep = '<span>'.repeat(600) + 'x';
    const error = refusal(() => validateTranslateRequest(body(['<p>ok</p>', deep], { format: 'html' }), limits));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(error.message).toContain('text[1]');
  });

  it('the cost prices what the model sees', () => {
    const html = `<div style="${'x'.repeat(3000)}"><p>Hello world</p></div>`;
    const asHtml = estimateCost(validateTranslateRequest(body(html, { format: 'html' }), limits));
    const asText = estimateCost(validateTranslateRequest(body('Hello world'), limits));
    expect(asHtml).toBe(asText);
  });
});

describe('terminology options', () => {
  it('refuses a __proto__ glossary term (JSON keeps it, the schema would drop it silently)', () => {
    const parsed = JSON.parse('{"text": "cart", "target_language": "sw", "options": {"glossary": {"__proto__": "x", "cart": "kikapu"}}}') as unknown;
    const error = refusal(() => validateTranslateRequest(parsed, limits));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('__proto__');
  });

  it('accepts protected terms and a glossary; empty ones are dropped', () => {
    const request = validateTranslateRequest(body('hi', { protected_terms: ['Sema'], glossary: { 'sign in': 'ingia' } }), limits);
    expect(request.options).toMatchObject({ protected_terms: ['Sema'], glossary: { 'sign in': 'ingia' } });
    const empty = validateTranslateRequest(body('hi', { protected_terms: [], glossary: {} }), limits);
    expect(empty.options).not.toHaveProperty('protected_terms');
    expect(empty.options).not.toHaveProperty('glossary');
  });

  it('refuses too many glossary entries, too long or blank terms, and a source term twice across case', () => {
    const many = Object.fromEntries(Array.from({ length: TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES + 1 }, (_, i) => [`t${i}`, 'x']));
    expect(refusal(() => validateTranslateRequest(body('hi', { glossary: many }), limits))).toMatchObject({ code: 'VALIDATION_FAILED' });
    const long = 'a'.repeat(TERMINOLOGY_LIMITS.MAX_TERM_CHARACTERS + 1);
    expect(refusal(() => validateTranslateRequest(body('hi', { protected_terms: [long] }), limits))).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(refusal(() => validateTranslateRequest(body('hi', { protected_terms: ['  '] }), limits)).message).toContain('protected_terms[0]');
    expect(refusal(() => validateTranslateRequest(body('hi', { glossary: { Cat: 'paka', cat: 'paka' } }), limits)).message).toContain('twice');
    const tooManyTerms = Array.from({ length: TERMINOLOGY_LIMITS.MAX_PROTECTED_TERMS + 1 }, (_, i) => `t${i}`);
    expect(refusal(() => validateTranslateRequest(body('hi', { protected_terms: tooManyTerms }), limits))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('the edge keeps glossary_id for resolving; the container refuses it with VALIDATION_FAILED', () => {
    expect(validateTranslateRequest(body('hi', { glossary_id: 'g1' }), limits).options.glossary_id).toBe('g1');
    const error = refusal(() => validateOriginTranslateRequest(body('hi', { glossary_id: 'g1' }), limits));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(error.message).toContain('glossary_id');
    expect(validateOriginTranslateRequest(body('hi', { glossary: { hi: 'jambo' } }), limits).options.glossary).toEqual({ hi: 'jambo' });
  });
});

describe("LibreTranslate's format", () => {
  it("format=html maps to options.format 'html'; text stays text", () => {
    const html = validateLtTranslateRequest({ q: '<p>Hello</p>', source: 'en', target: 'sw', format: 'html' }, limits);
    expect(html.options.format).toBe('html');
    expect(html.characterCount).toBe(5);
    expect(validateLtTranslateRequest({ q: '<p>Hello</p>', source: 'en', target: 'sw', format: 'text' }, limits).options.format).toBe('text');
  });
});
