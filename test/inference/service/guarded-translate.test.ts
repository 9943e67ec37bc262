/**
 * The omission guard over a scripted model: which outputs are suspicious, how they are retried
 * (split finer, in one second call), what is kept, and which warnings stay.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { BatchedEngine } from '../../../inference/service/batched-engine.js';
import { translateGuarded } from '../../../inference/service/guarded-translate.js';
import { finerPlan } from '../../../inference/service/quality/finer.js';
import { reassemble } from '../../../inference/text/index.js';
import { BATCHING, ScriptedModel, type Script } from './scripted-model.js';

const DICT: Record<string, string> = {
  'the child eats the bread;': 'mtoto anakula mkate;',
  'the teacher reads the book': 'mwalimu anasoma kitabu',
  'the child eats the bread': 'mtoto anakula mkate',
  'the teacher reads the book every day': 'mwalimu anasoma kitabu kila siku',
  'the mother drinks the tea': 'mama anakunywa chai',
};

/** Knows DICT; a text it does not know comes out as its first two words (an omission). */
const dictionary: Script = (source) => ({ text: DICT[source] ?? source.split(' ').slice(0, 2).join(' ') });

function setup(script: Script) {
  const model = new ScriptedModel(script);
  return { model, engine: new BatchedEngine(model, BATCHING) };
}

const en = (text: string) => ({ text, src: 'eng_Latn' });

describe('finerPlan', () => {
  const options = { lang: 'eng_Latn', countTokens: (t: string) => t.split(/\s+/u).filter(Boolean).length + 2 };

  it('cuts at every clause boundary first, keeping the whitespace between clauses', () => {
    const sentence = 'the child eats the bread;  the teacher reads the book, the mother drinks the tea';
    const plan = finerPlan(sentence, options)!;
    // the clause marks stay in the layout: a model translating a clause alone tends to drop them
    expect(plan.sources).toEqual(['the child eats the bread', 'the teacher reads the book', 'the mother drinks the tea']);
    expect(reassemble(plan, plan.sources)).toBe(sentence);
    expect(reassemble(plan, ['mtoto anakula mkate', 'mwalimu anasoma kitabu', 'mama anakunywa chai'])).toBe(
      'mtoto anakula mkate;  mwalimu anasoma kitabu, mama anakunywa chai',
    );
  });

  it('without clause punctuation, cuts into bounded chunks of about half the tokens', () => {
    const sentence = 'the child eats the bread and the teacher reads the book';
    const plan = finerPlan(sentence, options)!;
    expect(plan.sources.length).toBeGreaterThanOrEqual(2);
    for (const piece of plan.sources) expect(options.countTokens(piece) - 2).toBeLessThanOrEqual(Math.ceil(11 / 2));
    expect(reassemble(plan, plan.sources)).toBe(sentence);
  });

  it('gives up on a text that cannot be cut into two pieces', () => {
    expect(finerPlan('hello', options)).toBeNull();
  });
});

describe('translateGuarded', () => {
  it('sends clean outputs once, with no warnings', async () => {
    const { model, engine } = setup(dictionary);
    const r = await translateGuarded(engine, [en('the child eats the bread'), en('the mother drinks the tea')], 'swh_Latn', {}, {});
    expect(r.sentences.map((s) => [s.text, s.warnings])).toEqual([
      ['mtoto anakula mkate', []],
      ['mama anakunywa chai', []],
    ]);
    expect(model.runs).toHaveLength(1);
  });

  it('retries an implausibly short output split at its clauses, in one second call, and keeps the complete one', async () => {
    const { model, engine } = setup((source) => (source === 'the child eats the bread; the teacher reads the book' ? { text: 'mtoto anakula mkate' } : dictionary(source, {} as never, {} as never)));
    const r = await translateGuarded(engine, [en('the child eats the bread; the teacher reads the book'), en('the mother drinks the tea')], 'swh_Latn', {}, {});
    expect(r.sentences[0]!.text).toBe('mtoto anakula mkate; mwalimu anasoma kitabu');
    expect(r.sentences[0]!.warnings).toEqual([]);
    expect(model.runs.map((run) => run.sources)).toEqual([
      ['the child eats the bread; the teacher reads the book', 'the mother drinks the tea'],
      ['the child eats the bread', 'the teacher reads the book'],
    ]);
    // the score's input is what the returned text was generated from: the two pieces
    expect(r.sentences[0]!.tokens).toBe(4 + 4);
    expect(r.sentences[0]!.logprob).toBeCloseTo(-0.8, 9);
    expect(r.generatedTokens).toBe(4 + 4 + 4 + 4);
  });

  it('says possible_omission when the retry is still too short', async () => {
    const { engine } = setup((source) => ({ text: source.split(' ')[1]! }));
    const r = await translateGuarded(engine, [en('the teacher reads the book every day and the child eats the bread')], 'swh_Latn', {}, {});
    expect(r.sentences[0]!.warnings).toEqual(['possible_omission']);
  });

  it('retries an output cut at the server\'s token cap; the finer pieces finish', async () => {
    const { model, engine } = setup((source) =>
      source === 'the child eats the bread; the teacher reads the book' ? { text: 'mtoto anakula mkate mtoto anakula', finished: false } : dictionary(source, {} as never, {} as never),
    );
    const r = await translateGuarded(engine, [en('the child eats the bread; the teacher reads the book')], 'swh_Latn', {}, {});
    expect(model.runs).toHaveLength(2);
    expect(r.sentences[0]).toMatchObject({ text: 'mtoto anakula mkate; mwalimu anasoma kitabu', warnings: [] });
  });

  it('does not retry an output the request\'s own max_new_tokens cut: it says truncated', async () => {
    const { model, engine } = setup((source, _s, row) => (row.maxNewTokens < 10 ? { text: 'mtoto anakula', finished: false } : dictionary(source, {} as never, {} as never)));
    const r = await translateGuarded(engine, [en('the child eats the bread; the teacher reads the book')], 'swh_Latn', { maxNewTokens: 3 }, {});
    expect(model.runs).toHaveLength(1);
    expect(r.sentences[0]!.text).toBe('mtoto anakula');
    expect(r.sentences[0]!.warnings).toEqual(['possible_omission', 'truncated']);
  });

  it('retries a sentence the repetition guard stopped; flags it when the pieces repeat too', async () => {
    const looping: Script = (source) => ({ text: 'mtoto mtoto mtoto mtoto mtoto mtoto mtoto mtoto mtoto mtoto', repetition: true, tokens: source.length });
    const { model, engine } = setup(looping);
    const r = await translateGuarded(engine, [en('the child eats the bread, the teacher reads the book')], 'swh_Latn', {}, {});
    expect(model.runs).toHaveLength(2);
    expect(r.sentences[0]!.warnings).toEqual(['repetition']);

    const healed = setup((source) => (source.length > 30 ? looping(source, {} as never, {} as never) : dictionary(source, {} as never, {} as never)));
    const ok = await translateGuarded(healed.engine, [en('the child eats the bread; the teacher reads the book')], 'swh_Latn', {}, {});
    expect(ok.sentences[0]).toMatchObject({ text: 'mtoto anakula mkate; mwalimu anasoma kitabu', warnings: [] });
  });

  it('keeps the first translation when the retry is worse, and a sentence that cannot be cut keeps its warning', async () => {
    // whole: one warning (short); pieces: each cut at the cap (truncated) and short
    const { engine } = setup((source) => (source.includes(';') && source.length > 30 ? { text: 'mtoto anakula mkate' } : { text: 'x', finished: false }));
    const r = await translateGuarded(engine, [en('the child eats the bread; the teacher reads the book')], 'swh_Latn', {}, {});
    expect(r.sentences[0]).toMatchObject({ text: 'mtoto anakula mkate', warnings: ['possible_omission'] });

    const single = setup(() => ({ text: '' }));
    const one = await translateGuarded(single.engine, [en('hello')], 'swh_Latn', {}, {});
    expect(one.sentences[0]!.warnings).toEqual(['possible_omission']);
  });

  it('asks the retry for no alternatives, and keeps the n-best only of sentences translated whole', async () => {
    const { model, engine } = setup((source) =>
      source === 'the child eats the bread; the teacher reads the book'
        ? { text: 'mtoto anakula mkate', alternatives: [{ text: 'mtoto anakula', score: -1 }] }
        : { ...dictionary(source, {} as never, {} as never), alternatives: [{ text: 'other', score: -2 }] },
    );
    const r = await translateGuarded(engine, [en('the child eats the bread; the teacher reads the book'), en('the mother drinks the tea')], 'swh_Latn', { beamSize: 2, alternatives: 1 }, {});
    expect(model.runs.map((run) => run.settings.alternatives)).toEqual([1, 0]);
    expect(r.sentences[0]!.alternatives).toEqual([]);
    expect(r.sentences[1]!.alternatives).toEqual([{ text: 'other', score: -2 }]);
  });

  it('when the queue refuses the retry, the first translation stands with its warning; other errors fail the call', async () => {
    const { engine } = setup((source) => (source === 'the child eats the bread; the teacher reads the book' ? { text: 'mtoto anakula mkate' } : dictionary(source, {} as never, {} as never)));
    const failing = (code: 'OVERLOADED' | 'DEADLINE_EXCEEDED') => {
      let calls = 0;
      return {
        tokenCount: (text: string) => engine.tokenCount(text),
        translate: (...args: Parameters<typeof engine.translate>) => (calls++ === 0 ? engine.translate(...args) : Promise.reject(new AppError(code, 'no'))),
      };
    };
    const sentence = [en('the child eats the bread; the teacher reads the book')];
    const r = await translateGuarded(failing('OVERLOADED'), sentence, 'swh_Latn', {}, {});
    expect(r.sentences[0]).toMatchObject({ text: 'mtoto anakula mkate', warnings: ['possible_omission'] });
    await expect(translateGuarded(failing('DEADLINE_EXCEEDED'), sentence, 'swh_Latn', {}, {})).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });
});
