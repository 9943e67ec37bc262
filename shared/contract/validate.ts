import type { z } from '@hono/zod-openapi';
import { AppError } from '../errors.js';
import type { Limits } from '../limits.js';
import { resolveLanguageCode, unsupportedLanguageError } from '../languages/index.js';
import { MAX_REPORTED_ISSUES, formatZodIssues, summarizeZodIssues } from '../zod-issues.js';
import { characterCount } from './common.js';
import { DetectRequestSchema } from './detect.js';
import { LtDetectRequestSchema, LtTranslateRequestSchema } from './libretranslate.js';
import { TranslateRequestSchema, type TranslateOptions } from './translate.js';

/** A translate request after every check: FLORES codes, texts as a list, options with defaults. */
export interface NormalizedTranslateRequest {
  texts: string[];
  /** Whether the client sent an array (answer with a batch body) or one string. */
  batch: boolean;
  target: string;
  /** Undefined means "detect per item". */
  source: string | undefined;
  options: TranslateOptions;
  characterCount: number;
}

export interface NormalizedDetectRequest {
  text: string;
  topK: number;
  characterCount: number;
}

/**
 * VALIDATION_FAILED for a body that does not match its schema: the first issues in one readable line
 * ("target_language: expected string, received number") and as details.
 */
export function validationError(error: z.ZodError): AppError {
  return new AppError('VALIDATION_FAILED', formatZodIssues(error.issues, { max: MAX_REPORTED_ISSUES }).join('; '), {
    details: { issues: summarizeZodIssues(error.issues, MAX_REPORTED_ISSUES) },
  });
}

/**
 * What nobody can see: whitespace, format controls (Cf: zero-width space/joiners U+200B–U+200D, word
 * joiner U+2060, BOM U+FEFF, bidi marks, soft hyphen, tags…), other default-ignorable code points and
 * variation selectors. A text of only these has nothing to translate.
 */
const INVISIBLE = /[\s\p{Cf}\p{Default_Ignorable_Code_Point}\p{Variation_Selector}]/gu;

/** Whether a text is empty once whitespace and invisible characters are removed. */
export function isBlankText(text: string): boolean {
  return text.replace(INVISIBLE, '').length === 0;
}

/** `batch`: the client sent an array, so an item is named by its index (`text[3]`); one string is `text`. */
function checkTexts(texts: string[], batch: boolean, limits: Limits): number {
  let total = 0;
  texts.forEach((text, index) => {
    if (isBlankText(text)) {
      const where = batch ? `text[${index}]` : 'text';
      throw new AppError('VALIDATION_FAILED', `${where} is empty or only whitespace and invisible characters`);
    }
    total += characterCount(text);
  });
  if (total > limits.MAX_CHARACTERS) {
    throw new AppError('TEXT_TOO_LONG', `text has ${total} characters; the limit is ${limits.MAX_CHARACTERS}`, {
      details: { characters: total, limit: limits.MAX_CHARACTERS },
    });
  }
  return total;
}

export function resolveLanguageOrThrow(input: string, field: string): string {
  const code = resolveLanguageCode(input);
  if (code === undefined) throw unsupportedLanguageError(input, field);
  return code;
}

/**
 * Checks a parsed JSON body in the documented layers (structure → items → characters → languages),
 * so each failure carries its own stable code. Never throws anything but AppError.
 */
export function validateTranslateRequest(body: unknown, limits: Limits): NormalizedTranslateRequest {
  const parsed = TranslateRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const { text, target_language, source_language, options } = parsed.data;
  const batch = Array.isArray(text);
  const texts = batch ? text : [text];
  if (texts.length === 0) throw new AppError('VALIDATION_FAILED', 'text must not be an empty array');
  if (texts.length > limits.MAX_BATCH_ITEMS) {
    throw new AppError('BATCH_TOO_LARGE', `batch has ${texts.length} items; the limit is ${limits.MAX_BATCH_ITEMS}`, {
      details: { items: texts.length, limit: limits.MAX_BATCH_ITEMS },
    });
  }
  const total = checkTexts(texts, batch, limits);
  const target = resolveLanguageOrThrow(target_language, 'target_language');
  const source = source_language === undefined ? undefined : resolveLanguageOrThrow(source_language, 'source_language');
  const resolvedOptions: TranslateOptions = {
    beam_size: options?.beam_size ?? 1,
    placeholders: options?.placeholders ?? 'auto',
    alternatives: options?.alternatives ?? 0,
    ...(options?.max_new_tokens ? { max_new_tokens: options.max_new_tokens } : {}),
  };
  if (resolvedOptions.beam_size > limits.MAX_BEAMS) {
    throw new AppError('VALIDATION_FAILED', `options.beam_size is ${resolvedOptions.beam_size}; the limit is ${limits.MAX_BEAMS}`);
  }
  // n alternatives need n + 1 beams (the chosen hypothesis and n others).
  if (resolvedOptions.alternatives + 1 > limits.MAX_BEAMS) {
    throw new AppError('VALIDATION_FAILED', `options.alternatives is ${resolvedOptions.alternatives}; with MAX_BEAMS ${limits.MAX_BEAMS} the limit is ${limits.MAX_BEAMS - 1}`);
  }
  return { texts, batch, target, source, options: resolvedOptions, characterCount: total };
}

export function validateDetectRequest(body: unknown, limits: Limits): NormalizedDetectRequest {
  const parsed = DetectRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const total = checkTexts([parsed.data.text], false, limits);
  return { text: parsed.data.text, topK: parsed.data.top_k, characterCount: total };
}

/** LibreTranslate's body mapped onto ours, so both APIs share every later check. */
export function validateLtTranslateRequest(body: unknown, limits: Limits): NormalizedTranslateRequest {
  const parsed = LtTranslateRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const { q, source, target, format, alternatives } = parsed.data;
  if (format === 'html') {
    throw new AppError('VALIDATION_FAILED', "format 'html' is not supported; send plain text (format 'text')");
  }
  return validateTranslateRequest(
    {
      text: q,
      target_language: target,
      ...(source.toLowerCase() === 'auto' ? {} : { source_language: source }),
      ...(alternatives !== undefined ? { options: { alternatives } } : {}),
    },
    limits,
  );
}

export function validateLtDetectRequest(body: unknown, limits: Limits): NormalizedDetectRequest {
  const parsed = LtDetectRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return validateDetectRequest({ text: parsed.data.q, top_k: 3 }, limits);
}
