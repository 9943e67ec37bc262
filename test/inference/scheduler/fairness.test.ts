import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { MicroBatcher, type SubmitOptions } from '../../../inference/scheduler/batcher.js';
import { controllableRunner, f, keyOf, observe, recordingRunner, row, tick, tokensOf, type TRow } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type Run = (rows: TRow[], key: string, signal: AbortSignal) => Promise<readonly string[]>;

/**
 * These tests are about the order of service, with backlogs far past what a 25 s deadline admits at
 * the prior rate: no deadline, so the deadline check (admission.test.ts) stays out of the way.
 */
function batcher(run: Run, options: Record<string, unknown> = {}) {
  return new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, maxBatchSize: 16, deadlineMs: Number.POSITIVE_INFINITY, now: () => Date.now(), ...options });
}

/**
 * Answers a controllable runner's batches one at a time, in order. `until(done)` answers until `done`
 * holds and returns the 0-based index of the last batch answered.
 */
function answerer(calls: ReturnType<typeof controllableRunner>['calls']) {
  let next = 0;
  return async (done: () => boolean): Promise<number> => {
    for (let guard = 0; guard < 1000; guard++) {
      await tick();
      if (done()) return next - 1;
      calls[next]!.answer();
      next += 1;
    }
    throw new Error('never done');
  };
}

describe('fair scheduling between clients (DRR)', () => {
  for (const shape of ['200 one-sentence requests', 'one request of 200 sentences'] as const) {
    it(`a light client's sentence runs in the first or second batch behind a heavy client's ${shape}`, async () => {
      const { run, calls } = controllableRunner();
      const b = batcher(run);
      const heavyRows = Array.from({ length: 200 }, (_, i) => row(`heavy sentence ${i}`));
      const heavy =
        shape === '200 one-sentence requests'
          ? heavyRows.map((r) => b.submit([r], { clientKey: 'heavy' }))
          : [b.submit(heavyRows, { clientKey: 'heavy' })];
      await tick();
      expect(calls).toHaveLength(1); // the first batch is already running: heavy rows only
      const light = observe(b.submit([row('light one')], { clientKey: 'light' }));

      const answerUntil = answerer(calls);
      const batchOfLight = await answerUntil(() => light.status === 'fulfilled');
      expect(calls.findIndex((c) => c.rows.some((r) => r.text === 'light one'))).toBe(batchOfLight);
      expect(batchOfLight).toBeLessThanOrEqual(1);
      expect(light.value).toEqual([f(row('light one'), row('').key)]);

      const heavyDone = heavy.map(observe);
      await answerUntil(() => heavyDone.every((h) => h.status === 'fulfilled'));
      expect(heavyDone.flatMap((h) => h.value!)).toEqual(heavyRows.map((r) => f(r, r.key)));
    });
  }

  it("a light client whose sentence has another batch key (other settings) still runs in the first or second batch", async () => {
    const { run, calls } = controllableRunner();
    const b = batcher(run);
    const heavy = Array.from({ length: 200 }, (_, i) => observe(b.submit([row(`heavy sentence ${i}`, 'beam=4')], { clientKey: 'heavy' })));
    await tick();
    const light = observe(b.submit([row('light one', 'beam=1')], { clientKey: 'light' }));
    const answerUntil = answerer(calls);
    const batchOfLight = await answerUntil(() => light.status === 'fulfilled');
    expect(calls[batchOfLight]!.key).toBe('beam=1');
    expect(batchOfLight).toBeLessThanOrEqual(1);
    await answerUntil(() => heavy.every((h) => h.status === 'fulfilled'));
    expect(calls.every((c) => c.rows.every((r) => r.key === c.key))).toBe(true);
  });

  it('without client keys every request shares one FIFO queue: the same light sentence waits behind the whole backlog', async () => {
    // The control for the test above: fairness comes from the client keys, not from batch sizes.
    const { run, calls } = controllableRunner();
    const b = batcher(run);
    for (let i = 0; i < 200; i++) void b.submit([row(`heavy sentence ${i}`)]);
    await tick();
    const light = observe(b.submit([row('light one')]));
    const batchOfLight = await answerer(calls)(() => light.status === 'fulfilled');
    expect(batchOfLight).toBeGreaterThan(1);
  });

  it('a heavy client over its queued-token cap gets 429 RATE_LIMITED with Retry-After; a light client is still admitted', async () => {
    const { run, calls } = controllableRunner();
    const b = batcher(run, { maxQueuedTokens: 1000, maxQueuedTokensPerClient: 100 });
    void b.submit([row('x'.repeat(10))], { clientKey: 'heavy' }); // runs at once
    await tick();
    const admitted: Promise<string[]>[] = [];
    for (let i = 0; i < 10; i++) admitted.push(b.submit([row('y'.repeat(10))], { clientKey: 'heavy' })); // 100 queued
    const refused = observe(b.submit([row('z'.repeat(10))], { clientKey: 'heavy' }));
    const light = b.submit([row('light')], { clientKey: 'light' });
    const anonymous = b.submit([row('no key')]);
    await tick();
    expect(refused.status).toBe('rejected');
    const err = refused.error as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(err.details).toMatchObject({ queued_tokens: 100, limit_tokens: 100 });
    expect(b.stats()).toMatchObject({ refusedClientLimit: 1, refusedOverloaded: 0, queuedClients: 2 });

    const answerUntil = answerer(calls);
    const rest = [light, anonymous, ...admitted].map(observe);
    await answerUntil(() => rest.every((r) => r.status === 'fulfilled'));
    expect(rest[0]!.value).toEqual([f(row('light'), row('').key)]);
    expect(b.stats()).toMatchObject({ queuedClients: 0, queuedTokens: 0 });
    // Its queue drained, the heavy client is admitted again.
    const again = observe(b.submit([row('again')], { clientKey: 'heavy' }));
    await answerUntil(() => again.status === 'fulfilled');
    expect(again.value).toEqual([f(row('again'), row('').key)]);
  });

  it("a client's cancelled request frees its share of the cap", async () => {
    const { run } = controllableRunner();
    const b = batcher(run, { maxQueuedTokensPerClient: 20 });
    void b.submit([row('busy')], { clientKey: 'other' });
    await tick();
    const client = new AbortController();
    const gone = observe(b.submit([row('x'.repeat(20))], { clientKey: 'c', signal: client.signal }));
    await expect(b.submit([row('y')], { clientKey: 'c' })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    client.abort();
    await tick();
    expect(gone.status).toBe('rejected');
    expect(b.stats()).toMatchObject({ queuedClients: 0, queuedRows: 0 });
    const next = observe(b.submit([row('y')], { clientKey: 'c' }));
    await tick();
    expect(next.status).toBe('pending'); // admitted (queued behind the running batch), not refused
  });

  const clientArb = fc.constantFrom('a', 'b', 'c', 'd');
  const submissionArb = fc.record({
    client: clientArb,
    rows: fc.array(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 8 }),
  });

  it('property: every client gets its rows in its own arrival order, whatever the quantum and limits', async () => {
    vi.useRealTimers();
    await fc.assert(
      fc.asyncProperty(
        fc.array(submissionArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 40 }),
        async (submissions, maxBatchSize, maxBatchTokens, quantumTokens) => {
          const { run, batches } = recordingRunner();
          const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, maxBatchSize, maxBatchTokens, quantumTokens, sortByLength: false });
          const tagged = submissions.map((s, i) => ({ ...s, rows: s.rows.map((t, j) => row(`${s.client}${i}.${j}:${t}`)) }));
          const got = await Promise.all(tagged.map((s) => b.submit(s.rows, { clientKey: s.client })));
          got.forEach((outs, i) => expect(outs).toEqual(tagged[i]!.rows.map((r) => f(r, r.key))));
          const dispatched = batches.flatMap((batch) => batch.rows);
          for (const client of ['a', 'b', 'c', 'd']) {
            const expected = tagged.filter((s) => s.client === client).flatMap((s) => s.rows.map((r) => r.text));
            expect(dispatched.filter((r) => r.text.startsWith(client)).map((r) => r.text)).toEqual(expected);
          }
          for (const batch of batches) expect(batch.rows.length).toBeLessThanOrEqual(maxBatchSize);
          await b.drain();
          expect(b.stats()).toMatchObject({ queuedRequests: 0, queuedTokens: 0, queuedRows: 0, queuedClients: 0 });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: no client starves: with a quantum of at least a row, a waiting client is served within one batch per waiting client', async () => {
    vi.useRealTimers();
    await fc.assert(
      fc.asyncProperty(
        fc.array(submissionArb, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 60 }),
        async (submissions, maxBatchSize, maxBatchTokens) => {
          const { run, batches } = recordingRunner();
          // Every row here is at most 40 tokens (tag + text), so one turn always affords the head row.
          const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, maxBatchSize, maxBatchTokens, quantumTokens: 40, sortByLength: false });
          const tagged = submissions.map((s, i) => ({ ...s, rows: s.rows.map((t, j) => row(`${s.client}${i}.${j}:${t}`.slice(0, 40))) }));
          // One tick: everything is queued before the first batch is cut.
          await Promise.all(tagged.map((s) => b.submit(s.rows, { clientKey: s.client })));
          const left = new Map<string, number>();
          for (const s of tagged) left.set(s.client, (left.get(s.client) ?? 0) + s.rows.length);
          // Per waiting client: batches missed in a row, and how many clients were waiting when that began.
          const streak = new Map<string, { missed: number; rivals: number }>();
          const initiallyWaiting = left.size;
          for (const c of left.keys()) streak.set(c, { missed: 0, rivals: initiallyWaiting });
          for (const batch of batches) {
            const waiting = [...left].filter(([, n]) => n > 0).map(([c]) => c);
            const served = new Set(batch.rows.map((r) => r.text[0]!));
            for (const c of waiting) {
              const s = streak.get(c)!;
              if (served.has(c)) streak.set(c, { missed: 0, rivals: waiting.length });
              else {
                s.missed += 1;
                // Each batch ends at least one turn, so the others' turns come first at most once each.
                expect(s.missed).toBeLessThan(s.rivals);
              }
            }
            for (const r of batch.rows) left.set(r.text[0]!, left.get(r.text[0]!)! - 1);
          }
          expect([...left.values()].every((n) => n === 0)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('Retry-After from the measured drain rate', () => {
  const MS_PER_TOKEN = 40; // the fake engine serves 25 tokens/s per batch: far from the assumed 100

  /** A runner whose batches take MS_PER_TOKEN per token of fake time. */
  const timedRun: Run = (rows, key) =>
    new Promise((resolve) => setTimeout(() => resolve(rows.map((r) => f(r, key))), rows.reduce((a, r) => a + tokensOf(r), 0) * MS_PER_TOKEN));

  const twenty = (tag: string) => row(tag.padEnd(20, '.'));

  async function warmUp(b: MicroBatcher<TRow, string>): Promise<void> {
    const warm = Promise.all([0, 1, 2].map((i) => b.submit([twenty(`warm${i}`)])));
    await vi.advanceTimersByTimeAsync(10_000);
    await warm;
    expect(b.stats().tokensPerSecond).toBeCloseTo(1000 / MS_PER_TOKEN, 6);
  }

  async function secondsUntil(done: () => boolean): Promise<number> {
    const t0 = Date.now();
    for (let i = 0; i < 10_000 && !done(); i++) await vi.advanceTimersByTimeAsync(50);
    expect(done()).toBe(true);
    return (Date.now() - t0) / 1000;
  }

  it('OVERLOADED carries a Retry-After within 2x of the time the queue really takes to drain', async () => {
    const b = batcher(timedRun, { maxBatchTokens: 20, maxQueuedTokens: 400 });
    await warmUp(b);
    const queued = [observe(b.submit([twenty('runs')]))];
    await tick();
    for (let i = 0; i < 20; i++) queued.push(observe(b.submit([twenty(`q${i}`)]))); // 400 tokens wait
    await tick();
    expect(queued.every((q) => q.status === 'pending')).toBe(true);
    const refused = observe(b.submit([twenty('one more')]));
    await tick();
    expect(refused.status).toBe('rejected');
    const err = refused.error as AppError;
    expect(err.code).toBe('OVERLOADED');
    const realSeconds = await secondsUntil(() => queued.every((q) => q.status === 'fulfilled'));
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(realSeconds / 2);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(realSeconds * 2);
  });

  it("the per-client 429's Retry-After is within 2x of when that client is really admitted again", async () => {
    const b = batcher(timedRun, { maxBatchTokens: 20, maxQueuedTokensPerClient: 400 });
    await warmUp(b);
    const opts: SubmitOptions = { clientKey: 'heavy' };
    const queued = [observe(b.submit([twenty('runs')], opts))];
    await tick();
    for (let i = 0; i < 20; i++) queued.push(observe(b.submit([twenty(`h${i}`)], opts))); // 400 tokens wait
    await tick();
    expect(queued.every((q) => q.status === 'pending')).toBe(true);
    const big = Array.from({ length: 10 }, (_, i) => twenty(`big${i}`)); // 200 tokens: needs 200 drained first
    const refused = observe(b.submit(big, opts));
    await tick();
    const err = refused.error as AppError;
    expect(err.code).toBe('RATE_LIMITED');
    expect(b.stats().refusedClientLimit).toBe(1);
    let admitted = false;
    const realSeconds = await secondsUntil(() => {
      if (admitted) return true;
      // admit() decides synchronously: a refusal counts at once.
      const refusedBefore = b.stats().refusedClientLimit;
      b.submit(big, opts).catch(() => undefined);
      return (admitted = b.stats().refusedClientLimit === refusedBefore);
    });
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(realSeconds / 2);
    expect(err.retryAfterSeconds).toBeLessThanOrEqual(realSeconds * 2);
  });
});
