/**
 * Property, through the real service on the tiny fixture model (translateRequest → BatchedEngine →
 * the ONNX engine on models/tiny): whatever the model does with the masks, the protected spans of
 * the output are the input's — the same multiset, byte for byte — for text mixing the fixture
 * corpus' sentences and words with every placeholder kind (text/protect/spans.ts).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedTranslateRequest } from '../../../shared/contract/validate.js';
import { DEFAULT_LIMITS } from '../../../shared/limits.js';
import { TranslationEngine } from '../../../inference/engine/index.js';
import type { LanguageDetector } from '../../../inference/lid/index.js';
import { BatchedEngine } from '../../../inference/service/batched-engine.js';
import { SourceDetection, translateRequest } from '../../../inference/service/translation-service.js';
import { findSpans } from '../../../inference/text/protect/spans.js';
import { BATCHING } from './scripted-model.js';

const FIXTURE = join(resolve(import.meta.dirname, '../../..'), 'models/tiny');

interface GoldenCase {
  src_lang: string;
  tgt_lang: string;
  inputs: string[];
  reference: (string | null)[];
}
const golden = JSON.parse(readFileSync(join(FIXTURE, 'golden.json'), 'utf8')) as { cases: GoldenCase[] };

/** The corpus sentences golden.json holds, per language (sources and reference translations). */
function corpusSentences(): Map<string, string[]> {
  const byLang = new Map<string, Set<string>>();
  const add = (lang: string, text: string | null) => {
    if (text) byLang.set(lang, (byLang.get(lang) ?? new Set()).add(text));
  };
  for (const c of golden.cases) {
    c.inputs.forEach((input) => add(c.src_lang, input));
    c.reference.forEach((ref) => add(c.tgt_lang, ref));
  }
  return new Map([...byLang].map(([lang, set]) => [lang, [...set]]));
}
const SENTENCES = corpusSentences();
const DIRECTIONS: [string, string][] = [
  ['eng_Latn', 'swh_Latn'],
  ['swh_Latn', 'eng_Latn'],
  ['eng_Latn', 'fra_Latn'],
  ['fra_Latn', 'eng_Latn'],
];

const identifier = fc.constantFrom('name', 'user', 'count', 'first_name', 'n');
const index = fc.integer({ min: 0, max: 12 });

/** One placeholder of each kind spans.ts protects (tags with corpus words between them). */
function placeholder(words: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    identifier.map((n) => `{${n}}`),
    index.map((i) => `{${i}}`),
    identifier.map((n) => `{{${n}}}`),
    fc.constantFrom('%s', '%d', '%%', '%.2f', '%@'),
    index.map((i) => `%${i + 1}$s`),
    identifier.map((n) => `%(${n})s`),
    identifier.map((n) => `\${${n}}`),
    fc.tuple(index, words).map(([i, w]) => `<${i}>${w}</${i}>`),
    fc.constantFrom('<b>', '</b>', '<br/>'),
    fc.constantFrom('https://example.org/a?b=1&c=2', 'www.example.org/docs', 'http://x.y/z_(w)'),
    fc.constantFrom('team@example.org', 'amina.k+news@mail.example.co.ke'),
    fc.constantFrom('@amina', '@jean_luc'),
    fc.constantFrom('#habari', '#MondayMotivation'),
    fc.constantFrom('🎉', '👩‍👩‍👧‍👦', '🇰🇪', '👍🏽', '1️⃣'),
    fc.constantFrom('42', '3.14', '1,000', '2024', '0'),
    index.map((i) => `[${i}]`), // user text that looks like a mask
  );
}

/**
 * An ICU plural argument. Its options have two words or more: a one-word option ("{item}") is
 * also what findSpans reads as a `{name}` placeholder in the raw text, yet as ICU it is a message
 * the model translates, so the raw-text span comparison would not apply to it.
 */
function icuPlural(words: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const message = fc.tuple(words, words, fc.option(identifier, { nil: undefined })).map(([a, b, n]) => `# ${a} ${b}${n ? ` {${n}}` : ''}`);
  return fc
    .tuple(identifier, message, message, fc.boolean())
    .map(([arg, one, other, zero]) => `{${arg}, plural,${zero ? ' =0 {no more messages}' : ''} one {${one}} other {${other}}}`);
}

const SEPARATORS = fc.constantFrom(' ', ' ', ', ', '. ', '! ', '\n', ' - ', ': ');

/** A source text in `lang` with a span at least: corpus sentences and words, placeholders anywhere, at most one ICU plural. */
function sourceText(lang: string): fc.Arbitrary<string> {
  const sentences = SENTENCES.get(lang)!;
  const words = fc.constantFrom(...new Set(sentences.flatMap((s) => s.replace(/\[\d+\]|[.,!?]/g, ' ').split(/\s+/).filter(Boolean))));
  const holder = placeholder(words);
  // Corpus sentences with their masks replaced by placeholders ("[0] eats the bread" → "{name} eats the bread").
  const sentence = fc
    .tuple(fc.constantFrom(...sentences), fc.array(holder, { minLength: 2, maxLength: 2 }))
    .map(([s, [a, b]]) => s.replace(/\[(\d+)\]/g, (_, k: string) => (Number(k) % 2 === 0 ? a! : b!)));
  const part = fc.oneof({ arbitrary: sentence, weight: 3 }, { arbitrary: holder, weight: 3 }, { arbitrary: words, weight: 2 });
  return fc
    .tuple(fc.array(fc.tuple(part, SEPARATORS), { minLength: 1, maxLength: 7 }), fc.option(fc.tuple(icuPlural(words), fc.nat()), { nil: undefined }))
    .map(([parts, icu]) => {
      const pieces = parts.map(([p, sep]) => p + sep);
      if (icu) pieces.splice(icu[1] % (pieces.length + 1), 0, `${icu[0]} `);
      return pieces.join('').trim();
    })
    .filter((text) => /\p{L}/u.test(text) && findSpans(text).length > 0);
}

/** The multiset of span texts, as a sorted list (a span's kind is not part of the text users see). */
const spanTexts = (text: string) => findSpans(text).map((s) => s.text).sort();

const noDetector: LanguageDetector = {
  id: 'none',
  detect: () => Promise.reject(new Error('every request gives source_language')),
  close: () => undefined,
};

describe('protected spans through the real service (models/tiny)', () => {
  let engine: BatchedEngine;
  const detection = new SourceDetection(noDetector);

  beforeAll(async () => {
    const model = await TranslationEngine.load(FIXTURE, { workers: 1, intraOpThreads: 1, limits: DEFAULT_LIMITS });
    engine = new BatchedEngine(model, BATCHING);
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('the output holds exactly the input spans, byte-identical, whatever the model does with the masks', async () => {
    const cases = fc.constantFrom(...DIRECTIONS).chain(([src, tgt]) => sourceText(src).map((text) => ({ text, src, tgt })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ text, src, tgt }) => {
        const request: NormalizedTranslateRequest = {
          texts: [text],
          batch: false,
          target: tgt,
          source: src,
          options: { beam_size: 1, placeholders: 'auto', alternatives: 0, format: 'text' },
          characterCount: text.length,
        };
        const { items } = await translateRequest(request, engine, detection, { submit: {}, detectionPolicy: { minConfidence: 0.5 } });
        const output = items[0]!.translatedText;
        expect(spanTexts(output)).toEqual(spanTexts(text));
      }),
      {
        numRuns: 40,
        // Found by this property (greedy decoding, so they reproduce): both go through the
        // placeholder fallback. 1: the piece after "[0]" is ": The farmers …"; its translation
        // loses the ": " and is joined straight onto the mask, giving "@aminaWakulima …".
        // 2: in ICU text the "$" of "${n}" stays outside the argument's mask and the model drops it.
        // 3: the model writes a stray "[" before a kept mask, which would restore as "[ 42".
        examples: [
          [{ text: 'thank you thank you Welcome, 42!, the child eats the bread 42', src: 'eng_Latn', tgt: 'swh_Latn' }],
          [{ text: '@amina: The farmers sell the fish in the morning.', src: 'eng_Latn', tgt: 'swh_Latn' }],
          [{ text: 'the child sees ${n}. {count, plural, one {# new message} other {# new messages}}', src: 'eng_Latn', tgt: 'swh_Latn' }],
        ],
      },
    );
  }, 120_000);
});
