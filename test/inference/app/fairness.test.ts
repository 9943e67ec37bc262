import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceStatusResponseSchema } from '../../../shared/contract/health.js';
import { createTestContainer, json } from '../../support/container.js';

/**
 * A client that goes away must not keep the engine from other clients: over a real socket, aborting
 * the fetch of a long translation cancels its running job in the worker (the pool's cancel word), and
 * the next client is served by the same, free worker.
 */
describe('a client that goes away cancels its running job (real socket)', () => {
  let server: ServerType | undefined;
  let container: Awaited<ReturnType<typeof createTestContainer>>;
  let base: string;

  beforeAll(async () => {
    container = await createTestContainer({ RATE_LIMIT_PER_MINUTE: '1000', COST_BUDGET_PER_MINUTE: '100000000' });
    base = await new Promise((resolve) => {
      server = serve({ fetch: container.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    });
  }, 60_000);
  afterAll(async () => {
    server?.close();
    await container?.close(1000);
  });

  const pool = () => container.deps.model.peek().engine.model.stats;
  const sentences = ['the child eats the bread. ', 'the teacher sees the car. ', 'the farmer buys the rice. '];
  const long = () => {
    let text = '';
    for (let i = 0; text.length < 4900; i++) text += sentences[i % sentences.length]!;
    return text;
  };
  const heavy = { text: long(), source_language: 'eng_Latn', target_language: 'swh_Latn', options: { beam_size: 4 } };

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(condition()).toBe(true);
  }

  it('aborting the fetch mid-generation cancels the running job, and the next client is served', async () => {
    const cancelledBefore = pool().cancelled;
    const client = new AbortController();
    const aborted = fetch(`${base}/api/v1/translate`, { ...json(heavy), signal: client.signal }).catch((err: unknown) => err);
    await until(() => pool().busy > 0); // the job is running in the worker
    client.abort();
    expect(await aborted).toBeInstanceOf(Error);
    await until(() => pool().cancelled === cancelledBefore + 1 && pool().busy === 0);

    // The count is public: /status's batches.cancelled and /metrics' sema_jobs_cancelled_total.
    const status = InferenceStatusResponseSchema.parse(await (await fetch(`${base}/status`)).json());
    expect(status.batches.cancelled).toBe(cancelledBefore + 1);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(Number(/^sema_jobs_cancelled_total (\d+)$/m.exec(metrics)?.[1])).toBe(cancelledBefore + 1);

    // The worker ended the job early (cancelled, not finished and discarded) and serves the next client.
    const next = await fetch(`${base}/api/v1/translate`, json({ text: 'the child eats the bread.', source_language: 'eng_Latn', target_language: 'swh_Latn' }));
    expect(next.status).toBe(200);
    expect(container.deps.model.peek().engine.stats()).toMatchObject({ queuedRows: 0, running: 0 });
  }, 60_000);
});
