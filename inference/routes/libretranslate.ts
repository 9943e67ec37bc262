import { OpenAPIHono } from '@hono/zod-openapi';
import { ltDetectRoute, ltTranslateRoute } from '../../shared/contract/routes.js';
import {
  validateLtDetectRequest,
  validateLtTranslateRequest,
  type NormalizedDetectRequest,
  type NormalizedTranslateRequest,
} from '../../shared/contract/validate.js';
import { ltDetectAnswer, ltTranslateAnswer } from '../../shared/libretranslate/answer.js';
import { createLtLanguagesApp } from '../../shared/libretranslate/languages-app.js';
import type { ContainerDeps, ContainerEnv } from '../context.js';
import { detectionLog, runDetection } from './detect.js';
import { runTranslation } from './translate.js';
import { requestMeta, validatedBody, type JsonRouteEnv } from './validated.js';

/** POST /translate: LibreTranslate's body, on the same service as /api/v1/translate. */
function ltTranslateRoutes(deps: ContainerDeps): OpenAPIHono<JsonRouteEnv<NormalizedTranslateRequest>> {
  const app = new OpenAPIHono<JsonRouteEnv<NormalizedTranslateRequest>>();
  app.openapi({ ...ltTranslateRoute, middleware: [validatedBody(validateLtTranslateRequest, deps.config.limits)] }, async (c) => {
    const request = c.get('input');
    const { results, log } = await runTranslation(deps, request, requestMeta(c));
    c.set('logDetails', log);
    return c.json(ltTranslateAnswer(results, request), 200);
  });
  return app;
}

/** POST /detect: LibreTranslate's body, on the same detector as /api/v1/detect-language. */
function ltDetectRoutes(deps: ContainerDeps): OpenAPIHono<JsonRouteEnv<NormalizedDetectRequest>> {
  const app = new OpenAPIHono<JsonRouteEnv<NormalizedDetectRequest>>();
  app.openapi({ ...ltDetectRoute, middleware: [validatedBody(validateLtDetectRequest, deps.config.limits)] }, async (c) => {
    const request = c.get('input');
    const answer = await runDetection(deps, request);
    c.set('logDetails', detectionLog(request, answer));
    return c.json(ltDetectAnswer(answer), 200);
  });
  return app;
}

/**
 * The LibreTranslate-compatible routes: POST /translate, POST /detect, GET /languages. Answers are
 * built by the shared builder (shared/libretranslate/) the edge uses too.
 */
export function libreTranslateRoutes(deps: ContainerDeps): OpenAPIHono<ContainerEnv> {
  const app = new OpenAPIHono<ContainerEnv>();
  app.route('/', ltTranslateRoutes(deps));
  app.route('/', ltDetectRoutes(deps));
  app.route('/', createLtLanguagesApp<ContainerEnv>());
  return app;
}
