import { Hono } from 'hono';
import type { LtDetectResponse, LtTranslateResponse } from '../../shared/contract/libretranslate.js';
import { validateLtDetectRequest, validateLtTranslateRequest } from '../../shared/contract/validate.js';
import { ltLanguageCode, ltLanguages } from '../../shared/languages/index.js';
import type { EdgeEnv } from '../context.js';
import { jsonBody } from '../middleware/body.js';
import { rateLimit } from '../ratelimit/middleware.js';
import { translateFlow } from '../services/translate.js';
import { flowContext, methodNotAllowed, validated, type DetectRouteEnv, type TranslateRouteEnv } from './shared.js';

/** LibreTranslate reports confidence in percent. */
const percent = (confidence: number | null): number => Math.round((confidence ?? 0) * 1000) / 10;

/**
 * The LibreTranslate-compatible routes, so existing LibreTranslate clients work unchanged:
 * POST /translate goes through the same cached translate flow and rate limit as /api/v1/translate,
 * POST /detect through the same origin call and rate limit as /api/v1/detect-language, and GET
 * /languages is answered at the edge. LibreTranslate's `api_key` body field works like a Bearer key.
 * Errors use the shared envelope ({"error": {"code", "message", ...}}).
 */
export function createLibreTranslateApp(): Hono<EdgeEnv> {
  const translate = new Hono<TranslateRouteEnv>();
  translate.post('/translate', jsonBody(), validated(validateLtTranslateRequest), rateLimit({ acceptBodyApiKey: true }), async (c) => {
    const request = c.get('input');
    const outcome = await translateFlow(request, flowContext(c));
    const rawBody = c.get('body') as { alternatives?: number };
    const wantsAlternatives = typeof rawBody.alternatives === 'number' && rawBody.alternatives > 0;
    const detected = outcome.results.map((result) => ({ confidence: percent(result.confidence), language: ltLanguageCode(result.source_language) ?? result.source_language }));
    const texts = outcome.results.map((result) => result.translated_text);
    const body: LtTranslateResponse & { alternatives?: string[] | string[][] } = request.batch
      ? {
          translatedText: texts,
          ...(request.source === undefined ? { detectedLanguage: detected } : {}),
          ...(wantsAlternatives ? { alternatives: texts.map(() => []) } : {}),
        }
      : {
          translatedText: texts[0]!,
          ...(request.source === undefined ? { detectedLanguage: detected[0]! } : {}),
          ...(wantsAlternatives ? { alternatives: [] } : {}),
        };
    c.header('X-Cache', outcome.cacheStatus);
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });
  translate.all('/translate', methodNotAllowed('POST'));

  const detect = new Hono<DetectRouteEnv>();
  detect.post('/detect', jsonBody(), validated(validateLtDetectRequest), rateLimit({ acceptBodyApiKey: true }), async (c) => {
    const input = c.get('input');
    const detection = await c.get('services').origin.detect(
      { text: input.text, top_k: input.topK },
      { requestId: c.get('requestId'), clientIp: c.get('clientIp') },
    );
    const seen = new Set<string>();
    const candidates: LtDetectResponse = [];
    const add = (language: string | null, confidence: number) => {
      if (language === null) return;
      const code = ltLanguageCode(language) ?? language;
      if (seen.has(code)) return;
      seen.add(code);
      candidates.push({ confidence: percent(confidence), language: code });
    };
    add(detection.detected_language, detection.confidence);
    for (const alternative of detection.alternatives) add(alternative.language, alternative.confidence);
    c.header('Cache-Control', 'no-store');
    return c.json(candidates);
  });
  detect.all('/detect', methodNotAllowed('POST'));

  const app = new Hono<EdgeEnv>();
  app.route('/', translate as unknown as Hono<EdgeEnv>);
  app.route('/', detect as unknown as Hono<EdgeEnv>);
  app.get('/languages', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.json(ltLanguages());
  });
  app.all('/languages', methodNotAllowed('GET'));
  return app;
}
