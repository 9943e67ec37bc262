import type { Context } from 'hono';
import { keyHashOf, withStoredGlossary } from '../glossaries/service.js';
import { translateFlow, type TranslateOutcome } from '../services/translate.js';
import { flowContext, type TranslateRouteEnv } from './shared.js';

/**
 * The cached translate flow of a validated translate request, with the answer's X-Cache and
 * Cache-Control set (both translate routes: /api/v1/translate and LibreTranslate's /translate). The
 * request's signal (aborted when the client goes away; wrangler.toml's enable_request_signal) cancels
 * the origin work nobody else waits for.
 */
export async function translateCached(c: Context<TranslateRouteEnv>): Promise<TranslateOutcome> {
  const request = await withStoredGlossary(c.get('input'), keyHashOf(c.get('client')?.bucket), c.get('services').glossaries);
  const outcome = await translateFlow(request, { ...flowContext(c), signal: c.req.raw.signal });
  c.header('X-Cache', outcome.cacheStatus);
  c.header('Cache-Control', 'no-store');
  return outcome;
}
