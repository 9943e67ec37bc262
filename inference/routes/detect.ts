import { Hono } from 'hono';
import type { DetectResponse, LtDetectResponse } from '../../shared/contract/index.js';
import { validateDetectRequest, validateLtDetectRequest } from '../../shared/contract/validate.js';
import { elapsedSeconds, readJsonBody } from '../../shared/http/index.js';
import { ltLanguageCode } from '../../shared/languages/index.js';
import type { ContainerDeps, ContainerEnv } from '../context.js';
import { FastTextDetector, toDetectAnswer, type DetectAnswer } from '../lid/index.js';

async function detect(deps: ContainerDeps, text: string, topK: number): Promise<DetectAnswer> {
  const started = performance.now();
  const { candidates } = await deps.detector.detect(text, topK);
  const answer = toDetectAnswer(candidates, {
    minConfidence: deps.config.lid.minConfidence,
    labelStyle: deps.detector instanceof FastTextDetector ? deps.detector.labelStyle : undefined,
  });
  deps.metrics.recordDetection(answer.detected_language, (performance.now() - started) / 1000);
  return answer;
}

/** POST /api/v1/detect-language and LibreTranslate's POST /detect. */
export function detectRoutes(deps: ContainerDeps): Hono<ContainerEnv> {
  const app = new Hono<ContainerEnv>();
  const limits = deps.config.limits;

  app.post('/api/v1/detect-language', async (c) => {
    const request = validateDetectRequest(await readJsonBody(c, limits.MAX_BODY_BYTES), limits);
    const answer = await detect(deps, request.text, request.topK);
    c.set('logDetails', { detected_language: answer.detected_language, character_count: request.characterCount, text: request.text });
    const body: DetectResponse = {
      ...answer,
      character_count: request.characterCount,
      detector: deps.detector.id,
      total_time: elapsedSeconds(c.get('startedAt')),
      timestamp: new Date().toISOString(),
      request_id: c.get('requestId'),
    };
    return c.json(body);
  });

  app.post('/detect', async (c) => {
    const request = validateLtDetectRequest(await readJsonBody(c, limits.MAX_BODY_BYTES), limits);
    const answer = await detect(deps, request.text, request.topK);
    c.set('logDetails', { detected_language: answer.detected_language, character_count: request.characterCount, text: request.text });
    const body: LtDetectResponse = answer.alternatives
      .filter((a) => a.language !== null)
      .map((a) => ({ confidence: Math.round(a.confidence * 10000) / 100, language: ltLanguageCode(a.language!) ?? a.language! }));
    return c.json(body);
  });
  return app;
}
