import { OpenAPIHono } from '@hono/zod-openapi';
import {
  libreDetectRoute,
  libreFrontendSettingsRoute,
  libreSuggestRoute,
  libreTranslateRoute,
} from '../../shared/contract/libretranslate-routes.js';
import {
  validateLtDetectRequest,
  validateLtTranslateRequest,
  type NormalizedDetectRequest,
  type NormalizedTranslateRequest,
} from '../../shared/contract/validate.js';
import { AppError } from '../../shared/errors.js';
import type { BodyValidator } from '../../shared/http/validated-body.js';
import type { Limits } from '../../shared/limits.js';
import { ltDetectAnswer, ltTranslateAnswer } from '../../shared/libretranslate/answer.js';
import { ltFrontendSettings } from '../../shared/libretranslate/frontend-settings.js';
import { createLtLanguagesApp } from '../../shared/libretranslate/languages-app.js';
import { ltValidatedBody, type LtBodyOptions } from '../../shared/libretranslate/validated-body.js';
import type { ContainerDeps, ContainerEnv } from '../context.js';
import { detectionLog, runDetection } from './detect.js';
import { runTranslation } from './translate.js';
import { requestMeta, type JsonRouteEnv } from './validated.js';

/** A LibreTranslate route's body layers (JSON, urlencoded, multipart; 413 before parsing) with the container's limits. */
function ltBody<V>(validate: BodyValidator<V>, limits: Limits, options: LtBodyOptions = {}) {
  return ltValidatedBody(validate, () => limits, options);
}

/** POST /translate: LibreTranslate's body kinds, on the same service as /api/v1/translate. */
function ltTranslateRoutes(deps: ContainerDeps): OpenAPIHono<JsonRouteEnv<NormalizedTranslateRequest>> {
  const app = new OpenAPIHono<JsonRouteEnv<NormalizedTranslateRequest>>();
  const middleware = [ltBody(validateLtTranslateRequest, deps.config.limits, { normalize: ['q'] })];
  app.openapi({ ...libreTranslateRoute, middleware }, async (c) => {
    const request = c.get('input');
    const { results, log } = await runTranslation(deps, request, requestMeta(c));
    c.set('logDetails', log);
    return c.json(ltTranslateAnswer(results, request), 200);
  });
  return app;
}

/** POST /detect: LibreTranslate's body kinds, on the same detector as /api/v1/detect-language. */
function ltDetectRoutes(deps: ContainerDeps): OpenAPIHono<JsonRouteEnv<NormalizedDetectRequest>> {
  const app = new OpenAPIHono<JsonRouteEnv<NormalizedDetectRequest>>();
  app.openapi({ ...libreDetectRoute, middleware: [ltBody(validateLtDetectRequest, deps.config.limits)] }, async (c) => {
    const request = c.get('input');
    const answer = await runDetection(deps, request);
    c.set('logDetails', detectionLog(request, answer));
    return c.json(ltDetectAnswer(answer), 200);
  });
  return app;
}

/**
 * POST /suggest and GET /frontend/settings of the container: it stores no suggestions (the edge does),
 * so /suggest answers LibreTranslate's 403 for a server without suggestions, and the settings say so;
 * documents are translated at the edge only.
 */
function ltFrontendRoutes(deps: ContainerDeps): OpenAPIHono<ContainerEnv> {
  const app = new OpenAPIHono<ContainerEnv>();
  app.openapi(libreSuggestRoute, () => {
    throw new AppError('SUGGESTIONS_DISABLED', 'Suggestions are disabled on this server.');
  });
  app.openapi(libreFrontendSettingsRoute, (c) => {
    const settings = ltFrontendSettings({
      charLimit: deps.config.limits.MAX_CHARACTERS,
      apiKeys: false,
      keyRequired: false,
      suggestions: false,
      filesTranslation: false,
      supportedFilesFormat: [],
      acceptLanguage: c.req.header('accept-language'),
    });
    c.header('Vary', 'Accept-Language');
    return c.json(settings, 200);
  });
  return app;
}

/**
 * The LibreTranslate-compatible routes: POST /translate, POST /detect, POST /suggest, GET /languages,
 * GET /frontend/settings (GET /spec is registered beside /openapi.json). Answers are built by the
 * shared builders (shared/libretranslate/) the edge uses too; errors are LibreTranslate's shape
 * (shared/libretranslate/errors.ts, mounted app-wide in inference/app.ts).
 */
export function libreTranslateRoutes(deps: ContainerDeps): OpenAPIHono<ContainerEnv> {
  const app = new OpenAPIHono<ContainerEnv>();
  app.route('/', ltTranslateRoutes(deps));
  app.route('/', ltDetectRoutes(deps));
  app.route('/', ltFrontendRoutes(deps));
  app.route('/', createLtLanguagesApp<ContainerEnv>());
  return app;
}
