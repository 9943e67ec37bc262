import type { z } from '@hono/zod-openapi';
import { AppError } from '../errors.js';
import type { Limits } from '../limits.js';
import { checkedHtmlPlan, htmlModelTexts } from '../html/index.js';
import { resolveLanguageCode, unsupportedLanguageError } from '../languages/index.js';
import { MAX_REPORTED_ISSUES, formatZodIssues, summarizeZodIssues } from '../zod-issues.js';
import { characterCount } from './common.js';
import { DetectRequestSchema } from './detect.js';
import { hasReservedTerm, RESERVED_TERM_MESSAGE } from './terminology.js';
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
  /** Characters counted against MAX_CHARACTERS and reported: what the model sees, summed over items. */
  characterCount: number;
  /** Per item, what counts in `characterCount` (for html: text nodes and translated attributes, no markup). */
  itemCharacters?: number[];
  /** Every text the model sees, item after item (the texts themselves for plain text): what the cost prices. */
  modelTexts?: string[];
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

/** What validation counted of the items. */
interface CountedTexts {
  total: number;
  perItem: number[];
  modelTexts: string[];
}

/**
 * Counts what the model sees of each item and checks it against MAX_CHARACTERS: the text itself, or
 * for html the text runs and translated attribute values (markup is bounded by MAX_BODY_BYTES only).
 * `batch`: the client sent an array, so an item is named by its index (`text[3]`); one string is `text`.
 */
function checkTexts(texts: string[], batch: boolean, limits: Limits, format: TranslateOptions['format'] = 'text'): CountedTexts {
  const counted: CountedTexts = { total: 0, perItem: [], modelTexts: [] };
  texts.forEach((text, index) => {
    const where = batch ? `text[${index}]` : 'text';
    if (isBlankText(text)) {
      throw new AppError('VALIDATION_FAILED', `${where} is empty or only whitespace and invisible characters`);
    }
    const seen = format === 'html' ? htmlModelTexts(checkedHtmlPlan(text, where)) : [text];
    let characters = 0;
    for (const piece of seen) characters += characterCount(piece);
    counted.total += characters;
    counted.perItem.push(characters);
    counted.modelTexts.push(...seen);
  });
  if (counted.total > limits.MAX_CHARACTERS) {
    throw new AppError('TEXT_TOO_LONG', `text has ${counted.total} characters${format === 'html' ? ' of text (markup not counted)' : ''}; the limit is ${limits.MAX_CHARACTERS}`, {
      details: { characters: counted.total, limit: limits.MAX_CHARACTERS },
    });
  }
  return counted;
}

/**
 * The terminology options, checked beyond their schema: no blank term (it would match between
 * words), no glossary source term twice case-insensitively (they are matched so). Empty lists and
 * glossaries are dropped, so they key the cache like absent ones.
 */
function terminologyOptions(options: z.infer<typeof TranslateRequestSchema>['options']): Partial<TranslateOptions> {
  const out: Partial<TranslateOptions> = {};
  const terms = options?.protected_terms;
  if (terms && terms.length > 0) {
    terms.forEach((term, i) => {
      if (isBlankText(term)) throw new AppError('VALIDATION_FAILED', `options.protected_terms[${i}] is blank`);
    });
    out.protected_terms = terms;
  }
  const glossary = options?.glossary;
  if (glossary && Object.keys(glossary).length > 0) {
    const seen = new Map<string, string>();
    for (const source of Object.keys(glossary)) {
      if (isBlankText(source)) throw new AppError('VALIDATION_FAILED', `options.glossary has a blank source term`);
      const folded = source.toLowerCase();
      const earlier = seen.get(folded);
      if (earlier !== undefined) {
        throw new AppError('VALIDATION_FAILED', `options.glossary source term ${JSON.stringify(source)} appears twice (as ${JSON.stringify(earlier)}); terms match case-insensitively`);
      }
      seen.set(folded, source);
    }
    out.glossary = glossary;
  }
  if (options?.glossary_id !== undefined) out.glossary_id = options.glossary_id;
  return out;
}

export function resolveLanguageOrThrow(input: string, field: string): string {
  const code = resolveLanguageCode(input);
  if (code === undefined) throw unsupportedLanguageError(input, field);
  return code;
}

function fieldOf(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * Checks a parsed JSON body in the documented layers (structure → items → characters → languages),
 * so each failure carries its own stable code. Never throws anything but AppError.
 */
export function validateTranslateRequest(body: unknown, limits: Limits): NormalizedTranslateRequest {
  if (hasReservedTerm(fieldOf(fieldOf(body, 'options'), 'glossary'))) throw new AppError('VALIDATION_FAILED', `options.glossary: ${RESERVED_TERM_MESSAGE}`);
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
  const format = options?.format ?? 'text';
  const counted = checkTexts(texts, batch, limits, format);
  const target = resolveLanguageOrThrow(target_language, 'target_language');
  const source = source_language === undefined ? undefined : resolveLanguageOrThrow(source_language, 'source_language');
  const resolvedOptions: TranslateOptions = {
    beam_size: options?.beam_size ?? 1,
    placeholders: options?.placeholders ?? 'auto',
    alternatives: options?.alternatives ?? 0,
    format,
    ...(options?.max_new_tokens ? { max_new_tokens: options.max_new_tokens } : {}),
    ...terminologyOptions(options),
  };
  if (resolvedOptions.beam_size > limits.MAX_BEAMS) {
    throw new AppError('VALIDATION_FAILED', `options.beam_size is ${resolvedOptions.beam_size}; the limit is ${limits.MAX_BEAMS}`);
  }
  // n alternatives need n + 1 beams (the chosen hypothesis and n others).
  if (resolvedOptions.alternatives + 1 > limits.MAX_BEAMS) {
    throw new AppError('VALIDATION_FAILED', `options.alternatives is ${resolvedOptions.alternatives}; with MAX_BEAMS ${limits.MAX_BEAMS} the limit is ${limits.MAX_BEAMS - 1}`);
  }
  return {
    texts,
    batch,
    target,
    source,
    options: resolvedOptions,
    characterCount: counted.total,
    itemCharacters: counted.perItem,
    modelTexts: counted.modelTexts,
  };
}

/**
 * The container's translate validation: the shared one, and `options.glossary_id` refused, since only
 * the edge can resolve a stored glossary (it forwards the resolved entries as `options.glossary`).
 */
export function validateOriginTranslateRequest(body: unknown, limits: Limits): NormalizedTranslateRequest {
  const request = validateTranslateRequest(body, limits);
  if (request.options.glossary_id !== undefined) {
    throw new AppError(
      'VALIDATION_FAILED',
      'options.glossary_id is resolved by the edge, which forwards its entries as options.glossary; send the entries as options.glossary to a standalone container',
      { details: { field: 'options.glossary_id' } },
    );
  }
  return request;
}

export function validateDetectRequest(body: unknown, limits: Limits): NormalizedDetectRequest {
  const parsed = DetectRequestSchema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  const { total } = checkTexts([parsed.data.text], false, limits);
  return { text: parsed.data.text, topK: parsed.data.top_k, characterCount: total };
}

/**
 * LibreTranslate's /translate body (the fields of a JSON object or of a form, shared/libretranslate/body.ts)
 * mapped onto ours, so both APIs share every later check; refusals carry LibreTranslate's messages, in
 * its order (q, source, target, alternatives, languages, format), with status 400 for everything it
 * answers 400 (its text and batch limits included).
 */
export function validateLtTranslateRequest(body: unknown, limits: Limits): NormalizedTranslateRequest {
  const fields = ltFields(body);
  const q = fields.q;
  if (isMissing(q)) throw ltMissing('q');
  if (isMissing(fields.source)) throw ltMissing('source');
  if (isMissing(fields.target)) throw ltMissing('target');
  if (!(typeof q === 'string' || (Array.isArray(q) && q.every((item) => typeof item === 'string')))) {
    throw new AppError('VALIDATION_FAILED', 'Invalid request: q must be a string or an array of strings');
  }
  const alternatives = ltAlternatives(fields.alternatives, limits.MAX_BEAMS - 1);
  const source = ltText(fields.source, 'source');
  const target = ltText(fields.target, 'target');
  const sourceLanguage = source === 'auto' ? undefined : ltLanguage(source);
  const targetLanguage = ltLanguage(target);
  const format = isMissing(fields.format) ? 'text' : String(fields.format);
  if (format !== 'text' && format !== 'html') throw new AppError('VALIDATION_FAILED', `${format} format is not supported`);
  return inLtTerms(() =>
    validateTranslateRequest(
      {
        text: q,
        target_language: targetLanguage,
        ...(sourceLanguage === undefined ? {} : { source_language: sourceLanguage }),
        options: { alternatives, format },
      },
      limits,
    ),
  );
}

/** LibreTranslate's /detect body: one text `q` (a JSON array, LibreTranslate's batch detection, is refused). */
export function validateLtDetectRequest(body: unknown, limits: Limits): NormalizedDetectRequest {
  const q = ltFields(body).q;
  if (isMissing(q)) throw ltMissing('q');
  if (typeof q !== 'string') throw new AppError('VALIDATION_FAILED', 'Invalid request: q must be a string');
  return inLtTerms(() => validateDetectRequest({ text: q, top_k: 3 }, limits));
}

/** The fields of a LibreTranslate body: a JSON object's members, or a form's fields. */
export function ltFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('INVALID_JSON', 'Invalid JSON format');
  return body as Record<string, unknown>;
}

/** Python's `not value`, LibreTranslate's test for a missing parameter: absent, null, '', [], 0 or false. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0 || value === false || (Array.isArray(value) && value.length === 0);
}

export function ltMissing(name: string): AppError {
  return new AppError('VALIDATION_FAILED', `Invalid request: missing ${name} parameter`);
}

/** A parameter that must be text (a form's always is; JSON may send anything). */
export function ltText(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new AppError('VALIDATION_FAILED', `Invalid request: ${name} must be a string`);
  return value;
}

/** LibreTranslate's "X is not supported" for a language neither code scheme knows. */
export function ltLanguage(code: string): string {
  const resolved = resolveLanguageCode(code);
  if (resolved === undefined) {
    throw new AppError('UNSUPPORTED_LANGUAGE', `${code.length > 64 ? `${code.slice(0, 64)}…` : code} is not supported`);
  }
  return resolved;
}

/**
 * `alternatives` as LibreTranslate reads it, Python's `max(0, int(value))`: a whole number, a numeric
 * string (a form's), a JSON number (truncated) or a boolean; anything else is not a number.
 */
function ltAlternatives(value: unknown, limit: number): number {
  let parsed: number;
  if (value === undefined || value === null) parsed = 0;
  else if (typeof value === 'boolean') parsed = value ? 1 : 0;
  else if (typeof value === 'number' && Number.isFinite(value)) parsed = Math.trunc(value);
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) parsed = Number.parseInt(value, 10);
  else throw new AppError('VALIDATION_FAILED', 'Invalid request: alternatives parameter is not a number');
  const alternatives = Math.max(0, parsed);
  if (alternatives > limit) throw new AppError('VALIDATION_FAILED', `Invalid request: alternatives parameter must be <= ${limit}`);
  return alternatives;
}

/**
 * Our checks, refused in LibreTranslate's words: its text and batch limits are 400 "request (n) exceeds
 * text limit (m)", other validation failures say "Invalid request: …". Codes and details stay ours.
 */
function inLtTerms<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'TEXT_TOO_LONG' || err.code === 'BATCH_TOO_LARGE') {
      const size = err.details?.characters ?? err.details?.items;
      return throwAs(err, `Invalid request: request (${String(size)}) exceeds text limit (${String(err.details?.limit)})`);
    }
    if (err.code === 'VALIDATION_FAILED') return throwAs(err, `Invalid request: ${err.message}`);
    throw err;
  }
}

function throwAs(err: AppError, message: string): never {
  throw new AppError(err.code, message, { status: 400, ...(err.details ? { details: err.details } : {}) });
}
