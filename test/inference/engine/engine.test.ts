/**
 * The engine end to end on the committed fixture (models/tiny): golden outputs of the torch
 * reference (greedy and beam, token for token), KV cache = no cache, batch = one by one, mixed
 * directions in one job, and meaningful translations of the fixture's simple sentences.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../shared/limits.js';
import { TranslationEngine, type SearchOptions } from '../../../inference/engine/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURE = join(ROOT, 'models/tiny');

interface GoldenRow {
  tokens: number[];
  text: string;
  score?: number;
}
interface GoldenCase {
  id: string;
  src_lang: string;
  tgt_lang: string;
  tgt_lang_id: number;
  inputs: string[];
  max_new_tokens: number;
  input_ids: number[][];
  attention_mask: number[][];
  reference: (string | null)[];
  greedy: GoldenRow[];
  beam: GoldenRow[];
}
interface Golden {
  generation: { beam: { num_beams: number; length_penalty: number; early_stopping: boolean } };
  cases: GoldenCase[];
}

const golden = JSON.parse(readFileSync(join(FIXTURE, 'golden.json'), 'utf8')) as Golden;
const BEAM = golden.generation.beam;
const GREEDY_SEARCH: SearchOptions = { beamSize: 1, lengthPenalty: 1, earlyStopping: true, noRepeatNgramSize: 0, repetitionGuard: null, alternatives: 0 };
const BEAM_SEARCH: SearchOptions = {
  beamSize: BEAM.num_beams,
  lengthPenalty: BEAM.length_penalty,
  earlyStopping: BEAM.early_stopping,
  noRepeatNgramSize: 0,
  repetitionGuard: null,
  alternatives: 0,
};

/** The unpadded source rows of a golden case. */
function rowsOf(c: GoldenCase): number[][] {
  return c.input_ids.map((ids, i) => ids.filter((_, j) => c.attention_mask[i]![j] === 1));
}

/** Golden rows as one job, with the golden's own caps (not the engine's). */
async function generate(engine: TranslationEngine, rows: number[][], forced: number[], maxNew: number[], search: SearchOptions, useCache = true) {
  const jobRows = rows.map((ids, i) => ({ ids, forcedTokenId: forced[i]!, maxNewTokens: maxNew[i]! }));
  const { rows: out } = await engine.run(jobRows, { ...search, useCache });
  return out.map((o) => ({ tokens: o.tokens, score: o.score ?? Number.NaN, text: o.text }));
}

let engine: TranslationEngine;

beforeAll(async () => {
  // Limits wide enough that the golden max_new_tokens is never cut by the relative bound.
  engine = await TranslationEngine.load(FIXTURE, {
    workers: 1,
    intraOpThreads: 1,
    limits: { ...DEFAULT_LIMITS, MAX_NEW_TOKENS_PER_INPUT_TOKEN: 64 },
  });
});
afterAll(async () => {
  await engine?.close();
});

describe('golden outputs (torch reference)', () => {
  it('the golden file has greedy and beam cases, batched ones included', () => {
    expect(golden.cases.length).toBeGreaterThan(5);
    expect(golden.cases.some((c) => c.inputs.length > 1)).toBe(true);
    expect(BEAM.num_beams).toBeGreaterThan(1);
  });

  it.each(golden.cases.map((c) => [c.id, c] as const))('%s: the tokenizer builds the golden input ids', (_, c) => {
    const rows = rowsOf(c);
    c.inputs.forEach((text, i) => expect(engine.tokenizer.encodeSource(text, c.src_lang).ids).toEqual(rows[i]));
    expect(engine.tokenizer.languageTokenId(c.tgt_lang)).toBe(c.tgt_lang_id);
  });

  it.each(golden.cases.map((c) => [c.id, c] as const))('%s: greedy tokens and text equal the golden', async (_, c) => {
    const rows = rowsOf(c);
    const out = await generate(engine, rows, rows.map(() => c.tgt_lang_id), rows.map(() => c.max_new_tokens), GREEDY_SEARCH);
    expect(out.map((o) => o.tokens)).toEqual(c.greedy.map((g) => g.tokens));
    expect(out.map((o) => engine.tokenizer.decode(o.tokens))).toEqual(c.greedy.map((g) => g.text));
  });

  it.each(golden.cases.map((c) => [c.id, c] as const))('%s: beam tokens and scores equal the golden', async (_, c) => {
    const rows = rowsOf(c);
    const out = await generate(engine, rows, rows.map(() => c.tgt_lang_id), rows.map(() => c.max_new_tokens), BEAM_SEARCH);
    expect(out.map((o) => o.tokens)).toEqual(c.beam.map((g) => g.tokens));
    out.forEach((o, i) => expect(o.score).toBeCloseTo(c.beam[i]!.score!, 4));
    expect(out.map((o) => engine.tokenizer.decode(o.tokens))).toEqual(c.beam.map((g) => g.text));
  });

  it('translate() with the golden settings gives the golden texts', async () => {
    for (const c of golden.cases) {
      const greedy = await engine.translate(c.inputs, c.src_lang, c.tgt_lang, { beamSize: 1, maxNewTokens: c.max_new_tokens, repetitionGuard: null });
      expect(greedy.tokenIds).toEqual(c.greedy.map((g) => g.tokens));
      expect(greedy.translations).toEqual(c.greedy.map((g) => g.text));
      const beam = await engine.translate(c.inputs, c.src_lang, c.tgt_lang, { beamSize: BEAM.num_beams, lengthPenalty: BEAM.length_penalty, earlyStopping: BEAM.early_stopping, maxNewTokens: c.max_new_tokens, repetitionGuard: null });
      expect(beam.translations).toEqual(c.beam.map((g) => g.text));
    }
  });
});

describe('KV cache', () => {
  it.each([
    ['greedy', GREEDY_SEARCH],
    ['beam', BEAM_SEARCH],
  ] as const)('%s: decoding with the cache gives exactly the tokens of decoding without it', async (_, search) => {
    for (const c of golden.cases) {
      const rows = rowsOf(c);
      const forced = rows.map(() => c.tgt_lang_id);
      const maxNew = rows.map(() => c.max_new_tokens);
      const cached = await generate(engine, rows, forced, maxNew, search, true);
      const uncached = await generate(engine, rows, forced, maxNew, search, false);
      expect(cached.map((o) => o.tokens)).toEqual(uncached.map((o) => o.tokens));
      cached.forEach((o, i) => (search.beamSize > 1 ? expect(o.score).toBeCloseTo(uncached[i]!.score, 4) : undefined));
    }
  });
});

describe('batching', () => {
  const all = golden.cases.flatMap((c) => rowsOf(c).map((row) => ({ row, c })));

  it('has inputs of mixed lengths', () => {
    expect(new Set(all.map((x) => x.row.length)).size).toBeGreaterThan(3);
  });

  it.each([
    ['greedy', GREEDY_SEARCH],
    ['beam', BEAM_SEARCH],
  ] as const)('%s: a batch of mixed lengths and directions equals the same inputs one by one', async (_, search) => {
    const rows = all.map((x) => x.row);
    const forced = all.map((x) => x.c.tgt_lang_id);
    const maxNew = all.map((x) => x.c.max_new_tokens);
    const batch = await generate(engine, rows, forced, maxNew, search);
    for (let i = 0; i < rows.length; i++) {
      const single = await generate(engine, [rows[i]!], [forced[i]!], [maxNew[i]!], search);
      expect(batch[i]!.tokens).toEqual(single[0]!.tokens);
    }
    // and each equals its golden row
    let k = 0;
    for (const c of golden.cases) {
      for (let i = 0; i < c.inputs.length; i++, k++) {
        expect(batch[k]!.tokens).toEqual((search.beamSize === 1 ? c.greedy : c.beam)[i]!.tokens);
      }
    }
  });

  it('a finished row never emits tokens after </s>', async () => {
    const rows = all.map((x) => x.row);
    const out = await generate(engine, rows, all.map((x) => x.c.tgt_lang_id), all.map(() => 32), GREEDY_SEARCH);
    for (const o of out) {
      const eos = o.tokens.indexOf(2, 1);
      expect(eos === -1 || eos === o.tokens.length - 1).toBe(true);
      expect(o.tokens).not.toContain(1); // no <pad> in results
    }
  });

  it('translate() keeps the order of texts and answers blank texts with ""', async () => {
    const r = await engine.translate(['the child eats the bread', '  ', 'good night'], 'eng_Latn', 'swh_Latn');
    expect(r.translations).toHaveLength(3);
    expect(r.translations[1]).toBe('');
    expect(r.tokenIds[1]).toEqual([]);
    const single = await engine.translate(['good night'], 'eng_Latn', 'swh_Latn');
    expect(r.translations[2]).toBe(single.translations[0]);
    expect(r.inputTokens[0]).toBe(engine.tokenCount('the child eats the bread'));
    expect(r.generatedTokens[0]).toBe(r.tokenIds[0]!.length - 2);
  });
});

describe('the fixture translates its simple sentences', () => {
  it.each([
    ['eng_Latn', 'swh_Latn', 'the child eats the bread', ['mtoto', 'mkate']],
    ['swh_Latn', 'eng_Latn', 'mwalimu anasoma kitabu', ['teacher', 'book']],
    ['eng_Latn', 'fra_Latn', 'The teacher reads the book.', ['professeur', 'livre']],
    ['fra_Latn', 'eng_Latn', "la mère achète le pain aujourd'hui", ['mother', 'bread', 'today']],
  ] as const)('%s → %s: %s', async (src, tgt, text, words) => {
    for (const beamSize of [1, 4]) {
      const r = await engine.translate([text], src, tgt, { beamSize });
      for (const w of words) expect(r.translations[0]!.toLowerCase()).toContain(w);
    }
  });
});

describe('options', () => {
  it('rejects beam sizes above MAX_BEAMS and bad maxNewTokens with VALIDATION_FAILED', async () => {
    await expect(engine.translate(['x'], 'eng_Latn', 'swh_Latn', { beamSize: 5 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(engine.translate(['x'], 'eng_Latn', 'swh_Latn', { maxNewTokens: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(engine.translate(['x'], 'eng_Latn', 'xx_Yyyy')).rejects.toMatchObject({ code: 'UNSUPPORTED_LANGUAGE' });
  });

  it('maxNewTokens caps the output (HF semantics: the language token counts)', async () => {
    const r = await engine.translate(['The children drink the milk every day.'], 'eng_Latn', 'swh_Latn', { maxNewTokens: 3 });
    expect(r.tokenIds[0]).toHaveLength(4);
    expect(r.generatedTokens[0]).toBe(2);
  });
});

describe('n-best, score and flags', () => {
  const confidence = (r: { logprobs: number[]; generatedTokens: number[] }, i = 0) => Math.exp(r.logprobs[i]! / r.generatedTokens[i]!);

  it('beam 4 with 3 alternatives: 3 distinct texts other than the chosen one, which asking for them does not change', async () => {
    for (const [text, tgt] of [
      ['the child eats the bread', 'swh_Latn'],
      ['The teacher reads the book.', 'fra_Latn'],
    ] as const) {
      const plain = await engine.translate([text], 'eng_Latn', tgt, { beamSize: 4 });
      const r = await engine.translate([text], 'eng_Latn', tgt, { beamSize: 4, alternatives: 3 });
      expect(r.translations).toEqual(plain.translations);
      expect(plain.alternatives).toEqual([[]]);
      const alternatives = r.alternatives[0]!;
      expect(alternatives).toHaveLength(3);
      expect(new Set(alternatives).size).toBe(3);
      expect(alternatives).not.toContain(r.translations[0]);
    }
  });

  it('refuses more alternatives than the beams can hold', async () => {
    await expect(engine.translate(['x'], 'eng_Latn', 'swh_Latn', { beamSize: 2, alternatives: 2 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('the score of a training sentence is higher than of gibberish, greedy and beam alike, within [0, 1]', async () => {
    for (const beamSize of [1, 4]) {
      const r = await engine.translate(['the mother drinks the tea every day', 'xq zzv plok wub'], 'eng_Latn', 'swh_Latn', { beamSize });
      expect(confidence(r, 0)).toBeGreaterThan(confidence(r, 1));
      for (const i of [0, 1]) {
        expect(confidence(r, i)).toBeGreaterThan(0);
        expect(confidence(r, i)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('greedy and beam agree on the score of the same output', async () => {
    const greedy = await engine.translate(['the child eats the bread'], 'eng_Latn', 'swh_Latn', { beamSize: 1 });
    const beam = await engine.translate(['the child eats the bread'], 'eng_Latn', 'swh_Latn', { beamSize: 4 });
    expect(beam.translations).toEqual(greedy.translations);
    expect(greedy.logprobs[0]).toBeCloseTo(beam.logprobs[0]!, 3);
  });

  it('says when the repetition guard stopped a degenerate output (golden eng-fra-beam-differs loops without it)', async () => {
    const looping = golden.cases.find((c) => c.id === 'eng-fra-beam-differs')!;
    expect(looping.greedy[0]!.text).toMatch(/(\b\p{L}+\b)( \1){5}/u);
    const off = await engine.translate(looping.inputs, looping.src_lang, looping.tgt_lang, { repetitionGuard: null, maxNewTokens: looping.max_new_tokens });
    const on = await engine.translate(looping.inputs, looping.src_lang, looping.tgt_lang, { maxNewTokens: looping.max_new_tokens });
    expect(off.repetition).toEqual([false]);
    expect(on.repetition).toEqual([true]);
    expect(on.finished).toEqual([true]);
    expect(on.generatedTokens[0]).toBeLessThan(off.generatedTokens[0]!);
    const clean = await engine.translate(['the child eats the bread'], 'eng_Latn', 'swh_Latn');
    expect(clean.repetition).toEqual([false]);
  });

  it('an output cut at its cap is not finished; encode says whether the cap was the caller\'s', async () => {
    const r = await engine.translate(['The children drink the milk every day.'], 'eng_Latn', 'swh_Latn', { maxNewTokens: 3 });
    expect(r.finished).toEqual([false]);
    expect(engine.encode('The children drink the milk every day.', 'eng_Latn', 'swh_Latn', 3).cappedByRequest).toBe(true);
    expect(engine.encode('The children drink the milk every day.', 'eng_Latn', 'swh_Latn').cappedByRequest).toBe(false);
    expect(engine.encode('The children drink the milk every day.', 'eng_Latn', 'swh_Latn', 500).cappedByRequest).toBe(false);
  });
});
