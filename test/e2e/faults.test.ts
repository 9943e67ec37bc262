import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBodySchema, TranslationResultSchema } from '../../shared/contract/index.js';
import { freePort } from '../../scripts/lib/stack.js';
import { startFakeOrigin, type FakeOrigin } from '../support/fake-origin.js';
import { launchContainer, launchEdge, modelLabel, newSecret, post, stopService, type Service } from './harness.js';

/** Fault injection with real processes: containers are killed, restarted and slowed under the edge. */
const running: Service[] = [];
let fake: FakeOrigin | undefined;
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => stopService(s, 3000)));
  await fake?.close();
  fake = undefined;
});

const body = (text: string) => ({ text, source_language: 'eng_Latn', target_language: 'swh_Latn' });
const ORIGIN_TIMEOUT_MS = 4000;
const edgeVars = { ORIGIN_TIMEOUT_MS: String(ORIGIN_TIMEOUT_MS), CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_COOLDOWN_MS: '1000', RATE_LIMIT_PER_MINUTE: '1000' };

async function timed(fn: () => Promise<Response>): Promise<{ res: Response; ms: number }> {
  const started = performance.now();
  const res = await fn();
  return { res, ms: performance.now() - started };
}

describe('faults', () => {
  it('keeps serving cached translations while the container is down, answers misses 503, and recovers by itself', async () => {
    const secret = newSecret();
    const port = await freePort();
    let container = await launchContainer(secret, port);
    running.push(container);
    const edge = await launchEdge([container.url], await modelLabel(container, secret), secret, edgeVars);
    running.push(edge);
    const translate = (text: string) => post(`${edge.url}/api/v1/translate`, body(text));

    expect((await translate('the child eats the bread')).status).toBe(200);
    await stopService(container);

    // under load: cached requests keep succeeding, misses fail fast and cleanly
    const cached = await Promise.all(Array.from({ length: 10 }, () => translate('the child eats the bread')));
    expect(cached.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(cached.every((r) => r.headers.get('x-cache') === 'HIT')).toBe(true);
    const { res: miss, ms } = await timed(() => translate('the teacher sees the car'));
    expect(miss.status).toBe(503);
    expect(ErrorBodySchema.parse(await miss.json()).error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(ms).toBeLessThan(ORIGIN_TIMEOUT_MS + 2000);

    container = await launchContainer(secret, port);
    running.push(container);
    let recovered = false;
    for (let i = 0; i < 40 && !recovered; i++) {
      recovered = (await translate('the teacher sees the car')).status === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(recovered).toBe(true);
  });

  it('fails over to the second container when the first dies', async () => {
    const secret = newSecret();
    const first = await launchContainer(secret);
    const second = await launchContainer(secret);
    running.push(first, second);
    const edge = await launchEdge([first.url, second.url], await modelLabel(first, secret), secret, edgeVars);
    running.push(edge);
    await stopService(first);
    const texts = ['the farmer buys the rice', 'the doctor drinks the coffee', 'the boy reads the letter', 'the cook sells the fish'];
    const results = await Promise.all(texts.map((text) => post(`${edge.url}/api/v1/translate`, body(text))));
    expect(results.map((r) => r.status)).toEqual(texts.map(() => 200));
    for (const res of results) expect(TranslationResultSchema.parse(await res.json()).cached).toBe(false);
  });

  it('answers 504 at the origin timeout when the container is too slow', async () => {
    fake = await startFakeOrigin();
    fake.logic.knobs.delayMs = 30_000;
    const edge = await launchEdge([fake.url], 'fake-model', 'unused-secret-0123456789', edgeVars);
    running.push(edge);
    const { res, ms } = await timed(() => post(`${edge.url}/api/v1/translate`, body('the girl likes the music')));
    expect(res.status).toBe(504);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('UPSTREAM_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(ORIGIN_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(ORIGIN_TIMEOUT_MS + 3000);
  });

  it('lets in-flight requests complete or fail cleanly when the container gets SIGTERM', async () => {
    const secret = newSecret();
    const container = await launchContainer(secret);
    running.push(container);
    const edge = await launchEdge([container.url], await modelLabel(container, secret), secret, edgeVars);
    running.push(edge);
    const texts = Array.from({ length: 40 }, (_, i) => `the ${['child', 'teacher', 'farmer', 'doctor'][i % 4]} drinks the water number ${i}`);
    const inFlight = Array.from({ length: 6 }, (_, i) =>
      post(`${edge.url}/api/v1/translate`, { ...body(''), text: texts.map((t) => `${t} ${i}`) }).then(async (res) => ({ status: res.status, json: (await res.json()) as unknown })),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    container.child.kill('SIGTERM');
    const outcomes = await Promise.all(inFlight); // none hangs: each settles within the fetch bound
    for (const outcome of outcomes) {
      if (outcome.status !== 200) {
        expect([502, 503, 504]).toContain(outcome.status);
        ErrorBodySchema.parse(outcome.json);
      }
    }
    expect(await container.exited).toBe(0);
  });
});
