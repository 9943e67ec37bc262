/**
 * The deterministic heart of the fake inference container, in web-standard JS only (Request/Response),
 * so the same contract runs inside workerd (as an injected fetch, test/edge/) and behind a real Node
 * HTTP server on 127.0.0.1 (test/support/fake-origin.ts, test/edge-flow/, bench/edge.ts).
 *
 * Contract (the container's): POST /api/v1/translate with a TranslateRequest → BatchTranslationResponse
 * (or a TranslationResult for a string), POST /api/v1/detect-language → DetectResponse, GET /health,
 * GET /status; errors in the shared envelope.
 *
 * Deterministic output: translated_text = `[<source>><target>] <the words in reverse order>`, so a test
 * can see which source a translation was made from. Detection: a tiny keyword rule (fakeDetect).
 */

export const FAKE_MODEL_ID = 'sema-fake/nllb-200@test';
export const FAKE_DETECTOR = 'fake-keyword-lid';

export interface Detection {
  language: string;
  confidence: number;
}

const KEYWORDS: ReadonlyArray<readonly [RegExp, string, number]> = [
  [/\b(habari|asante|jambo|karibu|ndiyo|rafiki)\b/i, 'swh_Latn', 0.93],
  [/\b(bonjour|merci|oui|ami)\b/i, 'fra_Latn', 0.91],
  [/\b(sawubona|ngiyabonga|yebo)\b/i, 'zul_Latn', 0.72],
  [/\b(hola|gracias|amigo)\b/i, 'spa_Latn', 0.9],
];

/** The fake's reliability rule, the container's default threshold (LID_MIN_CONFIDENCE 0.5). */
export const FAKE_MIN_CONFIDENCE = 0.5;

/**
 * A text containing this word comes back with the warning `possible_omission`, as the container's
 * omission guard would say it (so edge tests can check that such results are never cached).
 */
export const FAKE_OMISSION_MARKER = 'OMITME';

/** Without source_language, a text containing this word cannot be detected: 400 UNSUPPORTED_LANGUAGE naming its item, as the container says it. */
export const FAKE_UNDETECTABLE_MARKER = 'UNDETECTABLE';

/** The fake's detection rule: a keyword decides, else English with confidence 0.6; "unsure" → 0.2. */
export function fakeDetect(text: string): Detection {
  for (const [pattern, language, confidence] of KEYWORDS) if (pattern.test(text)) return { language, confidence };
  if (/\bunsure\b/i.test(text)) return { language: 'eng_Latn', confidence: 0.2 };
  return { language: 'eng_Latn', confidence: 0.6 };
}

export function fakeTranslate(text: string, source: string, target: string): string {
  return `[${source}>${target}] ${text.split(/\s+/).filter(Boolean).reverse().join(' ')}`;
}

export interface FakeOriginKnobs {
  /** Wait this long before answering (aborts when the caller gives up). */
  delayMs: number;
  /** Answer every API call with this status and an error envelope. */
  status: number | undefined;
  /** The envelope's code for `status` (default by status). */
  errorCode: string | undefined;
  /** Retry-After header value (seconds) on `status` answers. */
  retryAfter: number | undefined;
  /** Answer 200 with a body that is not the contract. */
  garbage: boolean;
  /** Drop the connection without answering (Node server: destroys the socket; in-process: throws). */
  closeSocket: boolean;
  /** The `model` field of results. */
  model: string;
  /** Return one result fewer than asked for (a partial answer). */
  dropLastResult: boolean;
  /** Detection rule. */
  detect: (text: string) => Detection;
  /** When set, translate/detect require this x-sema-edge-secret. */
  secret: string | undefined;
}

export interface ReceivedCall {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

export class DropConnection extends Error {
  constructor() {
    super('fake origin drops the connection');
    this.name = 'DropConnection';
  }
}

const DEFAULT_CODES: Record<number, string> = { 400: 'VALIDATION_FAILED', 401: 'UNAUTHORIZED', 429: 'RATE_LIMITED', 500: 'INTERNAL', 502: 'UPSTREAM_UNAVAILABLE', 503: 'OVERLOADED', 504: 'DEADLINE_EXCEEDED' };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

export function defaultKnobs(): FakeOriginKnobs {
  return {
    delayMs: 0,
    status: undefined,
    errorCode: undefined,
    retryAfter: undefined,
    garbage: false,
    closeSocket: false,
    model: FAKE_MODEL_ID,
    dropLastResult: false,
    detect: fakeDetect,
    secret: undefined,
  };
}

export class FakeOriginLogic {
  knobs: FakeOriginKnobs = defaultKnobs();
  /** `aborted`: calls whose caller gave up while the fake was still working on them (during `delayMs`). */
  readonly calls = { translate: 0, detect: 0, health: 0, total: 0, aborted: 0 };
  readonly received: ReceivedCall[] = [];
  /** Texts the fake has translated, in order (one entry per item). */
  readonly translatedTexts: string[] = [];

  constructor(readonly name = 'fake-origin') {}

  reset(): void {
    this.knobs = defaultKnobs();
    this.calls.translate = this.calls.detect = this.calls.health = this.calls.total = this.calls.aborted = 0;
    this.received.length = 0;
    this.translatedTexts.length = 0;
  }

  /** Answers one request; throws DropConnection for `closeSocket`, rejects when `signal` aborts during the delay. */
  async handle(request: Request, signal?: AbortSignal): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const text = request.method === 'POST' ? await request.text() : '';
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    this.calls.total++;
    if (path === '/api/v1/translate') this.calls.translate++;
    else if (path === '/api/v1/detect-language') this.calls.detect++;
    else if (path === '/health' || path === '/status') this.calls.health++;
    this.received.push({ method: request.method, path, body, headers });

    const knobs = this.knobs;
    if (knobs.delayMs > 0) {
      try {
        await sleep(knobs.delayMs, signal);
      } catch (err) {
        this.calls.aborted++;
        throw err;
      }
    }
    if (knobs.closeSocket) throw new DropConnection();
    const requestId = headers['x-request-id'] ?? 'fake';

    if (path === '/health' || path === '/status') {
      return json({ status: 'ok', service: 'inference', version: 'fake', uptime_seconds: 1, timestamp: new Date().toISOString() });
    }
    if (knobs.status !== undefined) {
      const code = knobs.errorCode ?? DEFAULT_CODES[knobs.status] ?? 'INTERNAL';
      return json(
        { error: { code, message: `fake origin answers ${knobs.status}`, status: knobs.status, request_id: requestId } },
        knobs.status,
        knobs.retryAfter === undefined ? {} : { 'retry-after': String(knobs.retryAfter) },
      );
    }
    if (knobs.garbage) return new Response('<html>this is not json</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    if (knobs.secret !== undefined && headers['x-sema-edge-secret'] !== knobs.secret) {
      return json({ error: { code: 'UNAUTHORIZED', message: 'edge secret required', status: 401, request_id: requestId } }, 401);
    }
    if (request.method !== 'POST') return json({ error: { code: 'NOT_FOUND', message: 'not found', status: 404, request_id: requestId } }, 404);

    const input = (body ?? {}) as Record<string, unknown>;
    if (path === '/api/v1/translate') return this.translate(input, requestId);
    if (path === '/api/v1/detect-language') return this.detectLanguage(input, requestId);
    return json({ error: { code: 'NOT_FOUND', message: `no route ${path}`, status: 404, request_id: requestId } }, 404);
  }

  private translate(input: Record<string, unknown>, requestId: string): Response {
    const texts = Array.isArray(input.text) ? (input.text as string[]) : [String(input.text ?? '')];
    const target = String(input.target_language ?? 'eng_Latn');
    const given = typeof input.source_language === 'string' ? input.source_language : undefined;
    const options = (input.options ?? {}) as { alternatives?: number };
    const alternatives = typeof options.alternatives === 'number' ? options.alternatives : 0;
    const now = new Date().toISOString();
    const undetectable = given === undefined ? texts.findIndex((text) => text.includes(FAKE_UNDETECTABLE_MARKER)) : -1;
    if (undetectable >= 0) {
      const where = Array.isArray(input.text) ? `text[${undetectable}]` : 'text';
      return json(
        {
          error: {
            code: 'UNSUPPORTED_LANGUAGE',
            message: `could not detect the source language of ${where}: set source_language`,
            status: 400,
            request_id: requestId,
            details: { field: 'source_language', item: undetectable },
          },
        },
        400,
      );
    }
    let results = texts.map((text) => {
      const detection = given === undefined ? this.knobs.detect(text) : undefined;
      const source = given ?? detection!.language;
      this.translatedTexts.push(text);
      const translated = fakeTranslate(text, source, target);
      return {
        translated_text: translated,
        source_language: source,
        target_language: target,
        detected: given === undefined,
        confidence: detection ? detection.confidence : null,
        reliable: detection ? detection.confidence >= FAKE_MIN_CONFIDENCE : null,
        warnings: text.includes(FAKE_OMISSION_MARKER) ? ['possible_omission'] : [],
        alternatives: Array.from({ length: alternatives }, (_, i) => `${translated} (${i + 2})`),
        score: 0.75,
        character_count: [...text].length,
        inference_time: 0.001,
        total_time: 0.002,
        timestamp: now,
        request_id: requestId,
        cached: false,
        model: this.knobs.model,
      };
    });
    if (this.knobs.dropLastResult) results = results.slice(0, -1);
    if (!Array.isArray(input.text)) return json(results[0]);
    return json({
      results,
      count: results.length,
      character_count: results.reduce((sum, result) => sum + result.character_count, 0),
      total_time: 0.002,
      timestamp: now,
      request_id: requestId,
      model: this.knobs.model,
    });
  }

  private detectLanguage(input: Record<string, unknown>, requestId: string): Response {
    const text = String(input.text ?? '');
    const detection = this.knobs.detect(text);
    return json({
      detected_language: detection.language,
      language_name: null,
      native_name: null,
      confidence: detection.confidence,
      is_english: detection.language === 'eng_Latn',
      reliable: detection.confidence >= FAKE_MIN_CONFIDENCE,
      alternatives: [
        { language: detection.language, label: detection.language.slice(0, 3), language_name: null, confidence: detection.confidence },
        { language: 'eng_Latn', label: 'en', language_name: 'English', confidence: Math.max(0, 1 - detection.confidence) / 2 },
      ],
      character_count: [...text].length,
      detector: FAKE_DETECTOR,
      total_time: 0.001,
      timestamp: new Date().toISOString(),
      request_id: requestId,
    });
  }
}
