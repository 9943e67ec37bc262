import { Hono, type Context } from 'hono';
import { validateLtTranslateRequest, validateTranslateRequest, type NormalizedTranslateRequest } from '../../shared/contract/validate.js';
import type { BatchTranslationResponse, TranslationResult } from '../../shared/contract/translate.js';
import { characterCount } from '../../shared/contract/common.js';
import { elapsedSeconds, readJsonBody } from '../../shared/http/index.js';
import { ltLanguageCode } from '../../shared/languages/index.js';
import type { ContainerDeps, ContainerEnv } from '../context.js';
import { translateRequest } from '../service/translation-service.js';

interface Answered {
  results: TranslationResult[];
  model: string;
}

/** Runs a validated request on the live model and builds the per-item results. */
async function answer(c: Context<ContainerEnv>, deps: ContainerDeps, request: NormalizedTranslateRequest): Promise<Answered> {
  const requestId = c.get('requestId');
  const started = c.get('startedAt');
  const { outcome, model } = await deps.model.use(async (runtime) => ({
    outcome: await translateRequest(request, runtime.engine, deps.detection, { signal: c.req.raw.signal }),
    model: runtime.info.label,
  }));
  const totalTime = elapsedSeconds(started);
  const timestamp = new Date().toISOString();
  const results = outcome.items.map((item, i): TranslationResult => {
    const characters = characterCount(request.texts[i]!);
    deps.metrics.recordTranslation(item.source, request.target, characters, totalTime);
    return {
      translated_text: item.translatedText,
      source_language: item.source,
      target_language: request.target,
      detected: item.detected,
      confidence: item.confidence,
      character_count: characters,
      inference_time: outcome.inferenceMs / 1000,
      total_time: totalTime,
      timestamp,
      request_id: requestId,
      cached: false,
      model,
    };
  });
  deps.metrics.generatedTokens.inc(outcome.generatedTokens);
  const sources = [...new Set(results.map((r) => r.source_language))];
  c.set('logDetails', {
    source_language: sources.length === 1 ? sources[0] : 'mixed',
    target_language: request.target,
    character_count: request.characterCount,
    inference_ms: outcome.inferenceMs,
    text: request.texts,
  });
  return { results, model };
}

/** POST /api/v1/translate: one text or a batch, source given or detected per item. */
export function translateRoutes(deps: ContainerDeps): Hono<ContainerEnv> {
  const app = new Hono<ContainerEnv>();
  app.post('/api/v1/translate', async (c) => {
    const request = validateTranslateRequest(await readJsonBody(c, deps.config.limits.MAX_BODY_BYTES), deps.config.limits);
    const { results, model } = await answer(c, deps, request);
    if (!request.batch) return c.json(results[0]!);
    const body: BatchTranslationResponse = {
      results,
      count: results.length,
      character_count: request.characterCount,
      total_time: elapsedSeconds(c.get('startedAt')),
      timestamp: new Date().toISOString(),
      request_id: c.get('requestId'),
      model,
    };
    return c.json(body);
  });
  return app;
}

/** POST /translate: LibreTranslate's body and answer, on the same service. */
export function libreTranslateRoutes(deps: ContainerDeps): Hono<ContainerEnv> {
  const app = new Hono<ContainerEnv>();
  app.post('/translate', async (c) => {
    const request = validateLtTranslateRequest(await readJsonBody(c, deps.config.limits.MAX_BODY_BYTES), deps.config.limits);
    const { results } = await answer(c, deps, request);
    const detected = results.map((r) => ({ confidence: Math.round((r.confidence ?? 1) * 10000) / 100, language: ltLanguageCode(r.source_language) ?? r.source_language }));
    const translatedText = request.batch ? results.map((r) => r.translated_text) : results[0]!.translated_text;
    if (request.source !== undefined) return c.json({ translatedText });
    return c.json({ translatedText, detectedLanguage: request.batch ? detected : detected[0]! });
  });
  return app;
}
