/**
 * The NLLB tokenizer over sentencepiece-js: ids equal the fixture's expected ids (computed with
 * the SentencePiece CLI, +1 offset, <unk> → 3), language and special tokens, truncation, decoding,
 * and clear load errors for missing or corrupt model files.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGE_CODES } from '../../../shared/languages/index.js';
import { AppError } from '../../../shared/errors.js';
import { NllbTokenizer, TokenizerLoadError, EOS_ID, UNK_ID } from '../../../inference/engine/tokenizer.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const SPM = join(ROOT, 'models/tiny/sentencepiece.bpe.model');

interface IdCase {
  text: string;
  src_lang: string;
  src_lang_id: number;
  pieces: string[];
  spm_ids: number[];
  ids: number[];
  source_ids: number[];
}
interface IdFixture {
  spm_vocab_size: number;
  special_ids: Record<string, number>;
  language_ids: Record<string, number>;
  cases: IdCase[];
}

const fixture = JSON.parse(readFileSync(join(ROOT, 'test/data/tokenizer_ids.json'), 'utf8')) as IdFixture;
const tmp = mkdtempSync(join(tmpdir(), 'sema-tokenizer-'));
let tok: NllbTokenizer;

beforeAll(async () => {
  tok = await NllbTokenizer.load(SPM, { maxSourceTokens: 256 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('NLLB token ids', () => {
  it('has the fixture\'s vocabulary layout', () => {
    expect(tok.spmVocabSize).toBe(fixture.spm_vocab_size);
    expect(tok.maskId).toBe(fixture.special_ids['<mask>']);
    expect(tok.maskId).toBe(fixture.spm_vocab_size + LANGUAGE_CODES.length + 1);
    expect(fixture.special_ids).toMatchObject({ '<s>': 0, '<pad>': 1, '</s>': 2, '<unk>': 3 });
  });

  it('language tokens follow the SentencePiece vocabulary in FLORES-200 order', () => {
    for (const [code, id] of Object.entries(fixture.language_ids)) expect(tok.languageTokenId(code)).toBe(id);
    expect(tok.languageTokenId(LANGUAGE_CODES[0]!)).toBe(fixture.spm_vocab_size + 1);
    expect(tok.languageTokenId('eng_Latn')).toBe(fixture.spm_vocab_size + 47);
    expect(tok.languageOfToken(fixture.spm_vocab_size + 47)).toBe('eng_Latn');
    expect(() => tok.languageTokenId('xxx_Zzzz')).toThrow(AppError);
  });

  it.each(fixture.cases.map((c) => [JSON.stringify(c.text), c] as const))('ids of %s equal spm_encode + 1', (_, c) => {
    expect(tok.encodeText(c.text)).toEqual(c.ids);
    expect(tok.pieces(c.text)).toEqual(c.pieces);
    const source = tok.encodeSource(c.text, c.src_lang);
    expect(source.ids).toEqual(c.source_ids);
    expect(source.truncated).toBe(false);
    expect(tok.tokenCount(c.text)).toBe(c.source_ids.length);
  });

  it('the fixture really exercises <unk> (spm 0 → 3) and the empty text', () => {
    expect(fixture.cases.some((c) => c.spm_ids.includes(0) && c.ids.includes(UNK_ID))).toBe(true);
    const empty = fixture.cases.find((c) => c.text === '')!;
    expect(tok.encodeSource('', empty.src_lang).ids).toEqual([empty.src_lang_id, EOS_ID]);
  });
});

describe('decoding', () => {
  it('drops special and language tokens and restores the text of plain sentences', () => {
    const c = fixture.cases.find((x) => x.text === 'Mwalimu anasoma kitabu leo.')!;
    const swh = tok.languageTokenId('swh_Latn');
    expect(tok.decode([EOS_ID, swh, ...c.ids, EOS_ID, 1, 1])).toBe(c.text);
    expect(tok.decode([EOS_ID, swh, tok.maskId, 0, 1, 2, 3])).toBe('');
    expect(tok.isSpecial(swh)).toBe(true);
    expect(tok.isSpecial(c.ids[0]!)).toBe(false);
  });
});

describe('truncation', () => {
  it('cuts long sources to maxSourceTokens keeping [src_lang] … </s>, with a flag', () => {
    const text = Array.from({ length: 200 }, () => 'the child eats the bread').join(' ');
    const full = tok.encodeText(text);
    expect(full.length).toBeGreaterThan(254);
    const cut = tok.encodeSource(text, 'eng_Latn');
    expect(cut.truncated).toBe(true);
    expect(cut.ids).toHaveLength(256);
    expect(cut.ids[0]).toBe(tok.languageTokenId('eng_Latn'));
    expect(cut.ids[255]).toBe(EOS_ID);
    expect(cut.ids.slice(1, 255)).toEqual(full.slice(0, 254));
    expect(cut.fullLength).toBe(full.length + 2);
    expect(tok.tokenCount(text)).toBe(full.length + 2);
    const short = tok.encodeSource('the child', 'eng_Latn', 3);
    expect(short).toMatchObject({ truncated: true, ids: [tok.languageTokenId('eng_Latn'), tok.encodeText('the child')[0], EOS_ID] });
  });
});

describe('load errors', () => {
  async function loadError(path: string): Promise<TokenizerLoadError> {
    try {
      await NllbTokenizer.load(path);
    } catch (err) {
      expect(err).toBeInstanceOf(TokenizerLoadError);
      expect((err as AppError).code).toBe('MODEL_UNAVAILABLE');
      return err as TokenizerLoadError;
    }
    throw new Error('expected a load error');
  }

  it('a missing file', async () => {
    const err = await loadError(join(tmp, 'missing.model'));
    expect(err.message).toBe(`tokenizer ${join(tmp, 'missing.model')} is not usable: the file is missing`);
  });

  it('a file that is not a SentencePiece model', async () => {
    const path = join(tmp, 'text.model');
    writeFileSync(path, 'hello, I am not a model\n');
    expect((await loadError(path)).message).toMatch(/is not usable: not a SentencePiece model \(/);
  });

  it('a truncated model file', async () => {
    const path = join(tmp, 'half.model');
    const bytes = readFileSync(SPM);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await loadError(path)).message).toMatch(/is not usable: not a SentencePiece model \(/);
  });

  it('loading leaves the process error handlers alone (sentencepiece-js adds rethrowing ones)', async () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    await NllbTokenizer.load(SPM);
    await NllbTokenizer.load(SPM);
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(before);
  });
});
