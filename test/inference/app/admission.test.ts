import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../../shared/contract/index.js';
import { createTestContainer, json } from '../../support/container.js';

/**
 * Admission by expected drain time, at a real container over a real socket (tiny fixture, one engine
 * worker, a short REQUEST_DEADLINE_MS): a request is admitted only when the measured rate says it will
 * finish in time, so overload is a 503 (or the client's own 429) at once, never a 504 later; a request
 * too big for the deadline on its own is a 413 WORK_TOO_LARGE up front.
 */
describe('admission by expected drain time (real socket)', () => {
  let server: ServerType | undefined;
  let container: Awaited<ReturnType<typeof createTestContainer>>;
  let base: string;
  const DEADLINE_MS = 2000;

  beforeAll(async () => {
    container = await createTestContainer({
      REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      TRUST_PROXY: '1',
      RATE_LIMIT_PER_MINUTE: '100000',
      COST_BUDGET_PER_MINUTE: '1000000000',
    });
    base = await new Promise((resolve) => {
      server = serve({ fetch: container.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    });
  }, 60_000);
  afterAll(async () => {
    server?.close();
    await container?.close(1000);
  });

  const SENTENCES = ['the child eats the bread.', 'the teacher sees the car.', 'the farmer buys the rice.', 'the doctor drinks the coffee.'];
  const text = (n: number, sentences: number) => Array.from({ length: sentences }, (_, j) => SENTENCES[(n + j) % SENTENCES.length]).join(' ') + ` number ${n}.`;
  const translate = (body: Record<string, unknown>, client: string) =>
    fetch(`${base}/api/v1/translate`, json({ source_language: 'eng_Latn', target_language: 'swh_Latn', ...body }, { 'x-forwarded-for': client }));
  const stats = () => container.deps.model.peek().engine.stats();

  it('a burst past what the deadline allows is shed at once (503 OVERLOADED + Retry-After, or 429 for a client’s own backlog): no 504', async () => {
    expect((await translate({ text: text(1, 10) }, '198.51.100.9')).status).toBe(200); // the greedy key measured
    const answers = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const res = await translate({ text: text(i, 30) }, `203.0.113.${i % 20}`);
        const body = (await res.json()) as { error?: { code: string } };
        return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after') };
      }),
    );
    const shed = answers.filter((a) => a.status !== 200);
    expect(answers.filter((a) => a.status === 504)).toEqual([]);
    expect(shed.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    for (const a of shed) {
      expect([`503 OVERLOADED`, `429 RATE_LIMITED`]).toContain(`${a.status} ${a.code}`);
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(stats()).toMatchObject({ deadlineExceeded: 0 });
    expect(stats().refusedDeadline).toBeGreaterThan(0);
  }, 60_000);
});

describe('work too large for the deadline (real socket)', () => {
  let server: ServerType | undefined;
  let container: Awaited<ReturnType<typeof createTestContainer>>;
  let base: string;

  beforeAll(async () => {
    // A 300 ms deadline: a few sentences fit, 170 sentences with beam search never do on this machine.
    container = await createTestContainer({ REQUEST_DEADLINE_MS: '300', TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '100000', COST_BUDGET_PER_MINUTE: '1000000000' });
    base = await new Promise((resolve) => {
      server = serve({ fetch: container.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}`));
    });
  }, 60_000);
  afterAll(async () => {
    server?.close();
    await container?.close(1000);
  });

  const translate = (body: Record<string, unknown>, client: string) =>
    fetch(`${base}/api/v1/translate`, json({ source_language: 'eng_Latn', target_language: 'swh_Latn', ...body }, { 'x-forwarded-for': client }));
  const many = (n: number) => Array.from({ length: n }, (_, j) => ['the child eats the bread.', 'the teacher sees the car.', 'the farmer buys the rice.'][j % 3]).join(' ');

  it('is refused up front with 413 WORK_TOO_LARGE (even as if batching were free), nothing of it runs; others are served', async () => {
    // Measure the beam-4 key on a small batch.
    expect((await translate({ text: many(4), options: { beam_size: 4 } }, '198.51.100.1')).status).toBe(200);
    const stats = () => container.deps.model.peek().engine.stats();
    const before = stats().completedBatches;
    const heavy = await translate({ text: many(170), options: { beam_size: 4 } }, '198.51.100.2');
    expect(heavy.status).toBe(413);
    const error = ErrorBodySchema.parse(await heavy.json()).error;
    expect(error.code).toBe('WORK_TOO_LARGE');
    expect(error.message).toMatch(/split the text/);
    expect(heavy.headers.get('retry-after')).toBeNull(); // waiting cannot help
    expect(stats().completedBatches).toBe(before); // nothing of it ran
    expect((await translate({ text: 'the teacher sees the car.' }, '198.51.100.3')).status).toBe(200);
  }, 60_000);
});
