import type { MiddlewareHandler } from 'hono';
import { toAppError, type AppError, type ErrorCode } from '../errors.js';

/**
 * LibreTranslate's error answers, on its routes only (/api/v1 keeps the shared envelope): the body is
 * `{"error": "<message>"}` and the status LibreTranslate's for the same refusal. Our stable code travels
 * in the X-Error-Code header, so nothing of the body's shape is added for it.
 */
export const LT_ERROR_CODE_HEADER = 'X-Error-Code';

/** The paths of the LibreTranslate API (app.py's routes); /download_file/<name> is a prefix. */
export const LT_PATHS: readonly string[] = ['/translate', '/detect', '/languages', '/suggest', '/frontend/settings', '/spec', '/translate_file'];
const LT_PATH_PREFIXES: readonly string[] = ['/download_file/'];

export function isLibreTranslatePath(path: string): boolean {
  return LT_PATHS.includes(path) || LT_PATH_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * LibreTranslate answers 400 for every request it cannot take as sent (bad body, missing or bad
 * parameter, its text and batch limits, unsupported language) and 403 for an invalid API key.
 */
const LT_STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  UNSUPPORTED_LANGUAGE: 400,
  UNSUPPORTED_MEDIA_TYPE: 400,
  TEXT_TOO_LONG: 400,
  BATCH_TOO_LARGE: 400,
  // /translate_file: LibreTranslate refuses a bad, unsupported or oversized file with 400 too.
  INVALID_DOCUMENT: 400,
  UNSUPPORTED_DOCUMENT_FORMAT: 400,
  DOCUMENT_TOO_LARGE: 400,
  UNAUTHORIZED: 403,
  KEY_REVOKED: 403,
};

/** LibreTranslate's words where it has its own for the same refusal. */
function ltMessage(err: AppError): string {
  if (err.code === 'RATE_LIMITED' || err.code === 'SUGGESTION_LIMIT_REACHED') return `Slowdown: ${err.message}`;
  if (err.code === 'UNAUTHORIZED' && err.message === 'invalid API key') return 'Invalid API key';
  return err.message;
}

/** The LibreTranslate-shaped response of any thrown value (unknown ones are a 500 that leaks nothing). */
export function ltErrorResponse(thrown: unknown): Response {
  const err = toAppError(thrown);
  const headers: Record<string, string> = {
    ...err.headers,
    'content-type': 'application/json; charset=utf-8',
    [LT_ERROR_CODE_HEADER]: err.code,
  };
  if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfterSeconds)));
  return new Response(JSON.stringify({ error: ltMessage(err) }), { status: LT_STATUS[err.code] ?? err.status, headers });
}

/**
 * App-wide middleware, mounted before the body limit: on a LibreTranslate path, whatever error the
 * app's handler turned into the shared envelope (c.error) is answered in LibreTranslate's shape
 * instead. Headers already on the response (request id, CORS, RateLimit-*) are kept: Hono merges the
 * replaced response's headers into the new one.
 */
export function libreTranslateErrorShape(): MiddlewareHandler {
  return async (c, next) => {
    if (!isLibreTranslatePath(c.req.path)) return next();
    await next();
    if (c.error !== undefined) c.res = ltErrorResponse(c.error);
  };
}
