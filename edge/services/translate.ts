import { characterCount } from '../../shared/contract/common.js';
import type { BatchTranslationResponse, TranslationResult } from '../../shared/contract/translate.js';
import type { NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import { AppError } from '../../shared/errors.js';
import { elapsedSeconds } from '../../shared/http/request-context.js';
import { resolveLanguageCode } from '../../shared/languages/index.js';
import { autoKey, autoKeyMaterial, resolvedKey, resolvedKeyMaterial } from '../cache/key.js';
import { isWritableLabel, readLabels } from '../cache/model-labels.js';
import type { TranslationCache, TranslationEntry } from '../cache/translation-cache.js';
import type { EdgeServices } from '../context.js';
import { describeError, log } from '../log.js';
import type { OriginTranslateRequest } from '../origin/client.js';
import { SharedCall } from './single-flight.js';

export type CacheStatus = 'HIT' | 'MISS' | 'PARTIAL';

/** A result before the per-request fields (request_id, timestamp, total_time, character_count). */
export type ItemResult = Omit<TranslationResult, 'character_count' | 'total_time' | 'timestamp' | 'request_id'>;

export interface TranslateFlowContext {
  services: EdgeServices;
  cache: TranslationCache;
  /** Work after the response (ctx.waitUntil): cache writes and back-fills. */
  defer: (work: Promise<unknown>) => void;
  requestId: string;
  clientIp: string;
  /** performance.now() when the request arrived (shared requestContext()). */
  startedAt: number;
  /** Aborts when the client goes away (the incoming request's signal); its origin work is then cancelled. */
  signal?: AbortSignal;
}

export interface TranslateOutcome {
  results: TranslationResult[];
  cacheStatus: CacheStatus;
  model: string;
}

interface Lookup {
  text: string;
  hit: ItemResult | undefined;
}

/** A miss, with the key concurrent identical misses share one origin call under (see SingleFlight). */
interface Miss {
  text: string;
  flightKey: string;
}

/**
 * A cache hit. Only clean results are ever stored, so a hit has no warnings and, when its source was
 * detected, a reliable detection (unreliable ones are never cached).
 */
function fromEntry(entry: TranslationEntry, detected: boolean, confidence: number | null): ItemResult {
  return {
    translated_text: entry.translated_text,
    source_language: entry.source_language,
    target_language: entry.target_language,
    detected,
    confidence: detected ? confidence : null,
    reliable: detected ? true : null,
    warnings: [],
    alternatives: entry.alternatives,
    score: entry.score,
    inference_time: 0,
    model: entry.model,
    cached: true,
  };
}

function fromOrigin(result: TranslationResult): ItemResult {
  const { character_count: _characters, total_time: _total, timestamp: _timestamp, request_id: _requestId, ...item } = result;
  return { ...item, cached: false };
}

/**
 * Whether an origin result may be cached: never one with warnings (a possible omission, a truncation,
 * a placeholder fallback: the next request should get a fresh try), never an unreliable detection
 * (the next request should be detected again, not served the guess of this one).
 */
export function isCacheable(result: Pick<TranslationResult, 'warnings' | 'detected' | 'reliable'>): boolean {
  return result.warnings.length === 0 && !(result.detected && result.reliable !== true);
}

/**
 * The cached translate flow, shared by POST /api/v1/translate and LibreTranslate's POST /translate.
 *
 * 1. Every distinct text is looked up in parallel: with an explicit source, under its resolved key;
 *    without one, under its auto key (which records the detected source) and then the resolved key of
 *    that source. A translation is therefore only ever served for the source it was made from.
 * 2. Misses already in flight in this isolate (same key) join that call (single-flight); the remaining
 *    misses go to the origin in ONE request, as an array, in order.
 * 3. Answers are merged back in request order. After the response, validated origin results are
 *    written to both tiers under the model label of the origin that answered (its `model` field): the
 *    resolved key, and for detected items the auto key. Errors, partial answers, results with warnings
 *    and unreliable detections are never written (isCacheable); with MODEL_ID set, neither are other
 *    models' answers.
 *
 * Lookups use the labels of the origins that could answer now (edge/cache/model-labels.ts): one model's
 * cached answer is never served once no origin serves that model, and a fresh isolate that knows no
 * label yet looks up nothing.
 *
 * A client that goes away (ctx.signal) leaves the origin calls it waits for; a call is aborted once all
 * its waiters (this request and any that joined it) have left, and an aborted call is never written back.
 *
 * If the origin call fails, the whole request fails (a batch body has no per-item error), even when
 * some of its items were cached; a request whose items are all cached never calls the origin.
 */
export async function translateFlow(request: NormalizedTranslateRequest, ctx: TranslateFlowContext): Promise<TranslateOutcome> {
  const { config, metrics, clock, origin, singleFlight } = ctx.services;
  const labels = readLabels(origin.servingModels?.() ?? [], config.modelId);
  const { target, source, options } = request;
  const auto = source === undefined;

  const lookupUnder = async (model: string, text: string): Promise<ItemResult | undefined> => {
    if (!auto) {
      const key = await resolvedKey({ model, source, target, options, text });
      const entry = await ctx.cache.getTranslation(key, { model, source, target }, ctx.defer);
      return entry && fromEntry(entry, false, null);
    }
    const key = await autoKey({ model, detector: config.detectorId, target, options, text });
    const detection = await ctx.cache.getAuto(key, { model, detector: config.detectorId, target }, ctx.defer);
    if (!detection) return undefined;
    const detectedSource = detection.source_language;
    const translationKey = await resolvedKey({ model, source: detectedSource, target, options, text });
    const entry = await ctx.cache.getTranslation(translationKey, { model, source: detectedSource, target }, ctx.defer);
    return entry && fromEntry(entry, true, detection.confidence);
  };

  const unique = [...new Set(request.texts)];
  // Community corrections (edge/suggestions/) come before the cache: one read per text, and only while
  // SUGGESTIONS is on and the source is given (a correction is for one source language).
  const corrections = !auto && ctx.services.corrections ? await ctx.services.corrections.find(unique, source, target) : undefined;
  const lookups = await Promise.all(
    unique.map(async (text): Promise<Lookup> => {
      const correction = corrections?.get(text);
      if (correction) return { text, hit: correction };
      for (const model of labels) {
        const hit = await lookupUnder(model, text);
        if (hit) return { text, hit };
      }
      return { text, hit: undefined };
    }),
  );

  const answers = new Map<string, Promise<ItemResult>>();
  const own: Miss[] = [];
  for (const lookup of lookups) {
    if (lookup.hit) {
      answers.set(lookup.text, Promise.resolve(lookup.hit));
      continue;
    }
    // Without a model label: an in-flight origin call answers with whichever model its origin serves.
    const flightKey = auto
      ? autoKeyMaterial({ model: '', detector: config.detectorId, target, options, text: lookup.text })
      : resolvedKeyMaterial({ model: '', source, target, options, text: lookup.text });
    const pending = singleFlight.join(flightKey, ctx.signal) as Promise<ItemResult> | undefined;
    if (pending) {
      metrics.single_flight_joins++;
      answers.set(lookup.text, pending.then((item) => ({ ...item, cached: false })));
    } else {
      own.push({ text: lookup.text, flightKey });
    }
  }

  if (own.length > 0) {
    metrics.cache_misses += own.length;
    const body: OriginTranslateRequest = {
      text: own.map((lookup) => lookup.text),
      target_language: target,
      ...(auto ? {} : { source_language: source }),
      options,
    };
    const shared = new SharedCall(ctx.signal);
    const call = origin
      .translate(body, { requestId: ctx.requestId, clientIp: ctx.clientIp, signal: shared.signal })
      .finally(() => shared.settled())
      .catch((err: unknown) => Promise.reject(inClientTerms(err, own, request)));
    own.forEach((lookup, index) => {
      const item = call.then((response) => fromOrigin(response.results[index]!));
      singleFlight.register(lookup.flightKey, item, shared);
      answers.set(lookup.text, item);
    });
    ctx.defer(
      call.then(
        // An answer that raced the abort is dropped too: nobody asked for it any more.
        (response) => (shared.abandoned ? undefined : writeBack(response, own, request, ctx)),
        () => undefined, // errors (an abort included) are never cached; the request reports them
      ),
    );
  }

  // A client that left stops waiting at once, also for a joined call that others still wait for.
  const items = await untilAborted(Promise.all(request.texts.map((text) => answers.get(text)!)), ctx.signal);
  const hits = items.filter((item) => item.cached).length;
  metrics.cache_hits += hits;
  const timestamp = new Date(clock.now()).toISOString();
  const totalTime = elapsedSeconds(ctx.startedAt);
  const results: TranslationResult[] = items.map((item, index) => ({
    ...item,
    character_count: request.itemCharacters?.[index] ?? characterCount(request.texts[index]!),
    total_time: totalTime,
    timestamp,
    request_id: ctx.requestId,
  }));
  return {
    results,
    cacheStatus: hits === items.length ? 'HIT' : hits === 0 ? 'MISS' : 'PARTIAL',
    model: items.find((item) => !item.cached)?.model ?? items[0]?.model ?? labels[0] ?? config.modelId ?? '',
  };
}

/** `work`, or a rejection as soon as `signal` aborts (the work itself goes on for whoever else waits). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AppError('UPSTREAM_UNAVAILABLE', 'the client went away before the translation was ready', { status: 503 }));
    // `work` is always observed, also when the client has already gone: its later rejection (the
    // aborted origin call) must not surface as an unhandled rejection.
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function writeBack(
  response: BatchTranslationResponse,
  own: readonly Miss[],
  request: NormalizedTranslateRequest,
  ctx: TranslateFlowContext,
): Promise<void> {
  const { config, metrics } = ctx.services;
  const { target, options } = request;
  const writes: Promise<void>[] = [];
  let foreignModel: string | undefined;
  for (const [index, lookup] of own.entries()) {
    const result = response.results[index]!;
    // Keyed by the model that made it: the answering origin's label, whatever the others serve.
    const model = result.model;
    if (!isWritableLabel(model, config.modelId)) {
      foreignModel = model;
      continue;
    }
    if (!isCacheable(result)) {
      metrics.uncacheable_results++;
      continue;
    }
    // Only real FLORES codes of the language database become keys.
    if (resolveLanguageCode(result.source_language) !== result.source_language) continue;
    const entry = {
      model,
      source_language: result.source_language,
      target_language: target,
      translated_text: result.translated_text,
      alternatives: result.alternatives,
      score: result.score,
    };
    const translationKey = await resolvedKey({ model, source: result.source_language, target, options, text: lookup.text });
    writes.push(ctx.cache.putTranslation(translationKey, entry));
    if (request.source === undefined && result.detected) {
      const key = await autoKey({ model, detector: config.detectorId, target, options, text: lookup.text });
      writes.push(
        ctx.cache.putAuto(key, {
          model,
          detector: config.detectorId,
          target_language: target,
          source_language: result.source_language,
          confidence: result.confidence,
        }),
      );
    }
  }
  if (foreignModel !== undefined) {
    metrics.uncacheable_model_responses++;
    log('warn', 'origin_model_mismatch_not_cached', {
      request_id: ctx.requestId,
      expected_model: config.modelId ?? null,
      origin_model: foreignModel.slice(0, 200),
    });
  }
  try {
    await Promise.all(writes);
  } catch (err) {
    log('warn', 'cache_write_failed', { request_id: ctx.requestId, error: describeError(err) });
  }
}

/**
 * The origin sees only this request's misses, as an array, so an item error it reports (e.g. a source
 * it cannot detect: details.item, "text[0]") names the index among the misses. Say it in the client's
 * terms: the item's index in the request, or plain `text` for a single-string request.
 */
function inClientTerms(err: unknown, own: readonly Miss[], request: NormalizedTranslateRequest): unknown {
  if (!(err instanceof AppError) || typeof err.details?.item !== 'number') return err;
  const missIndex = err.details.item;
  const lookup = own[missIndex];
  if (lookup === undefined) return err;
  const clientIndex = request.texts.indexOf(lookup.text);
  const name = request.batch ? `text[${clientIndex}]` : 'text';
  return new AppError(err.code, err.message.replaceAll(`text[${missIndex}]`, name), {
    status: err.status,
    ...(err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds }),
    details: { ...err.details, item: clientIndex },
  });
}
