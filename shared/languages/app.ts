import { OpenAPIHono, type RouteConfig, type RouteConfigToTypedResponse } from '@hono/zod-openapi';
import type { Context, Env } from 'hono';
import { AppError } from '../errors.js';
import { validationFailedHook } from '../http/validation-hook.js';
import { REGIONS, type Language, type Region } from '../contract/languages.js';
import { resolveLanguageCode } from './codes.js';
import { LANGUAGES, languageByCode } from './database.js';
import { BodyMemo, ifNoneMatchMatches } from './etag.js';
import {
  africanLanguagesRoute,
  getLanguageRoute,
  languageStatsRoute,
  languagesByRegionRoute,
  listLanguagesRoute,
  popularLanguagesRoute,
  searchLanguagesRoute,
} from './routes.js';
import { searchLanguages } from './search.js';
import { languageStats } from './stats.js';
import { unsupportedLanguageError } from './suggest.js';

/**
 * The language routes as a Hono sub-app, answered entirely from static data (at the edge, never at the
 * container). Mount it with `app.route('/api/v1', createLanguagesApp())`; routes and schemas then appear
 * in the mounting OpenAPIHono's document.
 *
 * It installs no onError: errors are thrown as AppError and rendered by the mounting app's single error
 * handler, so every error has the same envelope and request id. Validation failures are turned into
 * AppError('VALIDATION_FAILED') by validationFailedHook (shared/http/validation-hook.ts) for the same reason.
 */

export const LANGUAGES_CACHE_CONTROL = 'public, max-age=3600, stale-while-revalidate=86400';
export const MIN_SEARCH_QUERY_LENGTH = 2;

// The bodies are static: serialise and hash each one once. The static keys are few (~215); search
// bodies depend on q, so they get a small bound (a body is at most ~60 KB: a few MB in a Worker at most).
const staticBodies = new BodyMemo();
const searchBodies = new BodyMemo(64);

const popular = LANGUAGES.filter((language) => language.popular);
const african = LANGUAGES.filter((language) => language.african);
const list = (languages: readonly Language[]) => ({ languages, count: languages.length });

/** 200 with the memoised body, or 304 when If-None-Match matches; both carry ETag and Cache-Control. */
function send<R extends RouteConfig>(_route: R, c: Context, memo: BodyMemo, key: string, build: () => unknown): RouteConfigToTypedResponse<R> {
  const { body, etag } = memo.get(key, build);
  const headers = { ETag: etag, 'Cache-Control': LANGUAGES_CACHE_CONTROL };
  const response = ifNoneMatchMatches(c.req.header('If-None-Match'), etag)
    ? c.body(null, 304, headers)
    : c.body(body, 200, { ...headers, 'Content-Type': 'application/json; charset=UTF-8' });
  // the body is pre-serialised JSON of exactly the route's 200 schema (the tests validate it)
  return response as unknown as RouteConfigToTypedResponse<R>;
}

const REGION_BY_SLUG: ReadonlyMap<string, Region> = new Map(REGIONS.map((region) => [slug(region), region]));

/** "Middle East", "middle-east", "MIDDLE_EAST" → "middle east". */
function slug(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_-]+/gu, ' ');
}

export function createLanguagesApp<E extends Env = Env>(): OpenAPIHono<E> {
  const app = new OpenAPIHono<E>({ defaultHook: validationFailedHook });

  app.openapi(listLanguagesRoute, (c) => send(listLanguagesRoute, c, staticBodies, 'all', () => list(LANGUAGES)));
  app.openapi(popularLanguagesRoute, (c) => send(popularLanguagesRoute, c, staticBodies, 'popular', () => list(popular)));
  app.openapi(africanLanguagesRoute, (c) => send(africanLanguagesRoute, c, staticBodies, 'african', () => list(african)));

  app.openapi(languagesByRegionRoute, (c) => {
    const { region: input } = c.req.valid('param');
    const region = REGION_BY_SLUG.get(slug(input));
    if (region === undefined) {
      const shown = input.length > 40 ? `${input.slice(0, 40)}…` : input;
      throw new AppError('VALIDATION_FAILED', `unknown region '${shown}'; valid regions: ${REGIONS.join(', ')}`, {
        details: { field: 'region', allowed: [...REGIONS] },
      });
    }
    return send(languagesByRegionRoute, c, staticBodies, `region:${region}`, () =>
      list(LANGUAGES.filter((language) => language.region === region)),
    );
  });

  app.openapi(searchLanguagesRoute, (c) => {
    const { q, limit } = c.req.valid('query');
    const query = q.trim();
    if ([...query].length < MIN_SEARCH_QUERY_LENGTH) {
      throw new AppError('VALIDATION_FAILED', `q must have at least ${MIN_SEARCH_QUERY_LENGTH} characters`, {
        details: { field: 'q' },
      });
    }
    return send(searchLanguagesRoute, c, searchBodies, `${limit ?? ''}\u0000${query}`, () => {
      const results = searchLanguages(query, limit);
      return { query, results, count: results.length };
    });
  });

  app.openapi(languageStatsRoute, (c) => send(languageStatsRoute, c, staticBodies, 'stats', languageStats));

  app.openapi(getLanguageRoute, (c) => {
    const { code } = c.req.valid('param');
    const resolved = resolveLanguageCode(code);
    if (resolved === undefined) throw unsupportedLanguageError(code, undefined, 404);
    return send(getLanguageRoute, c, staticBodies, `code:${resolved}`, () => languageByCode(resolved));
  });

  return app;
}
