import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, TranslationResultSchema } from '../../shared/contract/index.js';
import { launchStack, post, type Service, type Stack } from './harness.js';

/**
 * Load shedding is not failure, with real processes: a container with a one-request queue answers a
 * burst with OVERLOADED; the edge passes those on (with Retry-After) and its circuit stays closed, so
 * the next request is served at once instead of failing fast with UPSTREAM_UNAVAILABLE.
 */
let stack: Stack | undefined;
let edge: Service;

// The breaker would open after 2 failures; the limiter is out of the way.
const edgeVars = { CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_COOLDOWN_MS: '60000', RATE_LIMIT_PER_MINUTE: '1000', COST_BUDGET_PER_MINUTE: '100000000' };

beforeAll(async () => {
  stack = await launchStack({ containerEnv: { QUEUE_MAX_REQUESTS: '1', BATCH_MAX_SIZE: '1' }, edgeVars });
  edge = stack.edge;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const SENTENCES = ['the child eats the bread.', 'the teacher sees the car.', 'the farmer buys the rice.', 'the doctor drinks the coffee.'];
const burstText = (i: number) => Array.from({ length: 30 }, (_, j) => SENTENCES[(i + j) % SENTENCES.length]).join(' ') + ` number ${i}.`;

describe('load shedding through the edge', () => {
  it('a burst the container sheds (OVERLOADED) does not open the circuit: the next request is served', async () => {
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(`${edge.url}/api/v1/translate`, { text: burstText(i), source_language: 'eng_Latn', target_language: 'swh_Latn', options: { beam_size: 4 } }).then(async (res) => ({
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          body: (await res.json()) as unknown,
        })),
      ),
    );
    const refused = burst.filter((outcome) => outcome.status !== 200);
    expect(refused.length).toBeGreaterThanOrEqual(2); // more than the breaker's threshold
    for (const outcome of refused) {
      expect(outcome.status).toBe(503);
      expect(ErrorBodySchema.parse(outcome.body).error.code).toBe('OVERLOADED');
      expect(Number(outcome.retryAfter)).toBeGreaterThanOrEqual(1);
    }

    const health = (await (await fetch(`${edge.url}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const next = await post(`${edge.url}/api/v1/translate`, { text: 'the boy reads the letter', source_language: 'eng_Latn', target_language: 'swh_Latn' });
    expect(next.status).toBe(200);
    expect(TranslationResultSchema.parse(await next.json()).cached).toBe(false);
  }, 120_000);
});
