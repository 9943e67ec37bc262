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
import { answerModelLabel, servingLabels } from './model-labels.js';

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
  /** The model label of its last answer that reported one (edge/origin/model-labels.ts). */
  model: string | null;
}

/**
 * How an attempt ended. `shed`: the origin is alive but refused the work for now (503 OVERLOADED, 429
 * RATE_LIMITED): not a failure, so it never counts against the breaker nor the retry budget; another
 * origin is asked, and when none takes it the client gets the origin's answer (code and Retry-After).
 */
type Attempt<T> =
  | { ok: true; value: T }
  | { ok: false; error: AppError; next: 'retry' | 'shed' | 'stop' };

const KNOWN_STATUSES = new Set<number>(Object.values(ERROR_STATUS));

/** The half-open probe (GET /health) gets at most this long: a hung origin must not hold the client's request. */
export const PROBE_TIMEOUT_MS = 2000;

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
 * detect are idempotent); each origin has its own circuit breaker (state per isolate). Load shedding
 * (503 OVERLOADED, 429 RATE_LIMITED) is not failure: the next origin is asked, the breaker is untouched.
 * Answers are validated with the shared schemas: garbage is a 502 and never reaches the cache. The
 * caller's signal (meta.signal) aborts the call when nobody waits for it; that says nothing about the
 * origin's health either.
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
      model: null,
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

  servingModels(): string[] {
    return servingLabels(this.origins.map((origin) => ({ model: origin.model, available: origin.breaker.isAvailable() })));
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
    let failedAttempts = 0;
    let lastError: AppError | undefined;
    let shed: AppError | undefined;
    for (const origin of this.rotated()) {
      if (failedAttempts === 2) break;
      if (!origin.breaker.tryAcquire()) continue;
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) {
        origin.breaker.release();
        throw this.timeoutError();
      }
      if (origin.breaker.probing) {
        const down = await this.probe(origin, Math.min(remaining, PROBE_TIMEOUT_MS), meta.signal);
        if (down !== undefined) {
          if (meta.signal?.aborted) throw down;
          // Still down: the client's request was not sent there, so it costs no retry; the next origin is asked.
          lastError = down;
          continue;
        }
      }
      const outcome = await this.attempt(origin, path, body, meta, accept, remaining);
      if (outcome.ok) return outcome.value;
      if (outcome.next === 'shed') {
        shed = outcome.error;
        continue;
      }
      failedAttempts++;
      lastError = outcome.error;
      if (outcome.next === 'stop') throw outcome.error;
    }
    // An origin that shed load is alive and said when to come back: that is the most useful answer.
    if (shed !== undefined) throw shed;
    if (lastError === undefined) {
      // Every circuit is open: fail fast, and say when the first one will admit a probe.
      throw new AppError('UPSTREAM_UNAVAILABLE', 'no translation origin is available (circuit open)', {
        status: 503,
        retryAfterSeconds: this.retryAfterSeconds() ?? 1,
      });
    }
    if (lastError.code === 'UPSTREAM_UNAVAILABLE' && lastError.status === 503 && lastError.retryAfterSeconds === undefined) {
      // The first 503s after a container dies come before its circuit opens: say "retry in 1 s" then,
      // the remaining cool-down once a circuit is open.
      throw new AppError(lastError.code, lastError.message, { status: 503, retryAfterSeconds: this.retryAfterSeconds() ?? 1 });
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
    origin.lastLatencyMs = this.clock.now() - started;
    origin.breaker.onFailure(origin.lastLatencyMs);
    origin.lastError = detail.slice(0, 200);
    log('warn', 'origin_failure', { origin: origin.url, code: error.code, detail: origin.lastError, circuit: origin.breaker.circuit });
    return { ok: false, error, next: retryable ? 'retry' : 'stop' };
  }

  /** The origin shed the work (alive, busy): neither a failure nor a success for its breaker. */
  private shedBy<T>(origin: Origin, latencyMs: number, error: AppError, detail: string): Attempt<T> {
    origin.breaker.release();
    origin.lastLatencyMs = latencyMs;
    origin.lastError = detail;
    log('info', 'origin_shed_load', { origin: origin.url, code: error.code, retry_after: error.retryAfterSeconds ?? null });
    return { ok: false, error, next: 'shed' };
  }

  /**
   * The half-open probe: GET /health, bounded by `timeoutMs`. A 2xx leaves the breaker half-open with
   * the probe still reserved, so the client's request that follows is the call whose outcome closes it
   * (or re-opens it); anything else re-opens it for the next, longer wait (breaker.ts) and returns the
   * 503 the client gets if no other origin serves it.
   */
  private async probe(origin: Origin, timeoutMs: number, clientSignal: AbortSignal | undefined): Promise<AppError | undefined> {
    const started = this.clock.now();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = clientSignal === undefined ? timeout : AbortSignal.any([timeout, clientSignal]);
    let detail: string;
    try {
      const response = await this.fetcher(`${origin.url}/health`, { method: 'GET', headers: { accept: 'application/json' }, signal });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return undefined;
      detail = `probe: HTTP ${response.status}`;
    } catch (err) {
      if (clientSignal?.aborted) {
        origin.breaker.release();
        return new AppError('UPSTREAM_UNAVAILABLE', 'the client went away before the origin answered', { status: 503 });
      }
      detail = timeout.aborted ? 'probe: timeout' : `probe: unreachable: ${describeError(err)}`;
    }
    const error = new AppError('UPSTREAM_UNAVAILABLE', 'the translation origin is unreachable', { status: 503 });
    this.fail(origin, started, error, true, detail);
    return error;
  }

  /** The caller went away: the answer is not wanted, and the origin's health is unknown. */
  private abandoned<T>(origin: Origin): Attempt<T> {
    origin.breaker.release();
    return { ok: false, error: new AppError('UPSTREAM_UNAVAILABLE', 'the client went away before the origin answered', { status: 503 }), next: 'stop' };
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
    const timeout = AbortSignal.timeout(remainingMs);
    const signal = meta.signal === undefined ? timeout : AbortSignal.any([timeout, meta.signal]);
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
      if (meta.signal?.aborted) return this.abandoned(origin);
      if (timeout.aborted) return this.fail(origin, started, this.timeoutError(), false, 'timeout');
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
      origin.model = answerModelLabel(response, data) ?? origin.model;
      return { ok: true, value: accepted };
    }

    const envelope = ErrorBodySchema.safeParse(parseJson(text));
    const originError = envelope.success ? envelope.data.error : undefined;
    const retryAfter = retryAfterHeader(response, this.clock.now());
    const detail = `HTTP ${response.status}${originError ? ` ${originError.code}` : ''}`;

    if (response.status === 503 && originError?.code === 'OVERLOADED') {
      const error = new AppError('OVERLOADED', originError.message, retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter });
      return this.shedBy(origin, latency, error, detail);
    }

    if (response.status >= 500) {
      const retryable = response.status === 502 || response.status === 503;
      let error: AppError;
      const code = originError?.code as ErrorCode | undefined;
      if (code !== undefined && (code === 'MODEL_UNAVAILABLE' || code === 'DEADLINE_EXCEEDED' || code === 'UPSTREAM_TIMEOUT')) {
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

    if (response.status === 429 && originError?.code === 'RATE_LIMITED') {
      const error = new AppError('RATE_LIMITED', originError.message, {
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
        ...(originError.details ? { details: originError.details } : {}),
      });
      return this.shedBy(origin, latency, error, detail);
    }

    // Any other 4xx says the origin is alive: it counts as a success for the breaker.
    origin.breaker.onSuccess();
    origin.lastLatencyMs = latency;
    origin.lastError = detail;
    if (response.status === 401 || response.status === 403) {
      log('error', 'origin_rejected_edge_secret', { origin: origin.url, status: response.status, hint: 'EDGE_SHARED_SECRET differs from the container' });
      return { ok: false, error: new AppError('UPSTREAM_UNAVAILABLE', 'the translation origin refused the edge'), next: 'stop' };
    }
    if (originError === undefined) {
      return { ok: false, error: new AppError('UPSTREAM_UNAVAILABLE', `the translation origin answered HTTP ${response.status}`), next: 'stop' };
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
      next: 'stop',
    };
  }
}
