import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  createGlossaryRoute,
  deleteGlossaryRoute,
  type GlossaryCreateRequest,
  getGlossaryRoute,
  listGlossariesRoute,
} from '../../shared/contract/glossaries.js';
import { TERMINOLOGY_LIMITS } from '../../shared/contract/terminology.js';
import { AppError } from '../../shared/errors.js';
import { validationFailedHook } from '../../shared/http/validation-hook.js';
import { glossaryInfo, glossaryNotFound, keyHashOf, parseGlossaryCreate, prepareGlossary } from '../glossaries/service.js';
import { rateLimit } from '../ratelimit/middleware.js';
import { validatedBody, type RouteEnv } from './shared.js';

type GlossaryEnv = RouteEnv<GlossaryCreateRequest>;

/** The calling API key's hash (set by rateLimit()); glossaries are a key's, never an IP's. */
function callerKey(c: Context<GlossaryEnv>): string {
  const hash = keyHashOf(c.var.client?.bucket);
  if (hash === undefined) throw new AppError('UNAUTHORIZED', 'glossaries belong to an API key: send Authorization: Bearer <key>');
  return hash;
}

/**
 * /api/v1/glossaries: a key's stored glossaries (create, list, get with entries, delete), each request
 * rate-limited like any other (it costs one request and DETECT_COST work units). Another key's id is
 * GLOSSARY_NOT_FOUND, the same as an id that never existed.
 */
export function createGlossariesApp(): OpenAPIHono<GlossaryEnv> {
  const app = new OpenAPIHono<GlossaryEnv>({ defaultHook: validationFailedHook });

  app.openapi({ ...createGlossaryRoute, middleware: [validatedBody(parseGlossaryCreate), rateLimit()] }, async (c) => {
    const keyHash = callerKey(c);
    const services = c.get('services');
    const { glossary, entries } = await prepareGlossary(c.get('input'), services.clock.now());
    const outcome = await services.glossaries.create(keyHash, glossary, entries, TERMINOLOGY_LIMITS.MAX_GLOSSARIES_PER_KEY);
    if (!outcome.ok) {
      throw new AppError('GLOSSARY_LIMIT_REACHED', `this API key has ${outcome.count} glossaries; the limit is ${TERMINOLOGY_LIMITS.MAX_GLOSSARIES_PER_KEY} (delete one first)`, {
        details: { limit: TERMINOLOGY_LIMITS.MAX_GLOSSARIES_PER_KEY },
      });
    }
    c.header('Location', `/api/v1/glossaries/${glossary.id}`);
    return c.json(glossaryInfo(outcome.glossary), 201);
  });

  app.openapi({ ...listGlossariesRoute, middleware: [rateLimit()] }, async (c) => {
    const glossaries = await c.get('services').glossaries.list(callerKey(c));
    c.header('Cache-Control', 'no-store');
    return c.json({ glossaries: glossaries.map(glossaryInfo) }, 200);
  });

  app.openapi({ ...getGlossaryRoute, middleware: [rateLimit()] }, async (c) => {
    const { id } = c.req.valid('param');
    const stored = await c.get('services').glossaries.get(callerKey(c), id);
    if (stored === null) throw glossaryNotFound(id);
    c.header('Cache-Control', 'no-store');
    return c.json({ ...glossaryInfo(stored.glossary), entries: stored.entries }, 200);
  });

  app.openapi({ ...deleteGlossaryRoute, middleware: [rateLimit()] }, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await c.get('services').glossaries.delete(callerKey(c), id))) throw glossaryNotFound(id);
    return c.body(null, 204);
  });

  return app;
}
