import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../inference/observability/index.js';

const NAMES = [
  'sema_requests_total',
  'sema_request_duration_seconds',
  'sema_translations_total',
  'sema_characters_translated_total',
  'sema_translation_duration_seconds',
  'sema_language_detections_total',
  'sema_detection_duration_seconds',
  'sema_errors_total',
  'sema_model_load_time_seconds',
  'sema_memory_usage_bytes',
  'sema_batch_size',
  'sema_queue_depth',
  'sema_generated_tokens_total',
  'sema_rate_limited_total',
];

function record(metrics: ReturnType<typeof createMetrics>) {
  metrics.recordRequest('/api/v1/translate', 200, 0.12);
  metrics.recordTranslation('eng_Latn', 'swh_Latn', 42, 0.1);
  metrics.recordDetection('fra_Latn', 0.00003);
  metrics.recordError('RATE_LIMITED', '/api/v1/translate');
  metrics.modelLoadTime.set(3.2);
  metrics.batchSize.observe(8);
  metrics.queueDepth.set(2);
  metrics.generatedTokens.inc(17);
}

describe('metrics', () => {
  it('exposes every metric name, with default process metrics under the sema_ prefix', async () => {
    const metrics = createMetrics();
    record(metrics);
    const text = await metrics.text();
    for (const name of NAMES) expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    expect(text).toMatch(/^sema_process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^sema_nodejs_heap_size_used_bytes /m);
    expect(text).toContain('sema_requests_total{endpoint="/api/v1/translate",status="200"} 1');
    expect(text).toContain('sema_translations_total{source_lang="eng_Latn",target_lang="swh_Latn"} 1');
    expect(text).toContain('sema_characters_translated_total 42');
    expect(text).toContain('sema_errors_total{error_type="RATE_LIMITED",endpoint="/api/v1/translate"} 1');
    expect(text).toContain('sema_rate_limited_total 1');
    expect(text).toContain('sema_generated_tokens_total 17');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('reads memory at scrape time', async () => {
    const text = await createMetrics({ defaultMetrics: false }).text();
    for (const type of ['rss', 'heap_used', 'external']) {
      const value = Number(new RegExp(`sema_memory_usage_bytes\\{type="${type}"\\} (\\d+)`).exec(text)?.[1]);
      expect(value).toBeGreaterThan(0);
    }
  });

  it('buckets label values outside the known sets', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.recordTranslation('xx_Fake', '<script>', 1, 0.01);
    metrics.recordTranslation('eng_Latn', 'sw', 1, 0.01); // ISO codes are normalised before metrics; raw ones are not trusted
    metrics.recordDetection(null, 0.0001);
    metrics.recordDetection('klingon', 0.0001);
    metrics.recordError('SOMETHING_NEW', '/api/v1/translate');
    metrics.recordRequest('/api/v1/translate?text=secret', 200, 0.01);
    metrics.recordRequest('https://example.com/x', 200, 0.01);
    metrics.recordRequest('/health', 999, 0.01);
    const text = await metrics.text();
    expect(text).toContain('sema_translations_total{source_lang="other",target_lang="other"} 1');
    expect(text).toContain('sema_translations_total{source_lang="eng_Latn",target_lang="other"} 1');
    expect(text).toContain('sema_language_detections_total{detected_lang="unknown"} 1');
    expect(text).toContain('sema_language_detections_total{detected_lang="other"} 1');
    expect(text).toContain('sema_errors_total{error_type="other",endpoint="/api/v1/translate"} 1');
    expect(text).toContain('sema_requests_total{endpoint="other",status="200"} 2');
    expect(text).toContain('sema_requests_total{endpoint="/health",status="other"} 1');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('klingon');
  });

  it('caps the number of distinct endpoints', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (let i = 0; i < 200; i++) metrics.recordRequest(`/route/${i}`, 200, 0.001);
    const series = (await metrics.text()).split('\n').filter((l) => l.startsWith('sema_requests_total{'));
    expect(series.length).toBe(65); // 64 distinct patterns + "other"
  });

  it('sema_jobs_cancelled_total follows each pool’s own count and only grows, across a hot swap too', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const value = async () => Number(/^sema_jobs_cancelled_total (\d+)$/m.exec(await metrics.text())?.[1]);
    expect(await value()).toBe(0); // the series exists from the start
    const first = {};
    metrics.observeJobsCancelled(first, 2);
    metrics.observeJobsCancelled(first, 2); // read twice (/status, then /metrics): counted once
    metrics.observeJobsCancelled(first, 5);
    expect(await value()).toBe(5);
    const second = {}; // the model was reloaded: a new pool counts from 0
    metrics.observeJobsCancelled(second, 1);
    metrics.observeJobsCancelled(first, 4); // a lower reading never takes anything back
    expect(await value()).toBe(6);
  });

  it('gives every instance its own registry', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.recordRequest('/health', 200, 0.001);
    expect(await a.text()).toContain('sema_requests_total{endpoint="/health",status="200"} 1');
    expect(await b.text()).not.toContain('sema_requests_total{');
  });
});
