import type { z } from '@hono/zod-openapi';
import { AppError } from '../errors.js';
import type { Limits } from '../limits.js';
import { resolveLanguageCode, unsupportedLanguageError } from '../languages/index.js';
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

/** One readable line from zod's issues, e.g. "target_language: expected string, received number". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function validationError(error: z.ZodError): AppError {
  return new AppError('VALIDATION_FAILED', describeIssues(error), {
    details: { issues: error.issues.slice(0, 5).map((i) => ({ path: i.path.map(String), message: i.message })) },
  });
}

function checkTexts(texts: string[], limits: Limits): number {
  let total = 0;
  texts.forEach((text, index) => {
    if (text.trim().length === 0) {
      const where = texts.length > 1 ? `text[${index}]` : 'text';
      throw new AppError('VALIDATION_FAILED', `${where} is empty or only whitespace`);
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
  const total = checkTexts(texts, limits);
  const target = resolveLanguageOrThrow(target_language, 'target_language');
  const source = source_language === undefined ? undefined : resolveLanguageOrThrow(source_language, 'source_language');
  const resolvedOptions: TranslateOptions = { beam_size: options?.beam_size ?? 1, ...(options?.max_new_tokens ? { max_new_tokens: options.max_new_tokens } : {}) };
  if (resolvedOptions.beam_size > limits.MAX_BEAMS) {
    throw new AppError('VALIDATION_FAILED', `options.beam_size is ${resolvedOptions.beam_size}; the limit is ${limits.MAX_BEAMS}`);
  }
  return { texts, batch, target, source, options: resolvedOptions, characterCount: total };
}

export function validateDetectRequest(body: unknown, limits: Limits): NormalizedDetectRequest {
  const parsed = DetectRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const total = checkTexts([parsed.data.text], limits);
  return { text: parsed.data.text, topK: parsed.data.top_k, characterCount: total };
}

/** LibreTranslate's body mapped onto ours, so both APIs share every later check. */
export function validateLtTranslateRequest(body: unknown, limits: Limits): NormalizedTranslateRequest {
  const parsed = LtTranslateRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const { q, source, target, format } = parsed.data;
  if (format === 'html') {
    throw new AppError('VALIDATION_FAILED', "format 'html' is not supported; send plain text (format 'text')");
  }
  return validateTranslateRequest(
    { text: q, target_language: target, ...(source.toLowerCase() === 'auto' ? {} : { source_language: source }) },
    limits,
  );
}

export function validateLtDetectRequest(body: unknown, limits: Limits): NormalizedDetectRequest {
  const parsed = LtDetectRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return validateDetectRequest({ text: parsed.data.q, top_k: 3 }, limits);
}
