import { OpenAPIHono } from '@hono/zod-openapi';
import type { DetectResponse } from '../../shared/contract/detect.js';
import { detectRoute } from '../../shared/contract/routes.js';
import { validateDetectRequest, type NormalizedDetectRequest } from '../../shared/contract/validate.js';
import { elapsedSeconds } from '../../shared/http/index.js';
import type { ContainerDeps, LogDetails } from '../context.js';
import { FastTextDetector, toDetectAnswer, type DetectAnswer } from '../lid/index.js';
import { validatedBody, type JsonRouteEnv } from './validated.js';

/**
 * Detects a validated request's language (and records the metric); POST /api/v1/detect-language and
 * LibreTranslate's POST /detect answer from it. The request's log fields are detectionLog's.
 */
export async function runDetection(deps: ContainerDeps, request: NormalizedDetectRequest): Promise<DetectAnswer> {
  const started = performance.now();
  const { candidates } = await deps.detector.detect(request.text, request.topK);
  const answer = toDetectAnswer(candidates, {
    minConfidence: deps.config.lid.minConfidence,
    labelStyle: deps.detector instanceof FastTextDetector ? deps.detector.labelStyle : undefined,
  });
  deps.metrics.recordDetection(answer.detected_language, (performance.now() - started) / 1000);
  return answer;
}

export function detectionLog(request: NormalizedDetectRequest, answer: DetectAnswer): LogDetails {
  return { detected_language: answer.detected_language, character_count: request.characterCount, text: request.text };
}

/** POST /api/v1/detect-language. */
export function detectRoutes(deps: ContainerDeps): OpenAPIHono<JsonRouteEnv<NormalizedDetectRequest>> {
  const app = new OpenAPIHono<JsonRouteEnv<NormalizedDetectRequest>>();
  const middleware = [validatedBody(validateDetectRequest, deps.config.limits)];
  app.openapi({ ...detectRoute, middleware }, async (c) => {
    const request = c.get('input');
    const answer = await runDetection(deps, request);
    c.set('logDetails', detectionLog(request, answer));
    const body: DetectResponse = {
      ...answer,
      character_count: request.characterCount,
      detector: deps.detector.id,
      total_time: elapsedSeconds(c.get('startedAt')),
      timestamp: new Date().toISOString(),
      request_id: c.get('requestId'),
    };
    return c.json(body, 200);
  });
  return app;
}
