/**
 * The HTML guarantee with the real tiny fixture model (models/tiny) behind the real service: whatever
 * it does with the tag masks, the output's element tree is the input's, and protected terms come back
 * verbatim. Greedy decoding, so a counterexample reproduces.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTranslateRequest } from '../../../../shared/contract/validate.js';
import { DEFAULT_LIMITS } from '../../../../shared/limits.js';
import { TranslationEngine } from '../../../../inference/engine/index.js';
import type { LanguageDetector } from '../../../../inference/lid/index.js';
import { BatchedEngine } from '../../../../inference/service/batched-engine.js';
import { SourceDetection, translateRequest } from '../../../../inference/service/translation-service.js';
import { BATCHING } from '../../service/scripted-model.js';
import { elementTree } from './service-support.js';

const FIXTURE = join(resolve(import.meta.dirname, '../../../..'), 'models/tiny');
const golden = JSON.parse(readFileSync(join(FIXTURE, 'golden.json'), 'utf8')) as { cases: Array<{ src_lang: string; inputs: string[] }> };
const ENGLISH = [...new Set(golden.cases.filter((c) => c.src_lang === 'eng_Latn').flatMap((c) => c.inputs))].filter((s) => !/\[\d+\]/.test(s));
const WORDS = [...new Set(ENGLISH.flatMap((s) => s.replace(/[.,!?]/g, ' ').split(/\s+/).filter(Boolean)))];

const noDetector: LanguageDetector = { id: 'none', detect: () => Promise.reject(new Error('source is given')), close: () => undefined };

// Corpus words wrapped in inline elements inside corpus sentences, blocks of those.
const word = fc.constantFrom(...WORDS);
const inline = fc.oneof(
  word,
  fc.tuple(fc.constantFrom('b', 'em', 'a href="/x"', 'span class="k"'), fc.array(word, { minLength: 1, maxLength: 3 })).map(([tag, ws]) => `<${tag}>${ws.join(' ')}</${tag.split(' ')[0]}>`),
  fc.constantFrom('<br>', '<code>npm test</code>', '<img alt="the child" src="c.png">'),
);
const sentence = fc.tuple(fc.constantFrom(...ENGLISH), fc.array(inline, { minLength: 1, maxLength: 3 }), fc.nat()).map(([s, extra, at]) => {
  const words = s.split(' ');
  words.splice(at % (words.length + 1), 0, ...extra);
  return words.join(' ');
});
const block = fc.tuple(fc.constantFrom('p', 'li', 'h2', 'td'), sentence).map(([tag, s]) => `<${tag}>${s}</${tag}>`);
const page = fc.array(block, { minLength: 1, maxLength: 3 }).map((bs) => `<div>\n  ${bs.join('\n  ')}\n</div>`);

describe('html through the real service (models/tiny)', () => {
  let engine: BatchedEngine;
  const detection = new SourceDetection(noDetector);
  beforeAll(async () => {
    engine = new BatchedEngine(await TranslationEngine.load(FIXTURE, { workers: 1, intraOpThreads: 1, limits: DEFAULT_LIMITS }), BATCHING);
  });
  afterAll(async () => {
    await engine?.close();
  });

  const run = async (text: string, options: object) => {
    const request = validateTranslateRequest({ text, source_language: 'eng_Latn', target_language: 'swh_Latn', options: { format: 'html', ...options } }, DEFAULT_LIMITS);
    const { items } = await translateRequest(request, engine, detection, { submit: {}, detectionPolicy: { minConfidence: 0.5 } });
    return items[0]!;
  };

  it('the element tree is kept whatever the model does with the tag masks', async () => {
    await fc.assert(
      fc.asyncProperty(page, async (html) => {
        const item = await run(html, {});
        expect(elementTree(item.translatedText, false, true)).toBe(elementTree(html, false, true));
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('protected terms come back verbatim, inside their element', async () => {
    const html = `<p>${ENGLISH[0]} <b>Sema Edge</b> ${ENGLISH[1] ?? ''}</p>`;
    const item = await run(html, { protected_terms: ['Sema Edge'] });
    expect(item.translatedText).toContain('<b>Sema Edge</b>');
    expect(elementTree(item.translatedText, false)).toBe(elementTree(html, false));
  });
});
