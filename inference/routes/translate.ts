import { OpenAPIHono } from '@hono/zod-openapi';
import { characterCount } from '../../shared/contract/common.js';
import { MODEL_LABEL_HEADER } from '../../shared/contract/model-label.js';
import { translateRoute } from '../../shared/contract/routes.js';
import type { BatchTranslationResponse, TranslationResult } from '../../shared/contract/translate.js';
import { validateOriginTranslateRequest, type NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import { elapsedSeconds } from '../../shared/http/index.js';
import type { ContainerDeps, LogDetails } from '../context.js';
import { translateRequest } from '../service/translation-service.js';
import { requestMeta, validatedBody, type JsonRouteEnv, type RequestMeta } from './validated.js';

export interface TranslationAnswer {
  results: TranslationResult[];
  model: string;
  /** The request's log fields (the route sets them as `logDetails`). */
  log: LogDetails;
}

type TranslateRouteEnv = JsonRouteEnv<NormalizedTranslateRequest>;

/**
 * Runs a validated request on the live model and builds the per-item results (and metrics);
 * POST /api/v1/translate and LibreTranslate's POST /translate answer from it.
 */
export async function runTranslation(deps: ContainerDeps, request: NormalizedTranslateRequest, meta: RequestMeta): Promise<TranslationAnswer> {
  const { outcome, model } = await deps.model.use(async (runtime) => ({
    outcome: await translateRequest(request, runtime.engine, deps.detection, {
      submit: { signal: meta.signal, clientKey: meta.clientKey },
      // The detect route judges detections by the same policy (routes/detect.ts).
      detectionPolicy: { minConfidence: deps.config.lid.minConfidence },
    }),
    model: runtime.info.label,
  }));
  const totalTime = elapsedSeconds(meta.startedAt);
  const timestamp = new Date().toISOString();
  const results = outcome.items.map((item, i): TranslationResult => {
    const characters = request.itemCharacters?.[i] ?? characterCount(request.texts[i]!);
    deps.metrics.recordTranslation(item.source, request.target, characters, totalTime);
    return {
      translated_text: item.translatedText,
      source_language: item.source,
      target_language: request.target,
      detected: item.detected,
      confidence: item.confidence,
      reliable: item.reliable,
      character_count: characters,
      inference_time: outcome.inferenceMs / 1000,
      total_time: totalTime,
      timestamp,
      request_id: meta.requestId,
      cached: false,
      model,
      warnings: item.warnings,
      alternatives: item.alternatives,
      score: item.score,
    };
  });
  deps.metrics.generatedTokens.inc(outcome.generatedTokens);
  const sources = [...new Set(results.map((r) => r.source_language))];
  const log: LogDetails = {
    source_language: sources.length === 1 ? sources[0] : 'mixed',
    target_language: request.target,
    character_count: request.characterCount,
    inference_ms: outcome.inferenceMs,
    text: request.texts,
  };
  return { results, model, log };
}

/** POST /api/v1/translate: one text or a batch, source given or detected per item. */
export function translateRoutes(deps: ContainerDeps): OpenAPIHono<TranslateRouteEnv> {
  const app = new OpenAPIHono<TranslateRouteEnv>();
  const middleware = [validatedBody(validateOriginTranslateRequest, deps.config.limits)];
  app.openapi({ ...translateRoute, middleware }, async (c) => {
    const request = c.get('input');
    const { results, model, log } = await runTranslation(deps, request, requestMeta(c));
    c.set('logDetails', log);
    // The edge keys its cache by the label of the origin that answered (shared/contract/model-label.ts).
    c.header(MODEL_LABEL_HEADER, model);
    if (!request.batch) return c.json(results[0]!, 200);
    const body: BatchTranslationResponse = {
      results,
      count: results.length,
      character_count: request.characterCount,
      total_time: elapsedSeconds(c.get('startedAt')),
      timestamp: new Date().toISOString(),
      request_id: c.get('requestId'),
      model,
    };
    return c.json(body, 200);
  });
  return app;
}
