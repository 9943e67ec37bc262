import { LANGUAGE_ROWS, type LanguageCode } from './data.js';

/**
 * Every label of fastText's lid.176 model (176, in the model's alphabetical order) mapped to the NLLB-200
 * language it names, or null when NLLB-200 has no equivalent. lid.176 labels are mostly ISO 639-1, else
 * 639-3 or Wikipedia codes, so several need care:
 * - `als` is Alemannic German (Wikipedia's code), NOT Tosk Albanian (als_Latn): null.
 * - Macrolanguage labels go to the dominant member NLLB has: ar→arb, fa→pes, ms→zsm, no→nob, sw→swh,
 *   mn→khk, ne→npi, lv→lvs, et→est, uz→uzn, az→azj, sq→als, qu→quy, yi→ydd, mg→plt, or→ory, ps→pbt,
 *   ku→kmr (Kurmanji, Latin script; Sorani has its own `ckb`), zh→zho_Hans (the bulk of the training text).
 * - `sh` (Serbo-Croatian, Wikipedia's mostly Latin-script text) → hrv_Latn: NLLB's Serbian is Cyrillic, and
 *   Croatian is the Latin-script standard of the same language, so it is the right source code to translate.
 * - `bh` was trained on bh.wikipedia.org, which is written in Bhojpuri → bho_Deva.
 * - `pnb` is Western Punjabi in Shahmukhi (Arabic script); NLLB only has Eastern Panjabi in Gurmukhi: null.
 * - `yue` → yue_Hant; `wuu` (Wu Chinese), `hif` (Fiji Hindi, Latin script), `dty` (Doteli), `vls`
 *   (West Flemish), `gom` (Konkani), `fy`, `br`, `la` and the other small Wikipedia languages: null.
 */
export const LID176_TO_FLORES: Readonly<Record<string, LanguageCode | null>> = Object.freeze({
  af: 'afr_Latn', als: null, am: 'amh_Ethi', an: null, ar: 'arb_Arab', arz: 'arz_Arab', as: 'asm_Beng',
  ast: 'ast_Latn', av: null, az: 'azj_Latn', azb: 'azb_Arab', ba: 'bak_Cyrl', bar: null, bcl: null,
  be: 'bel_Cyrl', bg: 'bul_Cyrl', bh: 'bho_Deva', bn: 'ben_Beng', bo: 'bod_Tibt', bpy: null, br: null,
  bs: 'bos_Latn', bxr: null, ca: 'cat_Latn', cbk: null, ce: null, ceb: 'ceb_Latn', ckb: 'ckb_Arab', co: null,
  cs: 'ces_Latn', cv: null, cy: 'cym_Latn', da: 'dan_Latn', de: 'deu_Latn', diq: null, dsb: null, dty: null,
  dv: null, el: 'ell_Grek', eml: null, en: 'eng_Latn', eo: 'epo_Latn', es: 'spa_Latn', et: 'est_Latn',
  eu: 'eus_Latn', fa: 'pes_Arab', fi: 'fin_Latn', fr: 'fra_Latn', frr: null, fy: null, ga: 'gle_Latn',
  gd: 'gla_Latn', gl: 'glg_Latn', gn: 'grn_Latn', gom: null, gu: 'guj_Gujr', gv: null, he: 'heb_Hebr',
  hi: 'hin_Deva', hif: null, hr: 'hrv_Latn', hsb: null, ht: 'hat_Latn', hu: 'hun_Latn', hy: 'hye_Armn',
  ia: null, id: 'ind_Latn', ie: null, ilo: 'ilo_Latn', io: null, is: 'isl_Latn', it: 'ita_Latn',
  ja: 'jpn_Jpan', jbo: null, jv: 'jav_Latn', ka: 'kat_Geor', kk: 'kaz_Cyrl', km: 'khm_Khmr', kn: 'kan_Knda',
  ko: 'kor_Hang', krc: null, ku: 'kmr_Latn', kv: null, kw: null, ky: 'kir_Cyrl', la: null, lb: 'ltz_Latn',
  lez: null, li: 'lim_Latn', lmo: 'lmo_Latn', lo: 'lao_Laoo', lrc: null, lt: 'lit_Latn', lv: 'lvs_Latn',
  mai: 'mai_Deva', mg: 'plt_Latn', mhr: null, min: 'min_Latn', mk: 'mkd_Cyrl', ml: 'mal_Mlym',
  mn: 'khk_Cyrl', mr: 'mar_Deva', mrj: null, ms: 'zsm_Latn', mt: 'mlt_Latn', mwl: null, my: 'mya_Mymr',
  myv: null, mzn: null, nah: null, nap: null, nds: null, ne: 'npi_Deva', new: null, nl: 'nld_Latn',
  nn: 'nno_Latn', no: 'nob_Latn', oc: 'oci_Latn', or: 'ory_Orya', os: null, pa: 'pan_Guru', pam: null,
  pfl: null, pl: 'pol_Latn', pms: null, pnb: null, ps: 'pbt_Arab', pt: 'por_Latn', qu: 'quy_Latn', rm: null,
  ro: 'ron_Latn', ru: 'rus_Cyrl', rue: null, sa: 'san_Deva', sah: null, sc: 'srd_Latn', scn: 'scn_Latn',
  sco: null, sd: 'snd_Arab', sh: 'hrv_Latn', si: 'sin_Sinh', sk: 'slk_Latn', sl: 'slv_Latn', so: 'som_Latn',
  sq: 'als_Latn', sr: 'srp_Cyrl', su: 'sun_Latn', sv: 'swe_Latn', sw: 'swh_Latn', ta: 'tam_Taml',
  te: 'tel_Telu', tg: 'tgk_Cyrl', th: 'tha_Thai', tk: 'tuk_Latn', tl: 'tgl_Latn', tr: 'tur_Latn',
  tt: 'tat_Cyrl', tyv: null, ug: 'uig_Arab', uk: 'ukr_Cyrl', ur: 'urd_Arab', uz: 'uzn_Latn', vec: 'vec_Latn',
  vep: null, vi: 'vie_Latn', vls: null, vo: null, wa: null, war: 'war_Latn', wuu: null, xal: null, xmf: null,
  yi: 'ydd_Hebr', yo: 'yor_Latn', yue: 'yue_Hant', zh: 'zho_Hans',
});

/** The 176 labels, without the `__label__` prefix. */
export const LID176_LABELS: readonly string[] = Object.freeze(Object.keys(LID176_TO_FLORES));

const LABEL_PREFIX = '__label__';

/**
 * The FLORES code for a lid.176 label (`__label__sw` or `sw`): a code, null when the label is a real
 * lid.176 language that NLLB-200 lacks, undefined when the label is not one of lid.176's.
 */
export function floresFromLid176Label(label: string): LanguageCode | null | undefined {
  if (typeof label !== 'string') return undefined;
  let key = label.trim();
  if (key.startsWith(LABEL_PREFIX)) key = key.slice(LABEL_PREFIX.length);
  key = key.toLowerCase();
  // own-property check: "constructor" or "__proto__" must not reach Object.prototype
  return Object.hasOwn(LID176_TO_FLORES, key) ? LID176_TO_FLORES[key] : undefined;
}

const DETECTABLE: ReadonlySet<string> = new Set(
  Object.values(LID176_TO_FLORES).filter((code): code is LanguageCode => code !== null),
);

/** Whether some lid.176 label maps to this FLORES code (so a lid.176 detector can ever answer it). */
export function isLid176Detectable(code: string): boolean {
  return DETECTABLE.has(code);
}

/**
 * The NLLB-200 languages lid.176 can never name (no label maps to them), in tokenizer order: most African
 * languages among them (ha, ig, zu, xh, rw, ...). Computed from the mapping, so the two cannot disagree.
 */
export const LID176_UNDETECTABLE: ReadonlySet<string> = new Set<string>(
  LANGUAGE_ROWS.map((row) => row[0]).filter((code) => !DETECTABLE.has(code)),
);
