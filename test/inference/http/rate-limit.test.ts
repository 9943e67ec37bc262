import { afterEach, describe, expect, it } from 'vitest';
import { validateLtTranslateRequest, validateTranslateRequest } from '../../../shared/contract/validate.js';
import { estimateCost } from '../../../shared/cost.js';
import { resolveLimits } from '../../../shared/limits.js';
import { createTestContainer } from '../../support/container.js';

/**
 * The standalone limiter charges the request as the route validated it (as the edge does): one read
 * and one parse of the body, by the route; a request the validator refuses is not charged.
 */
describe('standalone budgets are charged after the route’s validation', () => {
  let container: Awaited<ReturnType<typeof createTestContainer>> | undefined;
  afterEach(async () => {
    await container?.close(1000);
    container = undefined;
  });

  const request = { text: ['The teacher reads a story.', 'The child eats the bread.'], source_language: 'en', target_language: 'sw', options: { beam_size: 2 } };
  const cost = estimateCost(validateTranslateRequest(request, resolveLimits({})));

  /** A POST whose body stream can be read once, and whose clone() (a second reader) throws. */
  function readOnce(body: string) {
    let pulls = 0;
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(bytes);
        else controller.close();
      },
    });
    const req = new Request('http://container.test/api/v1/translate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    Object.defineProperty(req, 'clone', {
      value: () => {
        throw new Error('the body was cloned for a second read');
      },
    });
    return { req, pulls: () => pulls };
  }

  it('reads the body once (no clone) and charges the validated request its estimated work', async () => {
    expect(cost).toBeGreaterThan(2);
    container = await createTestContainer({ RATE_LIMIT_PER_MINUTE: '1000', COST_BUDGET_PER_MINUTE: String(cost * 3), RATE_LIMIT_WINDOW_SECONDS: '60' });
    const once = readOnce(JSON.stringify(request));
    const res = await container.app.request(once.req);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBe(`"cost";r=${cost * 2};t=60`);
    expect(once.pulls()).toBe(2); // the bytes, then the end: one reader
  });

  it('LibreTranslate’s /translate (its own body reader) is charged its validated request too', async () => {
    const lt = { q: ['The teacher reads a story.', 'The child eats the bread.'], source: 'en', target: 'sw' };
    const ltCost = estimateCost(validateLtTranslateRequest(lt, resolveLimits({})));
    container = await createTestContainer({ RATE_LIMIT_PER_MINUTE: '1000', COST_BUDGET_PER_MINUTE: String(ltCost * 3), RATE_LIMIT_WINDOW_SECONDS: '60' });
    const res = await container.app.request('/translate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(lt) });
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toBe(`"cost";r=${ltCost * 2};t=60`);
  });

  it('a request the validator refuses keeps its own error and spends no budget', async () => {
    container = await createTestContainer({ RATE_LIMIT_PER_MINUTE: '1000', COST_BUDGET_PER_MINUTE: String(cost * 3), RATE_LIMIT_WINDOW_SECONDS: '60' });
    const bad = await container.app.request(readOnce(JSON.stringify({ ...request, target_language: 'xx_Nope' })).req);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('ratelimit')).toBeNull();
    const broken = await container.app.request(readOnce('{"text": ').req);
    expect(broken.status).toBe(400);
    const good = await container.app.request(readOnce(JSON.stringify(request)).req);
    expect(good.status).toBe(200);
    expect(good.headers.get('ratelimit')).toBe(`"cost";r=${cost * 2};t=60`); // the first charge
  });
});
