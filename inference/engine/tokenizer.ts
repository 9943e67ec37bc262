/**
 * NLLB-200's tokenizer over sentencepiece-js, with the ids of transformers' NllbTokenizer:
 *
 *   0 <s>, 1 <pad>, 2 </s>, 3 <unk>; an ordinary piece has HF id = spm id + 1 (spm's <unk>, 0, maps to 3);
 *   language tokens = spm vocabulary size + 1-based position in FLORES-200 tokenizer order; <mask> after them.
 *
 * Source sequence = [src_lang] tokens </s> (the non-legacy behaviour); decoding drops the special
 * and language tokens. sentencepiece-js loads a corrupt model silently and then encodes to [], so
 * `load` parses the model file itself and test-encodes after loading.
 */
import { readFileSync } from 'node:fs';
import spm, { type SentencePieceProcessor } from 'sentencepiece-js';
import { AppError } from '../../shared/errors.js';
import { LANGUAGE_CODES, languageTokenId, resolveLanguageCode } from '../../shared/languages/index.js';
import { readSpmModelInfo } from './spm-model.js';

export const BOS_ID = 0;
export const PAD_ID = 1;
export const EOS_ID = 2;
export const UNK_ID = 3;
/** Specials before the first ordinary piece (HF ids 0..3). */
const FIRST_PIECE_ID = 4;

/** Encoded source of one text. */
export interface EncodedSource {
  /** [src_lang] tokens </s>, at most maxSourceTokens long. */
  ids: number[];
  /** true when text tokens were cut to fit maxSourceTokens. */
  truncated: boolean;
  /** Length before truncation ([src_lang] tokens </s>). */
  fullLength: number;
}

export interface TokenizerOptions {
  /**
   * Longest source sequence, [src_lang] and </s> included (the model's max positions). Longer texts
   * are cut (their first tokens kept) and flagged `truncated`. Default 1024 (NLLB-200's).
   */
  maxSourceTokens?: number;
}

/** A tokenizer file that cannot be used: missing, unreadable or not a SentencePiece model. */
export class TokenizerLoadError extends AppError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super('MODEL_UNAVAILABLE', `tokenizer ${file} is not usable: ${reason}`);
    this.name = 'TokenizerLoadError';
  }
}

/** A sample every SentencePiece model trained on Latin-script text encodes to something. */
const PROBE_TEXT = 'a';

export class NllbTokenizer {
  /** SentencePiece vocabulary size (pieces in the .model file). */
  readonly spmVocabSize: number;
  /** Id of <mask>, the last id of the tokenizer. */
  readonly maskId: number;
  /** Ids the tokenizer defines: 0 .. maskId. */
  readonly vocabSize: number;
  readonly maxSourceTokens: number;

  private constructor(
    private readonly sp: SentencePieceProcessor,
    spmVocabSize: number,
    maxSourceTokens: number,
  ) {
    this.spmVocabSize = spmVocabSize;
    this.maskId = spmVocabSize + LANGUAGE_CODES.length + 1;
    this.vocabSize = this.maskId + 1;
    this.maxSourceTokens = maxSourceTokens;
  }

  /** Loads a SentencePiece model file (`sentencepiece.bpe.model`). Throws TokenizerLoadError. */
  static async load(modelFile: string, options: TokenizerOptions = {}): Promise<NllbTokenizer> {
    const maxSourceTokens = options.maxSourceTokens ?? 1024;
    if (!Number.isInteger(maxSourceTokens) || maxSourceTokens < 3) {
      throw new RangeError(`maxSourceTokens must be an integer >= 3, got ${maxSourceTokens}`);
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(modelFile);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new TokenizerLoadError(modelFile, code === 'ENOENT' ? 'the file is missing' : `cannot read it (${code ?? String(err)})`);
    }
    let pieceCount: number;
    try {
      const info = readSpmModelInfo(bytes);
      pieceCount = info.pieceCount;
      if (info.unknownIds[0] !== 0) throw new Error(`<unk> must be piece 0 (NLLB's convention), found ${JSON.stringify(info.unknownIds)}`);
    } catch (err) {
      throw new TokenizerLoadError(modelFile, `not a SentencePiece model (${(err as Error).message})`);
    }
    const sp = new spm.SentencePieceProcessor();
    // sentencepiece-js instantiates an Emscripten module per load, which installs process-wide
    // 'uncaughtException' / 'unhandledRejection' listeners that rethrow (and pile up, one pair per
    // load). They would take over the host's error handling: remove whatever the load added.
    const before = {
      uncaughtException: new Set(process.listeners('uncaughtException')),
      unhandledRejection: new Set(process.listeners('unhandledRejection')),
    };
    try {
      await sp.load(modelFile);
    } catch (err) {
      throw new TokenizerLoadError(modelFile, `SentencePiece failed to load it (${(err as Error).message})`);
    } finally {
      for (const l of process.listeners('uncaughtException')) if (!before.uncaughtException.has(l)) process.removeListener('uncaughtException', l);
      for (const l of process.listeners('unhandledRejection')) if (!before.unhandledRejection.has(l)) process.removeListener('unhandledRejection', l);
    }
    const tokenizer = new NllbTokenizer(sp, pieceCount, maxSourceTokens);
    // A corrupt model loads silently and then encodes to []: test-encode.
    let probe: number[];
    try {
      probe = sp.encodeIds(PROBE_TEXT);
    } catch (err) {
      throw new TokenizerLoadError(modelFile, `test encoding failed (${(err as Error).message})`);
    }
    if (probe.length === 0) throw new TokenizerLoadError(modelFile, `it encodes ${JSON.stringify(PROBE_TEXT)} to no tokens`);
    if (probe.some((id) => !Number.isInteger(id) || id < 0 || id >= pieceCount)) {
      throw new TokenizerLoadError(modelFile, `test encoding gave ids outside 0..${pieceCount - 1}`);
    }
    return tokenizer;
  }

  /** The text's tokens as HF ids, without language token or </s>. */
  encodeText(text: string): number[] {
    const ids = this.sp.encodeIds(text);
    const out = new Array<number>(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      out[i] = id === 0 ? UNK_ID : id + 1;
    }
    return out;
  }

  /** [src_lang] tokens </s>, cut to maxSourceTokens (default: the tokenizer's) with a flag. */
  encodeSource(text: string, srcLang: string, maxSourceTokens = this.maxSourceTokens): EncodedSource {
    const lang = this.languageTokenId(srcLang);
    const tokens = this.encodeText(text);
    const room = Math.max(0, maxSourceTokens - 2);
    const truncated = tokens.length > room;
    const kept = truncated ? tokens.slice(0, room) : tokens;
    return { ids: [lang, ...kept, EOS_ID], truncated, fullLength: tokens.length + 2 };
  }

  /** Length of the source sequence of `text` ([src_lang] tokens </s>), before truncation. */
  tokenCount(text: string): number {
    return this.sp.encodeIds(text).length + 2;
  }

  /**
   * The id of a language token. Accepts FLORES-200 codes (and the aliases shared/languages resolves,
   * e.g. `sw`); throws AppError UNSUPPORTED_LANGUAGE otherwise.
   */
  languageTokenId(code: string): number {
    return languageTokenId(code, this.spmVocabSize);
  }

  /** The FLORES-200 code of a language token id, or undefined. */
  languageOfToken(id: number): string | undefined {
    return LANGUAGE_CODES[id - this.spmVocabSize - 1];
  }

  /** True for FLORES-200 codes and accepted aliases. */
  static isKnownLanguage(code: string): boolean {
    return resolveLanguageCode(code) !== undefined;
  }

  /** True for <s>, <pad>, </s>, <unk>, language tokens, <mask> and anything past them. */
  isSpecial(id: number): boolean {
    return id < FIRST_PIECE_ID || id > this.spmVocabSize;
  }

  /** Text of HF ids, dropping special and language tokens (HF's skip_special_tokens). */
  decode(ids: readonly number[]): string {
    const pieces: number[] = [];
    for (const id of ids) if (!this.isSpecial(id)) pieces.push(id - 1);
    if (pieces.length === 0) return '';
    return this.sp.decodeIds(pieces).trim();
  }

  /** The SentencePiece pieces of a text (for debugging and tests). */
  pieces(text: string): string[] {
    return this.sp.encodePieces(text);
  }
}
