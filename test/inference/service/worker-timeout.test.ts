/**
 * The timeout chain through the real container app: a worker hangs (test hook), the request's deadline
 * passes (504 DEADLINE_EXCEEDED), the batch's abort reaches the pool, the job timeout replaces the
 * stuck worker, and the next request is translated by the fresh one; /status and /metrics count it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ErrorBodySchema, InferenceStatusResponseSchema, TranslationResultSchema } from '../../../shared/contract/index.js';
import { loadConfig } from '../../../inference/config.js';
import { startContainer, type Container } from '../../../inference/container.js';

let container: Container;
const translate = () =>
  container.app.request('/api/v1/translate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'the child eats the bread.', source_language: 'eng_Latn', target_language: 'swh_Latn' }),
  });
const status = async () => InferenceStatusResponseSchema.parse(await (await container.app.request('/status')).json());

beforeAll(async () => {
  const config = loadConfig(
    {
      HF_HOME: mkdtempSync(join(tmpdir(), 'sema-hf-')),
      REVISION_CHECK_INTERVAL_MS: '0',
      ENGINE_WORKERS: '1',
      ENGINE_INTRA_OP_THREADS: '1',
      REQUEST_DEADLINE_MS: '400',
      WORKER_JOB_TIMEOUT_MS: '1500',
    },
    { persistentDir: '/nonexistent' },
  );
  container = await startContainer(config, { logger: pino({ level: 'silent' }), engine: { testHooks: true } });
});
afterAll(async () => {
  await container?.close(1000);
});

describe('a stuck inference worker behind the app', () => {
  it('answers 504 at the deadline, is replaced, and the next request is served by a fresh worker', async () => {
    expect((await translate()).status).toBe(200);
    expect((await status()).workers).toEqual({ count: 1, ready: 1, restarts: 0 });

    container.deps.model.peek().engine.model.crashWorkerForTest(0, 'hang');
    const stuck = await translate();
    expect(stuck.status).toBe(504);
    expect(ErrorBodySchema.parse(await stuck.json()).error.code).toBe('DEADLINE_EXCEEDED');

    await vi.waitFor(async () => expect((await status()).workers).toEqual({ count: 1, ready: 1, restarts: 1 }), { timeout: 20_000, interval: 50 });
    const next = await translate();
    expect(next.status).toBe(200);
    expect(TranslationResultSchema.parse(await next.json()).translated_text).toContain('mtoto');

    const metrics = await (await container.app.request('/metrics')).text();
    expect(metrics).toContain('sema_worker_restarts_total{reason="timeout"} 1');
    expect(metrics).toContain('sema_worker_restarts_total{reason="crash"} 0');
  });
});
