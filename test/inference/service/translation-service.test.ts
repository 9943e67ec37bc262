/**
 * translateRequest over a scripted model and a scripted detector: the detection policy per item,
 * the same-language shortcut, the per-result score, whole-item alternatives and the beams they
 * need, and placeholders (masked, checked, fallback) end to end.
 */
import { describe, expect, it } from 'vitest';
import type { NormalizedTranslateRequest } from '../../../shared/contract/validate.js';
import type { LanguageDetector, LidCandidate } from '../../../inference/lid/index.js';
import { BatchedEngine } from '../../../inference/service/batched-engine.js';
import { SourceDetection, generationRequest, translateRequest } from '../../../inference/service/translation-service.js';
import { BATCHING, ScriptedModel, type Script } from './scripted-model.js';

class ScriptedDetector implements LanguageDetector {
  readonly id = 'scripted';
  constructor(private readonly answers: Record<string, LidCandidate[]>) {}
  detect(text: string, topK: number) {
    return Promise.resolve({ candidates: (this.answers[text] ?? []).slice(0, topK) });
  }
  close(): void {}
}

const POLICY = { minConfidence: 0.5 };

type RequestExtras = { source?: string; options?: Partial<NormalizedTranslateRequest['options']> };

function request(texts: string[], target: string, extra: RequestExtras = {}): NormalizedTranslateRequest {
  return {
    texts,
    batch: texts.length > 1,
    target,
    source: extra.source,
    options: { beam_size: 1, placeholders: 'auto', alternatives: 0, format: 'text', ...extra.options },
    characterCount: texts.join('').length,
  };
}

function setup(script: Script, detections: Record<string, LidCandidate[]> = {}) {
  const model = new ScriptedModel(script);
  const engine = new BatchedEngine(model, BATCHING);
  const detection = new SourceDetection(new ScriptedDetector(detections));
  const run = (req: NormalizedTranslateRequest, policy = POLICY) => translateRequest(req, engine, detection, { submit: {}, detectionPolicy: policy });
  return { model, run };
}

const upper: Script = (source) => ({ text: source.toUpperCase() });
const en = (confidence: number): LidCandidate[] => [{ label: 'en', language: 'eng_Latn', confidence }];

describe('source detection per item', () => {
  it('an unreliable detection is translated from the best guess and says so', async () => {
    const { model, run } = setup(upper, { hello: en(0.24) });
    const { items } = await run(request(['hello'], 'swh_Latn'));
    expect(items[0]).toMatchObject({ translatedText: 'HELLO', source: 'eng_Latn', detected: true, reliable: false, confidence: 0.24 });
    expect(model.runs).toHaveLength(1);
  });

  it('returns a text in the target language as it is only when the detection is reliable', async () => {
    const { model, run } = setup(upper, { 'good night': en(0.18), 'the child eats the bread': en(0.94) });
    const { items } = await run(request(['the child eats the bread', 'good night'], 'eng_Latn'));
    expect(items[0]).toMatchObject({ translatedText: 'the child eats the bread', reliable: true, score: null, warnings: [], alternatives: [] });
    // the unreliable one may well not be English: it goes to the model
    expect(items[1]).toMatchObject({ translatedText: 'GOOD NIGHT', reliable: false });
    expect(items[1]!.score).not.toBeNull();
    expect(model.runs.map((r) => r.sources)).toEqual([['good night']]);
  });

  it('judges by the policy it is given (LID_MIN_CONFIDENCE)', async () => {
    const { run } = setup(upper, { hello: en(0.9) });
    expect((await run(request(['hello'], 'swh_Latn'), { minConfidence: 0.5 })).items[0]!.reliable).toBe(true);
    expect((await run(request(['hello'], 'swh_Latn'), { minConfidence: 0.95 })).items[0]!.reliable).toBe(false);
  });

  it('a top label without an NLLB-200 language: translated from the first that has one, unreliable', async () => {
    const { run } = setup(upper, { salve: [{ label: 'la', language: null, confidence: 0.9 }, { label: 'it', language: 'ita_Latn', confidence: 0.05 }] });
    const { items } = await run(request(['salve'], 'eng_Latn'));
    expect(items[0]).toMatchObject({ source: 'ita_Latn', detected: true, reliable: false, confidence: 0.05 });
  });

  it('nothing to guess from: UNSUPPORTED_LANGUAGE', async () => {
    const { run } = setup(upper);
    await expect(run(request(['12345'], 'swh_Latn'))).rejects.toMatchObject({ code: 'UNSUPPORTED_LANGUAGE' });
  });

  it('a given source: not detected, reliable null', async () => {
    const { run } = setup(upper);
    const { items } = await run(request(['hello'], 'swh_Latn', { source: 'eng_Latn' }));
    expect(items[0]).toMatchObject({ detected: false, confidence: null, reliable: null });
  });
});

describe('score', () => {
  it('is exp of the token-weighted mean log-prob over the item\'s sentences', async () => {
    const { run } = setup((source) => (source.startsWith('The child') ? { text: 'Mtoto.', logprob: -1, tokens: 2 } : { text: 'Mwalimu.', logprob: -3, tokens: 4 }));
    const { items } = await run(request(['The child eats. The teacher reads.'], 'swh_Latn', { source: 'eng_Latn' }));
    expect(items[0]!.translatedText).toBe('Mtoto. Mwalimu.');
    expect(items[0]!.score).toBeCloseTo(Math.exp(-4 / 6), 12);
  });

  it('is higher for a confident translation than an unsure one, and within [0, 1]', async () => {
    const { run } = setup((source) => ({ text: source, logprob: source === 'sure' ? -0.01 : -5, tokens: 2 }));
    const { items } = await run(request(['sure', 'unsure'], 'swh_Latn', { source: 'eng_Latn' }));
    expect(items[0]!.score!).toBeGreaterThan(items[1]!.score!);
    for (const item of items) expect(item.score).toBeGreaterThanOrEqual(0);
    for (const item of items) expect(item.score).toBeLessThanOrEqual(1);
  });
});

describe('alternatives', () => {
  const nbest: Script = (source) => ({
    text: `${source} (1)`,
    score: -0.1,
    alternatives: [
      { text: `${source} (1)`, score: -0.2 },
      { text: `${source} (2)`, score: -0.3 },
      { text: `${source} (3)`, score: -0.6 },
      { text: `${source} (4)`, score: -0.9 },
    ],
  });

  it('runs max(beam_size, n + 1) beams and returns up to n distinct texts other than the translation', async () => {
    const { model, run } = setup(nbest);
    const { items } = await run(request(['hello'], 'swh_Latn', { source: 'eng_Latn', options: { alternatives: 3 } }));
    expect(model.runs[0]!.settings).toMatchObject({ beamSize: 4, alternatives: 3 });
    expect(items[0]!.translatedText).toBe('hello (1)');
    // the worker returns the 3 hypotheses after the chosen one; the one that decodes to the chosen text is no alternative
    expect(items[0]!.alternatives).toEqual(['hello (2)', 'hello (3)']);
    expect(generationRequest({ beam_size: 4, placeholders: 'auto', alternatives: 1, format: 'text' })).toMatchObject({ beamSize: 4, alternatives: 1 });
    expect(generationRequest({ beam_size: 2, placeholders: 'auto', alternatives: 0, format: 'text' })).toMatchObject({ beamSize: 2, alternatives: 0 });
  });

  it('are [] unless asked', async () => {
    const { run } = setup(nbest);
    const { items } = await run(request(['hello'], 'swh_Latn', { source: 'eng_Latn' }));
    expect(items[0]!.alternatives).toEqual([]);
  });

  it('for several sentences: whole-item variants, the layout kept', async () => {
    const { run } = setup(nbest);
    const { items } = await run(request(['One.\nTwo.'], 'swh_Latn', { source: 'eng_Latn', options: { alternatives: 2 } }));
    expect(items[0]!.translatedText).toBe('One. (1)\nTwo. (1)');
    // cheapest swaps first: each sentence's second-best costs 0.2; on a tie the first sentence's comes first
    expect(items[0]!.alternatives).toEqual(['One. (2)\nTwo. (1)', 'One. (1)\nTwo. (2)']);
  });
});

describe('every sentence of a lower-case text', () => {
  it('is sent to the model and comes back in place', async () => {
    const { model, run } = setup(upper);
    const { items } = await run(request(['the child eats the bread. the teacher reads the book.'], 'swh_Latn', { source: 'eng_Latn' }));
    expect(model.runs[0]!.sources).toEqual(['the child eats the bread.', 'the teacher reads the book.']);
    expect(items[0]!.translatedText).toBe('THE CHILD EATS THE BREAD. THE TEACHER READS THE BOOK.');
  });
});

describe('placeholders', () => {
  const text = 'Hello {name}, the child eats the bread at https://example.org/menu today';

  it("'auto' masks the spans, and a model that keeps the masks gets them back byte-identical", async () => {
    const { model, run } = setup((source) => ({ text: source.replace('the child eats the bread', 'mtoto anakula mkate') }));
    const { items } = await run(request([text], 'swh_Latn', { source: 'eng_Latn' }));
    expect(model.runs[0]!.sources[0]).not.toContain('{name}');
    expect(model.runs[0]!.sources[0]).toMatch(/\[0\].*\[1\]/);
    expect(items[0]!.translatedText).toBe('Hello {name}, mtoto anakula mkate at https://example.org/menu today');
    expect(items[0]!.warnings).toEqual([]);
  });

  it('a sentence whose masks the model breaks is translated between them, with placeholder_fallback', async () => {
    // drops every mask it sees; knows the pieces between the masks
    const { model, run } = setup((source) => ({ text: source.replace(/\[\d+\]/g, '').replace('the child eats the bread at', 'mtoto anakula mkate kwa') }));
    const { items } = await run(request([text], 'swh_Latn', { source: 'eng_Latn' }));
    expect(model.runs).toHaveLength(2);
    const out = items[0]!.translatedText;
    expect(out.split('{name}')).toHaveLength(2);
    expect(out.split('https://example.org/menu')).toHaveLength(2);
    expect(out).toContain('mtoto anakula mkate kwa');
    expect(items[0]!.warnings).toEqual(['placeholder_fallback']);
  });

  it("'none' sends the text as it is", async () => {
    const { model, run } = setup(upper);
    const { items } = await run(request([text], 'swh_Latn', { source: 'eng_Latn', options: { placeholders: 'none' } }));
    expect(model.runs[0]!.sources).toEqual([text]);
    expect(items[0]!.translatedText).toBe(text.toUpperCase());
  });
});
