import { OpenAPIHono } from '@hono/zod-openapi';
import {
  appErrorHandler,
  notFoundHandler,
  registerDocs,
  rejectOtherMethods,
  requestContext,
  validationFailedHook,
} from '../shared/http/index.js';
import { createLanguagesApp } from '../shared/languages/app.js';
import { libreTranslateErrorShape } from '../shared/libretranslate/errors.js';
import { registerLtSpec } from '../shared/libretranslate/spec.js';
import type { ContainerDeps, ContainerEnv } from './context.js';
import { requireSecret } from './http/auth.js';
import { clientKey } from './http/client-key.js';
import { observe } from './http/observe.js';
import { standaloneRateLimit } from './http/rate-limit.js';
import { detectRoutes } from './routes/detect.js';
import { libreTranslateRoutes } from './routes/libretranslate.js';
import { adminRoutes, healthRoutes, metricsRoutes, statusRoutes } from './routes/operations.js';
import { translateRoutes } from './routes/translate.js';

/** Routes that cost model or detector time: the standalone budgets count these. */
const LIMITED_ROUTES = ['/api/v1/translate', '/api/v1/detect-language', '/translate', '/detect'];

/**
 * The inference container's HTTP app. Behind the edge, every route but /health and /metrics needs the
 * edge's shared secret; standalone (no secret), the container charges clients the edge's budgets itself. Every route
 * is registered with `app.openapi`, so GET /openapi.json documents exactly what this app serves, and a
 * known path asked with another method is 405 with Allow.
 */
export function createContainerApp(deps: ContainerDeps): OpenAPIHono<ContainerEnv> {
  const app = new OpenAPIHono<ContainerEnv>({ defaultHook: validationFailedHook });
  app.use(requestContext());
  app.use(observe(deps));
  app.use(libreTranslateErrorShape());

  // Liveness and scraping stay reachable without the edge secret (metrics has its own token), and so
  // does their 405: these paths are guarded before the secret check.
  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  rejectOtherMethods(app);

  const secret = deps.config.auth.edgeSharedSecret;
  app.use(requireSecret(secret));
  // After the secret check: the edge's client headers are believed only from the edge.
  app.use(clientKey({ behindEdge: secret !== undefined, trustProxyHops: deps.config.trustProxy }));
  if (!secret) {
    const limiterFor = standaloneRateLimit({ limits: deps.config.limits });
    for (const path of LIMITED_ROUTES) app.use(path, limiterFor(path));
  }

  app.route('/', translateRoutes(deps));
  app.route('/', libreTranslateRoutes(deps));
  app.route('/', detectRoutes(deps));
  app.route('/', statusRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/api/v1', createLanguagesApp<ContainerEnv>());
  registerDocs(app, { service: 'inference' });
  registerLtSpec(app, { service: 'inference' });
  rejectOtherMethods(app);

  app.onError(
    appErrorHandler((err, c) => {
      c.set('errorCode', err.code);
      if (err.code === 'INTERNAL') deps.logger.error({ err: err.cause ?? err, request_id: c.get('requestId') }, 'unhandled error');
    }),
  );
  app.notFound((c) => {
    c.set('errorCode', 'NOT_FOUND');
    return notFoundHandler()(c);
  });
  return app;
}
