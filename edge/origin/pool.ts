import { ErrorBodySchema } from '../../shared/contract/common.js';
import { DetectResponseSchema, type DetectResponse } from '../../shared/contract/detect.js';
import { CLIENT_IP_HEADER, EDGE_SECRET_HEADER, REQUEST_ID_HEADER } from '../../shared/contract/headers.js';
import type { OriginState } from '../../shared/contract/health.js';
import { BatchTranslationResponseSchema, type BatchTranslationResponse } from '../../shared/contract/translate.js';
import { AppError, ERROR_STATUS, type ErrorCode, type ErrorStatus } from '../../shared/errors.js';
import type { Clock } from '../clock.js';
import { describeError, log } from '../log.js';
import { CircuitBreaker } from './breaker.js';
import type { OriginCallMeta, OriginClient, OriginDetectRequest, OriginTranslateRequest } from './client.js';

export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

export interface OriginPoolOptions {
  urls: readonly string[];
  /** Bound on one call, retry included (AbortSignal.timeout on what is left of it). */
  timeoutMs: number;
  sharedSecret: string | undefined;
  failureThreshold: number;
  cooldownMs: number;
}

interface Origin {
  url: string;
  breaker: CircuitBreaker;
  lastLatencyMs: number | null;
  lastError: string | null;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: AppError; retryable: boolean };

const KNOWN_STATUSES = new Set<number>(Object.values(ERROR_STATUS));

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds: delta-seconds, or an HTTP date measured against `now`. */
function retryAfterHeader(response: Response, now: number): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * The origin pool: one or more containers, tried in rotation. Every call is bounded by
 * ORIGIN_TIMEOUT_MS; a connect failure or a 502/503 is retried once on another origin (translate and
 * detect are idempotent); each origin has its own circuit breaker (state per isolate). Answers are
 * validated with the shared schemas: garbage is a 502 and never reaches the cache.
 */
export class OriginPool implements OriginClient {
  private readonly origins: Origin[];
  private rotation = 0;

  constructor(
    private readonly options: OriginPoolOptions,
    private readonly fetcher: Fetcher,
    private readonly clock: Clock,
  ) {
    this.origins = options.urls.map((url) => ({
      url,
      breaker: new CircuitBreaker({ failureThreshold: options.failureThreshold, cooldownMs: options.cooldownMs }, clock),
      lastLatencyMs: null,
      lastError: null,
    }));
  }

  states(): OriginState[] {
    return this.origins.map((origin) => ({
      url: origin.url,
      circuit: origin.breaker.circuit,
      consecutive_failures: origin.breaker.failures,
      last_latency_ms: origin.lastLatencyMs,
      last_error: origin.lastError,
    }));
  }

  translate(body: OriginTranslateRequest, meta: OriginCallMeta): Promise<BatchTranslationResponse> {
    return this.call('/api/v1/translate', body, meta, (data) => {
      const parsed = BatchTranslationResponseSchema.safeParse(data);
      if (!parsed.success) return `response does not match BatchTranslationResponse: ${parsed.error.issues[0]?.message ?? ''}`;
      const response = parsed.data;
      if (response.results.length !== body.text.length) {
        return `origin returned ${response.results.length} results for ${body.text.length} texts`;
      }
      for (const result of response.results) {
        if (result.target_language !== body.target_language) return `origin translated into ${result.target_language}, not ${body.target_language}`;
        if (body.source_language !== undefined && result.source_language !== body.source_language) {
          return `origin translated from ${result.source_language}, not ${body.source_language}`;
        }
      }
      return response;
    });
  }

  detect(body: OriginDetectRequest, meta: OriginCallMeta): Promise<DetectResponse> {
    return this.call('/api/v1/detect-language', body, meta, (data) => {
      const parsed = DetectResponseSchema.safeParse(data);
      return parsed.success ? parsed.data : `response does not match DetectResponse: ${parsed.error.issues[0]?.message ?? ''}`;
    });
  }

  /** Origins in rotation order, starting one further on each call. */
  private rotated(): Origin[] {
    const start = this.rotation++ % this.origins.length;
    return [...this.origins.slice(start), ...this.origins.slice(0, start)];
  }

  private async call<T>(path: string, body: unknown, meta: OriginCallMeta, accept: (data: unknown) => T | string): Promise<T> {
    const deadline = this.clock.now() + this.options.timeoutMs;
    let attempts = 0;
    let lastError: AppError | undefined;
    for (const origin of this.rotated()) {
      if (attempts === 2) break;
      if (!origin.breaker.tryAcquire()) continue;
      attempts++;
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) {
        origin.breaker.release();
        throw this.timeoutError();
      }
      const outcome = await this.attempt(origin, path, body, meta, accept, remaining);
      if (outcome.ok) return outcome.value;
      lastError = outcome.error;
      if (!outcome.retryable) throw outcome.error;
    }
    if (lastError === undefined) {
      // Every circuit is open: fail fast, and say when the first one will admit a probe.
      throw new AppError('UPSTREAM_UNAVAILABLE', 'no translation origin is available (circuit open)', {
        status: 503,
        retryAfterSeconds: this.retryAfterSeconds() ?? 1,
      });
    }
    if (lastError.code === 'UPSTREAM_UNAVAILABLE' && lastError.retryAfterSeconds === undefined) {
      const retryAfter = this.retryAfterSeconds();
      if (retryAfter !== undefined) {
        throw new AppError(lastError.code, lastError.message, { status: lastError.status, retryAfterSeconds: retryAfter });
      }
    }
    throw lastError;
  }

  /** Seconds until the first open circuit admits a probe, when one is open. */
  private retryAfterSeconds(): number | undefined {
    const open = this.origins.map((origin) => origin.breaker.cooldownRemainingMs()).filter((ms) => ms > 0);
    return open.length ? Math.max(1, Math.ceil(Math.min(...open) / 1000)) : undefined;
  }

  private timeoutError(): AppError {
    return new AppError('UPSTREAM_TIMEOUT', `the translation origin did not answer within ${this.options.timeoutMs} ms`);
  }

  private fail<T>(origin: Origin, started: number, error: AppError, retryable: boolean, detail: string): Attempt<T> {
    origin.breaker.onFailure();
    origin.lastLatencyMs = this.clock.now() - started;
    origin.lastError = detail.slice(0, 200);
    log('warn', 'origin_failure', { origin: origin.url, code: error.code, detail: origin.lastError, circuit: origin.breaker.circuit });
    return { ok: false, error, retryable };
  }

  private async attempt<T>(
    origin: Origin,
    path: string,
    body: unknown,
    meta: OriginCallMeta,
    accept: (data: unknown) => T | string,
    remainingMs: number,
  ): Promise<Attempt<T>> {
    const started = this.clock.now();
    const signal = AbortSignal.timeout(remainingMs);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      [REQUEST_ID_HEADER]: meta.requestId,
      [CLIENT_IP_HEADER]: meta.clientIp,
    };
    if (this.options.sharedSecret !== undefined) headers[EDGE_SECRET_HEADER] = this.options.sharedSecret;

    let response: Response;
    let text: string;
    try {
      response = await this.fetcher(origin.url + path, { method: 'POST', headers, body: JSON.stringify(body), signal });
      text = await Promise.race([response.text(), abortPromise(signal)]);
    } catch (err) {
      if (signal.aborted) return this.fail(origin, started, this.timeoutError(), false, 'timeout');
      return this.fail(
        origin,
        started,
        new AppError('UPSTREAM_UNAVAILABLE', 'the translation origin is unreachable', { status: 503 }),
        true,
        `unreachable: ${describeError(err)}`,
      );
    }
    const latency = this.clock.now() - started;

    if (response.ok) {
      const data = parseJson(text);
      const accepted = data === undefined ? 'response is not JSON' : accept(data);
      if (typeof accepted === 'string') {
        return this.fail(origin, started, new AppError('UPSTREAM_UNAVAILABLE', 'the translation origin sent an invalid response'), false, `garbage: ${accepted}`);
      }
      origin.breaker.onSuccess();
      origin.lastLatencyMs = latency;
      origin.lastError = null;
      return { ok: true, value: accepted };
    }

    const envelope = ErrorBodySchema.safeParse(parseJson(text));
    const originError = envelope.success ? envelope.data.error : undefined;
    const retryAfter = retryAfterHeader(response, this.clock.now());
    const detail = `HTTP ${response.status}${originError ? ` ${originError.code}` : ''}`;

    if (response.status >= 500) {
      const retryable = response.status === 502 || response.status === 503;
      let error: AppError;
      const code = originError?.code as ErrorCode | undefined;
      if (code !== undefined && (code === 'OVERLOADED' || code === 'MODEL_UNAVAILABLE' || code === 'DEADLINE_EXCEEDED' || code === 'UPSTREAM_TIMEOUT')) {
        error = new AppError(code, originError!.message, retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter });
      } else if (response.status === 504) {
        error = new AppError('UPSTREAM_TIMEOUT', 'the translation origin timed out');
      } else {
        error = new AppError('UPSTREAM_UNAVAILABLE', `the translation origin failed (HTTP ${response.status})`, {
          status: response.status === 503 ? 503 : 502,
          ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
        });
      }
      return this.fail(origin, started, error, retryable, detail);
    }

    // A 4xx says the origin is alive: it counts as a success for the breaker.
    origin.breaker.onSuccess();
    origin.lastLatencyMs = latency;
    origin.lastError = detail;
    if (response.status === 401 || response.status === 403) {
      log('error', 'origin_rejected_edge_secret', { origin: origin.url, status: response.status, hint: 'EDGE_SHARED_SECRET differs from the container' });
      return { ok: false, error: new AppError('UPSTREAM_UNAVAILABLE', 'the translation origin refused the edge'), retryable: false };
    }
    if (originError === undefined) {
      return { ok: false, error: new AppError('UPSTREAM_UNAVAILABLE', `the translation origin answered HTTP ${response.status}`), retryable: false };
    }
    const code = originError.code as ErrorCode;
    const status = (KNOWN_STATUSES.has(response.status) ? response.status : ERROR_STATUS[code]) as ErrorStatus;
    return {
      ok: false,
      error: new AppError(code, originError.message, {
        status,
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
        ...(originError.details ? { details: originError.details } : {}),
      }),
      retryable: false,
    };
  }
}
