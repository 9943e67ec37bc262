/**
 * Cross-check against @huggingface/transformers (transformers.js) running the same models/tiny
 * folder fully offline: same source ids from its tokenizer, and identical greedy outputs for single
 * inputs. (transformers.js has no beam search; it runs the merged decoder, we run the split pair.)
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AutoModelForSeq2SeqLM, AutoTokenizer, Tensor, env, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../shared/limits.js';
import { TranslationEngine } from '../../../inference/engine/index.js';

const MODELS = resolve(import.meta.dirname, '../../../models');
const golden = JSON.parse(readFileSync(join(MODELS, 'tiny/golden.json'), 'utf8')) as {
  cases: { id: string; src_lang: string; tgt_lang: string; inputs: string[]; max_new_tokens: number }[];
};

/** Single inputs: every golden input on its own, plus a few untrained-looking ones. */
const INPUTS: { src: string; tgt: string; text: string; maxNew: number }[] = [
  ...golden.cases.flatMap((c) => c.inputs.map((text) => ({ src: c.src_lang, tgt: c.tgt_lang, text, maxNew: c.max_new_tokens }))),
  { src: 'eng_Latn', tgt: 'swh_Latn', text: 'the doctor sells the fish and the farmer buys the milk', maxNew: 40 },
  { src: 'eng_Latn', tgt: 'fra_Latn', text: 'Nairobi 2024: ❤️', maxNew: 20 },
  { src: 'swh_Latn', tgt: 'eng_Latn', text: 'Habari za asubuhi, rafiki yangu?', maxNew: 30 },
];

let tokenizer: PreTrainedTokenizer;
let model: PreTrainedModel;
let engine: TranslationEngine;

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${MODELS}/`;
  tokenizer = await AutoTokenizer.from_pretrained('tiny');
  model = await AutoModelForSeq2SeqLM.from_pretrained('tiny', { dtype: 'fp32', device: 'cpu' });
  engine = await TranslationEngine.load(join(MODELS, 'tiny'), {
    workers: 1,
    intraOpThreads: 1,
    limits: { ...DEFAULT_LIMITS, MAX_NEW_TOKENS_PER_INPUT_TOKEN: 64 },
  });
});

afterAll(async () => {
  await engine?.close();
  await model?.dispose();
});

function hfSourceIds(text: string, src: string): number[] {
  const body = tokenizer.encode(text, { add_special_tokens: false });
  const lang = tokenizer.get_vocab().get(src);
  if (lang === undefined) throw new Error(`transformers.js does not know ${src}`);
  return [lang, ...body, 2];
}

describe('cross-check with @huggingface/transformers (offline, same folder)', () => {
  it('transformers.js loaded the folder offline', () => {
    expect(env.allowRemoteModels).toBe(false);
    expect(hfSourceIds('the child', 'eng_Latn')[0]).toBe(engine.tokenizer.languageTokenId('eng_Latn'));
  });

  it.each(INPUTS.map((x) => [`${x.src}→${x.tgt} ${JSON.stringify(x.text)}`, x] as const))('%s: same source ids, same greedy tokens', async (_, x) => {
    const ours = engine.tokenizer.encodeSource(x.text, x.src).ids;
    expect(hfSourceIds(x.text, x.src)).toEqual(ours);

    const inputIds = new Tensor('int64', BigInt64Array.from(ours.map(BigInt)), [1, ours.length]);
    const mask = new Tensor('int64', new BigInt64Array(ours.length).fill(1n), [1, ours.length]);
    const tgtId = engine.tokenizer.languageTokenId(x.tgt);
    const out = (await model.generate({
      inputs: inputIds,
      attention_mask: mask,
      forced_bos_token_id: tgtId,
      max_new_tokens: x.maxNew,
      num_beams: 1,
      do_sample: false,
    } as Parameters<PreTrainedModel['generate']>[0])) as Tensor;
    const theirs = (out.tolist() as bigint[][])[0]!.map(Number);

    const r = await engine.translate([x.text], x.src, x.tgt, { beamSize: 1, maxNewTokens: x.maxNew, repetitionGuard: null });
    expect(r.tokenIds[0]).toEqual(theirs);
    expect(r.translations[0]).toBe(tokenizer.decode(theirs, { skip_special_tokens: true, clean_up_tokenization_spaces: false }).trim());
  });
});
