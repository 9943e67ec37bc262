import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RESTART_REASONS } from '../engine/pool.js';
import { EndpointLabels, errorLabel, languageLabel, statusLabel } from './labels.js';

/**
 * The container's Prometheus metrics, in a registry of their own (not prom-client's global one), so
 * every app instance (and every test) starts from zero and several can live in one process.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<'endpoint' | 'status'>;
  readonly requestDuration: Histogram<'endpoint'>;
  readonly translations: Counter<'source_lang' | 'target_lang'>;
  readonly charactersTranslated: Counter;
  readonly translationDuration: Histogram;
  readonly languageDetections: Counter<'detected_lang'>;
  readonly detectionDuration: Histogram;
  readonly errors: Counter<'error_type' | 'endpoint'>;
  readonly modelLoadTime: Gauge;
  readonly memoryUsage: Gauge<'type'>;
  readonly batchSize: Histogram;
  readonly queueDepth: Gauge;
  readonly generatedTokens: Counter;
  readonly rateLimited: Counter;
  /** Inference workers replaced; `reason` is the pool's RestartReason (a bounded set). */
  readonly workerRestarts: Counter<'reason'>;
  /** Running generate jobs ended early because every caller had gone (sema_jobs_cancelled_total). */
  readonly jobsCancelled: Counter;

  /** One finished HTTP request; `endpoint` is the route pattern. */
  recordRequest(endpoint: string, status: number, seconds: number): void;
  /** One translated text (one item of a batch). */
  recordTranslation(sourceLang: string, targetLang: string, characters: number, seconds: number): void;
  recordDetection(detectedLang: string | null, seconds: number): void;
  /** `code` is the stable error code (shared/errors.ts). */
  recordError(code: string, endpoint: string): void;
  /**
   * Brings sema_jobs_cancelled_total up to date with `pool`'s own count of cancelled jobs (read when
   * /metrics or /status is asked). Each pool (one per loaded model: a hot swap starts a new one at 0)
   * is followed separately, so the counter only ever grows by what each pool added.
   */
  observeJobsCancelled(pool: object, cancelled: number): void;
  /** The Prometheus text exposition. */
  text(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Node's default process metrics (CPU, heap, event loop lag, GC), prefixed `sema_`. Default true. */
  defaultMetrics?: boolean;
}

const PREFIX = 'sema_';
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DETECTION_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const endpoints = new EndpointLabels();

  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const requests = new Counter({ name: 'sema_requests_total', help: 'HTTP requests by route pattern and status', labelNames: ['endpoint', 'status'] as const, registers });
  const requestDuration = new Histogram({ name: 'sema_request_duration_seconds', help: 'HTTP request duration by route pattern', labelNames: ['endpoint'] as const, buckets: LATENCY_BUCKETS, registers });
  const translations = new Counter({ name: 'sema_translations_total', help: 'Texts translated, by FLORES-200 language pair', labelNames: ['source_lang', 'target_lang'] as const, registers });
  const charactersTranslated = new Counter({ name: 'sema_characters_translated_total', help: 'Characters (code points) translated', registers });
  const translationDuration = new Histogram({ name: 'sema_translation_duration_seconds', help: 'Time to translate one text, queueing included', buckets: LATENCY_BUCKETS, registers });
  const languageDetections = new Counter({ name: 'sema_language_detections_total', help: 'Language detections by detected FLORES-200 language', labelNames: ['detected_lang'] as const, registers });
  const detectionDuration = new Histogram({ name: 'sema_detection_duration_seconds', help: 'Time to identify the language of one text', buckets: DETECTION_BUCKETS, registers });
  const errors = new Counter({ name: 'sema_errors_total', help: 'Error responses by stable error code and route pattern', labelNames: ['error_type', 'endpoint'] as const, registers });
  const modelLoadTime = new Gauge({ name: 'sema_model_load_time_seconds', help: 'Seconds the current translation model took to load', registers });
  const memoryUsage = new Gauge({
    name: 'sema_memory_usage_bytes',
    help: 'Process memory by type, read at scrape time',
    labelNames: ['type'] as const,
    registers,
    collect() {
      const memory = process.memoryUsage();
      this.set({ type: 'rss' }, memory.rss);
      this.set({ type: 'heap_used' }, memory.heapUsed);
      this.set({ type: 'external' }, memory.external);
    },
  });
  const batchSize = new Histogram({ name: 'sema_batch_size', help: 'Sentences per engine batch', buckets: [1, 2, 4, 8, 16, 32, 64, 128], registers });
  const queueDepth = new Gauge({ name: 'sema_queue_depth', help: 'Requests waiting for the engine', registers });
  const generatedTokens = new Counter({ name: 'sema_generated_tokens_total', help: 'Tokens generated by the decoder (rate() gives tokens/s)', registers });
  const rateLimited = new Counter({ name: 'sema_rate_limited_total', help: 'Requests refused with RATE_LIMITED', registers });
  const workerRestarts = new Counter({ name: 'sema_worker_restarts_total', help: 'Inference workers replaced: crash (the worker exited) or timeout (it did not answer its job in time)', labelNames: ['reason'] as const, registers });
  for (const reason of RESTART_REASONS) workerRestarts.inc({ reason }, 0); // every series exists from the start
  const jobsCancelled = new Counter({ name: 'sema_jobs_cancelled_total', help: 'Running generate jobs the inference workers ended early because every caller had gone (client closed, deadline passed)', registers });
  const cancelledSeen = new WeakMap<object, number>();

  return {
    registry,
    requests,
    requestDuration,
    translations,
    charactersTranslated,
    translationDuration,
    languageDetections,
    detectionDuration,
    errors,
    modelLoadTime,
    memoryUsage,
    batchSize,
    queueDepth,
    generatedTokens,
    rateLimited,
    workerRestarts,
    jobsCancelled,
    observeJobsCancelled(pool, cancelled) {
      const seen = cancelledSeen.get(pool) ?? 0;
      if (cancelled > seen) jobsCancelled.inc(cancelled - seen);
      cancelledSeen.set(pool, Math.max(seen, cancelled));
    },
    recordRequest(endpoint, status, seconds) {
      const route = endpoints.label(endpoint);
      requests.inc({ endpoint: route, status: statusLabel(status) });
      requestDuration.observe({ endpoint: route }, seconds);
    },
    recordTranslation(sourceLang, targetLang, characters, seconds) {
      translations.inc({ source_lang: languageLabel(sourceLang), target_lang: languageLabel(targetLang) });
      charactersTranslated.inc(characters);
      translationDuration.observe(seconds);
    },
    recordDetection(detectedLang, seconds) {
      languageDetections.inc({ detected_lang: languageLabel(detectedLang) });
      detectionDuration.observe(seconds);
    },
    recordError(code, endpoint) {
      if (code === 'RATE_LIMITED') rateLimited.inc();
      errors.inc({ error_type: errorLabel(code), endpoint: endpoints.label(endpoint) });
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
