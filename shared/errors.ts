/**
 * The one error type of the API and the table of stable error codes.
 * Clients switch on `code`; the HTTP status is fixed per code (with the one documented
 * exception that UNSUPPORTED_LANGUAGE is 404 when the language is the resource itself).
 */
export const ERROR_STATUS = {
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  UNSUPPORTED_LANGUAGE: 400,
  UNAUTHORIZED: 401,
  /** POST /suggest or /api/v1/suggestions while the server's SUGGESTIONS setting is off (LibreTranslate's 403). */
  SUGGESTIONS_DISABLED: 403,
  NOT_FOUND: 404,
  GLOSSARY_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  TEXT_TOO_LONG: 413,
  BATCH_TOO_LARGE: 413,
  BODY_TOO_LARGE: 413,
  /** The request's estimated model work alone cannot finish within the container's deadline: split the text or lower beams/alternatives. */
  WORK_TOO_LARGE: 413,
  GLOSSARY_LIMIT_REACHED: 409,
  /** PATCH /api/v1/admin/keys/{id} of a revoked key (edge/keys/errors.ts): a revoked key cannot be changed. */
  KEY_REVOKED: 409,
  GLOSSARY_TOO_LARGE: 413,
  INVALID_DOCUMENT: 400,
  DOCUMENT_NOT_FOUND: 404,
  DOCUMENT_TOO_LARGE: 413,
  UNSUPPORTED_DOCUMENT_FORMAT: 415,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** A client's suggestions (count or characters) for the last 24 hours are spent; Retry-After says when one frees. */
  SUGGESTION_LIMIT_REACHED: 429,
  /** An API key's daily or monthly character quota is spent (429 + Retry-After, not DeepL's 456: see edge/keys/errors.ts). */
  QUOTA_EXCEEDED: 429,
  INTERNAL: 500,
  UPSTREAM_UNAVAILABLE: 502,
  OVERLOADED: 503,
  MODEL_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
  DEADLINE_EXCEEDED: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** Statuses an AppError may carry (the table's, plus 404 and 503 overrides). */
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export interface AppErrorOptions {
  /** Overrides the table's status (e.g. UNSUPPORTED_LANGUAGE as 404, UPSTREAM_UNAVAILABLE as 503). */
  status?: ErrorStatus;
  /** Seconds the client should wait; becomes the Retry-After header. */
  retryAfterSeconds?: number;
  /** Structured, client-safe details (e.g. suggestions for an unknown language). */
  details?: Record<string, unknown>;
  /** Headers the error response must carry (e.g. RateLimit-*). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  readonly retryAfterSeconds: number | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    status: number;
    request_id: string;
    details?: Record<string, unknown>;
  };
}

/** Anything thrown becomes an AppError; unknown errors become INTERNAL without leaking their message. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('INTERNAL', 'internal error', { cause: err });
}

export function errorBody(err: AppError, requestId: string): ErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      status: err.status,
      request_id: requestId,
      ...(err.details ? { details: err.details } : {}),
    },
  };
}

/** The JSON response for an error, with Retry-After where the error knows it. Works in workerd and Node. */
export function errorResponse(err: unknown, requestId: string, extraHeaders: Record<string, string> = {}): Response {
  const appError = toAppError(err);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...appError.headers, ...extraHeaders };
  if (appError.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(appError.retryAfterSeconds)));
  }
  return new Response(JSON.stringify(errorBody(appError, requestId)), { status: appError.status, headers });
}
