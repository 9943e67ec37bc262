import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AppError, errorResponse } from '../../../shared/errors.js';
import { appErrorHandler } from '../../../shared/http/errors.js';
import { LT_ERROR_CODE_HEADER, isLibreTranslatePath, libreTranslateErrorShape, ltErrorResponse } from '../../../shared/libretranslate/errors.js';

async function shape(err: unknown): Promise<{ status: number; body: unknown; code: string | null; retryAfter: string | null }> {
  const response = ltErrorResponse(err);
  return { status: response.status, body: await response.json(), code: response.headers.get(LT_ERROR_CODE_HEADER), retryAfter: response.headers.get('retry-after') };
}

describe('ltErrorResponse', () => {
  it("answers LibreTranslate's statuses and words: 400 for bad requests and its limits, 403 for a key, 429 Slowdown", async () => {
    expect(await shape(new AppError('TEXT_TOO_LONG', 'too long'))).toEqual({ status: 400, body: { error: 'too long' }, code: 'TEXT_TOO_LONG', retryAfter: null });
    expect((await shape(new AppError('UNSUPPORTED_MEDIA_TYPE', 'x'))).status).toBe(400);
    expect(await shape(new AppError('UNAUTHORIZED', 'invalid API key'))).toMatchObject({ status: 403, body: { error: 'Invalid API key' } });
    expect(await shape(new AppError('RATE_LIMITED', '60 per 1 minute', { retryAfterSeconds: 12.2 }))).toEqual({
      status: 429, body: { error: 'Slowdown: 60 per 1 minute' }, code: 'RATE_LIMITED', retryAfter: '13',
    });
    expect((await shape(new AppError('BODY_TOO_LARGE', 'big'))).status).toBe(413);
    expect((await shape(new AppError('OVERLOADED', 'busy', { retryAfterSeconds: 1 }))).retryAfter).toBe('1');
  });

  it('an unknown error is a 500 that says nothing of it', async () => {
    const answer = await shape(new Error('secret /etc/passwd'));
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('passwd');
  });
});

describe('libreTranslateErrorShape', () => {
  const app = new Hono();
  app.onError(appErrorHandler());
  app.use('*', libreTranslateErrorShape());
  app.use('*', async (c, next) => {
    // as Hono's CORS middleware does: on the response before the handler runs
    c.res.headers.set('x-kept', 'yes');
    if (c.req.header('x-fail-early')) throw new AppError('BODY_TOO_LARGE', 'request body is larger than 10 bytes');
    await next();
  });
  for (const path of ['/translate', '/api/v1/translate', '/download_file/abc.txt']) {
    app.post(path, () => {
      throw new AppError('VALIDATION_FAILED', 'bad', { headers: { 'RateLimit-Limit': '5' } });
    });
  }

  it('reshapes errors on LibreTranslate paths only, keeping the headers already set, also for errors of earlier middleware', async () => {
    const lt = await app.request('/translate', { method: 'POST' });
    expect(lt.status).toBe(400);
    expect(await lt.json()).toEqual({ error: 'bad' });
    expect(lt.headers.get('x-kept')).toBe('yes');
    expect(lt.headers.get('ratelimit-limit')).toBe('5');
    expect(lt.headers.get('content-type')).toContain('application/json');
    const early = await app.request('/translate', { method: 'POST', headers: { 'x-fail-early': '1' } });
    expect(await early.json()).toEqual({ error: 'request body is larger than 10 bytes' });
    const api = await app.request('/api/v1/translate', { method: 'POST' });
    expect(await api.json()).toEqual(await errorResponse(new AppError('VALIDATION_FAILED', 'bad'), 'unknown').json());
    expect(await (await app.request('/download_file/abc.txt', { method: 'POST' })).json()).toEqual({ error: 'bad' });
  });

  it('knows the LibreTranslate paths', () => {
    expect(['/translate', '/detect', '/languages', '/suggest', '/frontend/settings', '/spec', '/translate_file', '/download_file/x.srt'].every(isLibreTranslatePath)).toBe(true);
    expect(['/api/v1/translate', '/translates', '/', '/download_file'].some(isLibreTranslatePath)).toBe(false);
  });
});
