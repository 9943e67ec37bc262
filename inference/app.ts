import { Hono } from 'hono';
import { appErrorHandler, createDocsApp, methodNotAllowed, notFoundHandler, requestContext } from '../shared/http/index.js';
import { createLanguagesApp } from '../shared/languages/index.js';
import type { ContainerDeps, ContainerEnv } from './context.js';
import { requireSecret } from './http/auth.js';
import { observe } from './http/observe.js';
import { standaloneRateLimit } from './http/rate-limit.js';
import { detectRoutes } from './routes/detect.js';
import { adminRoutes, healthRoutes, metricsRoutes, statusRoutes } from './routes/operations.js';
import { libreTranslateRoutes, translateRoutes } from './routes/translate.js';

/** Routes that cost model or detector time: the standalone rate limit counts these. */
const LIMITED_ROUTES = ['/api/v1/translate', '/api/v1/detect-language', '/translate', '/detect'];

/**
 * The inference container's HTTP app. Behind the edge, every route but /health and /metrics needs the
 * edge's shared secret; standalone (no secret), the container rate-limits clients itself.
 */
export function createContainerApp(deps: ContainerDeps): Hono<ContainerEnv> {
  const app = new Hono<ContainerEnv>();
  app.use(requestContext());
  app.use(observe(deps));

  // Liveness and scraping stay reachable without the edge secret (metrics has its own token).
  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));

  const secret = deps.config.auth.edgeSharedSecret;
  app.use(requireSecret(secret));
  if (!secret) {
    const limiter = standaloneRateLimit(deps.config.limits.RATE_LIMIT_PER_MINUTE, deps.config.trustProxy);
    for (const path of LIMITED_ROUTES) app.use(path, limiter);
  }

  app.route('/', translateRoutes(deps));
  app.route('/', libreTranslateRoutes(deps));
  app.route('/', detectRoutes(deps));
  app.route('/', statusRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/api/v1', createLanguagesApp());
  app.route('/', createDocsApp<ContainerEnv>('inference'));
  for (const path of LIMITED_ROUTES) app.all(path, methodNotAllowed('POST'));

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
