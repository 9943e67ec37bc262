import { describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../shared/contract/index.js';
import { AppError, ERROR_STATUS, errorResponse, toAppError } from '../../shared/errors.js';

describe('errors', () => {
  it('gives every documented code its fixed status', () => {
    expect(ERROR_STATUS).toMatchObject({
      INVALID_JSON: 400, UNSUPPORTED_MEDIA_TYPE: 415, VALIDATION_FAILED: 400, UNSUPPORTED_LANGUAGE: 400,
      TEXT_TOO_LONG: 413, BATCH_TOO_LARGE: 413, BODY_TOO_LARGE: 413, RATE_LIMITED: 429, UNAUTHORIZED: 401,
      OVERLOADED: 503, MODEL_UNAVAILABLE: 503, UPSTREAM_TIMEOUT: 504, UPSTREAM_UNAVAILABLE: 502, INTERNAL: 500,
    });
  });

  it('renders the shared envelope with Retry-After', async () => {
    const res = errorResponse(new AppError('OVERLOADED', 'queue is full', { retryAfterSeconds: 2.2 }), 'req-1');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    const body = ErrorBodySchema.parse(await res.json());
    expect(body.error).toEqual({ code: 'OVERLOADED', message: 'queue is full', status: 503, request_id: 'req-1' });
  });

  it('never leaks an unknown error message or stack', async () => {
    const res = errorResponse(new Error('secret path /etc/passwd'), 'req-2');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('passwd');
    expect(JSON.parse(text).error.code).toBe('INTERNAL');
    expect(toAppError('x').code).toBe('INTERNAL');
  });

  it('allows the documented status override', () => {
    expect(new AppError('UNSUPPORTED_LANGUAGE', 'x', { status: 404 }).status).toBe(404);
  });
});
