import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counter, launchContainer, metricsText, modelLabel, newSecret, post, stopService, type Service } from './harness.js';

/**
 * A client that goes away cancels its work, edge → container: ten heavy requests aborted by their
 * clients soon after they were sent cost the container a small share of what they would have cost.
 * The container's work is read from its /metrics (sema_generated_tokens_total), never from a clock.
 *
 * The container is the real process. The edge is the real Worker code (createEdgeWorker, as
 * edge/index.ts builds it) served by @hono/node-server, NOT wrangler dev: wrangler dev 4.86 never
 * aborts request.signal when a client disconnects (measured: a minimal Worker with
 * enable_request_signal, reached through wrangler's port or workerd's own, saw `aborted=false` after
 * the client left), so under it the edge cannot know and this test could not fail for the right
 * reason. Node aborts the Request's signal on disconnect, as production Workers do with the flag.
 * Without KV, Cache API and the Durable Object the edge runs uncached and its limiter fails open.
 */
/** The part of edge/worker.ts this test uses. */
interface EdgeWorkerModule {
  createEdgeWorker(): { fetch(request: Request, env: Record<string, string>, ctx: unknown): Promise<Response> };
}
// Imported by a non-literal specifier so the Node typecheck (no Workers types) does not pull edge/ in;
// edge/tsconfig.json typechecks it.
const EDGE_WORKER_MODULE: string = '../../edge/worker.js';

let container: Service;
let edge: ServerType;
let edgeUrl: string;
const secret = newSecret();

beforeAll(async () => {
  container = await launchContainer(secret, undefined, { ORIGIN_TIMEOUT_MS: '60000' });
  const env = {
    ORIGIN_URLS: container.url,
    MODEL_ID: await modelLabel(container, secret),
    EDGE_SHARED_SECRET: secret,
    ORIGIN_TIMEOUT_MS: '60000',
    RATE_LIMIT_PER_MINUTE: '1000',
  };
  const { createEdgeWorker } = (await import(EDGE_WORKER_MODULE)) as EdgeWorkerModule;
  const worker = createEdgeWorker();
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
  await new Promise<void>((resolve) => {
    edge = serve({ fetch: (request) => worker.fetch(request, env, ctx), port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  edgeUrl = `http://127.0.0.1:${(edge.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise((resolve) => (edge ? edge.close(resolve) : resolve(undefined)));
  if (container) await stopService(container);
});

const SENTENCES = ['the child eats the bread. ', 'the teacher sees the car. ', 'the farmer buys the rice. ', 'the doctor drinks the coffee. ', 'the boy reads the letter. '];

/** ~5000 characters of short fixture sentences, in an order of its own per `variant` (so no two are one cache key). */
function heavyText(variant: number): string {
  const order = SENTENCES.map((_, i) => SENTENCES[(i + variant) % SENTENCES.length]!);
  let text = '';
  for (let i = 0; text.length + order[i % order.length]!.length <= 4990; i++) text += order[i % order.length]!;
  return `${text}number ${variant}.`;
}

const heavyBody = (variant: number) => ({ text: heavyText(variant), source_language: 'eng_Latn', target_language: 'swh_Latn', options: { beam_size: 4 } });
const generatedTokens = async () => counter(await metricsText(container), 'sema_generated_tokens_total');

/** Waits (bounded) until the container's token counter stops moving: no work left for it. */
async function settledTokens(): Promise<number> {
  let previous = await generatedTokens();
  for (let i = 0; i < 60; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = await generatedTokens();
    if (current === previous) return current;
    previous = current;
  }
  throw new Error('the container kept generating tokens for 30 s');
}

describe('aborts cancel work', () => {
  it('10 heavy requests aborted after ~200 ms cost the container < 10% of their full model work', async () => {
    const before = await settledTokens();
    const full = await post(`${edgeUrl}/api/v1/translate`, heavyBody(0));
    expect(full.status).toBe(200);
    const oneFull = (await settledTokens()) - before;
    expect(oneFull).toBeGreaterThan(500); // a heavy request really is heavy

    const start = await settledTokens();
    const clients = Array.from({ length: 10 }, () => new AbortController());
    const requests = clients.map((client, i) =>
      fetch(`${edgeUrl}/api/v1/translate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(heavyBody(i + 1)),
        signal: client.signal,
      }).then(
        (response) => response.status,
        (err: unknown) => (err instanceof Error ? err.name : 'error'),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const client of clients) client.abort();
    const outcomes = await Promise.all(requests);
    // Every request left before its answer (a 200 here would mean the work finished: nothing to cancel).
    expect(outcomes.filter((outcome) => outcome === 200)).toHaveLength(0);
    const spent = (await settledTokens()) - start;
    expect(spent).toBeLessThan(0.1 * oneFull * 10);

    // The edge and the container are fine afterwards: a normal request is served.
    const after = await post(`${edgeUrl}/api/v1/translate`, { text: 'the child eats the bread', source_language: 'eng_Latn', target_language: 'swh_Latn' });
    expect(after.status).toBe(200);
  }, 180_000);
});
