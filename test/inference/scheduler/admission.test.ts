import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { AdmissionControl, DEADLINE_SHARE } from '../../../inference/scheduler/admission.js';
import { MicroBatcher } from '../../../inference/scheduler/batcher.js';
import { controllableRunner, f, keyOf, observe, recordingRunner, row, tick, tokensOf, type TRow } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const idle = { queuedRequests: 0, queuedTokens: 0, queuedRows: 0, running: 0, runningRows: 0 };

function expectCode(error: unknown, code: string): AppError {
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

describe('admission control: bounded queue', () => {
  it('refuses with OVERLOADED at once when the request bound is reached, then serves normally again', async () => {
    const { run, calls } = controllableRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, concurrency: 1, maxQueuedRequests: 2 });
    const running = b.submit([row('running')]);
    await tick(0);
    expect(calls).toHaveLength(1);
    const queued = [b.submit([row('q1')]), b.submit([row('q2')])];
    const refused = observe(b.submit([row('one too many')]));
    await Promise.resolve();
    await Promise.resolve();
    expect(refused.status).toBe('rejected');
    const err = expectCode(refused.error, 'OVERLOADED');
    expect(err.status).toBe(503);
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    expect(b.stats()).toMatchObject({ queuedRequests: 2, refusedOverloaded: 1 });

    calls[0]!.answer();
    await tick(0);
    calls[1]!.answer();
    expect(await running).toEqual([f(row('running'), row('running').key)]);
    expect((await Promise.all(queued)).flat()).toEqual(['1q', '2q'].map((t) => `${t}|${row('').key}`));
    await b.drain();
    expect(b.stats()).toMatchObject(idle);

    const next = b.submit([row('next')]);
    await tick(0);
    calls[2]!.answer();
    expect(await next).toEqual([`txen|${row('').key}`]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses by queued tokens too, but a lone oversized request is still served', async () => {
    const { run, calls } = controllableRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, maxQueuedTokens: 10 });
    const first = b.submit([row('x'.repeat(30))]); // alone: admitted although > 10
    await tick(0);
    const queued = b.submit([row('12345678')]);
    const refused = observe(b.submit([row('abc')]));
    await Promise.resolve();
    expectCode(refused.error, 'OVERLOADED');
    expect(b.stats().queuedTokens).toBe(8);
    calls[0]!.answer();
    await tick(0);
    calls[1]!.answer();
    await Promise.all([first, queued]);
    expect(b.stats()).toMatchObject(idle);
  });

  it('a token counter answering NaN or negatives does not poison the accounting', async () => {
    const { run } = recordingRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf: (r) => (r.text === 'nan' ? NaN : -3), maxWaitMs: 0 });
    const p = b.submit([row('nan'), row('neg')]);
    expect(b.stats()).toMatchObject({ queuedRequests: 1, queuedTokens: 0 });
    await tick(0);
    expect(await p).toHaveLength(2);
    expect(b.stats()).toMatchObject(idle);
  });

  it('estimates Retry-After from the measured service rate and the queued work', () => {
    const admission = new AdmissionControl({
      maxQueuedRequests: 1,
      maxQueuedTokens: 1_000_000,
      concurrency: 2,
      initialTokensPerSecond: 100,
      minRetryAfterSeconds: 1,
      maxRetryAfterSeconds: 60,
    });
    // Before any measurement: the assumed 100 tokens/s per batch, 2 batches at once.
    admission.admit(1000);
    let err: AppError | undefined;
    try {
      admission.admit(200);
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.code).toBe('OVERLOADED');
    expect(err?.retryAfterSeconds).toBe(Math.ceil(1200 / 200));

    admission.recordBatch(500, 1000); // 500 tokens/s per batch
    expect(admission.retryAfterSeconds(200)).toBe(Math.ceil(1200 / 1000));
    admission.recordBatch(50, 1000); // EWMA 0.3: 0.3 × 50 + 0.7 × 500 = 365
    expect(admission.retryAfterSeconds(9000)).toBe(Math.ceil(10_000 / 730));
    // Clamped to [1, 60].
    expect(admission.retryAfterSeconds(0)).toBe(Math.ceil(1000 / 730));
    const empty = new AdmissionControl({ maxQueuedRequests: 1, maxQueuedTokens: 1, concurrency: 1, initialTokensPerSecond: 100, minRetryAfterSeconds: 1, maxRetryAfterSeconds: 60 });
    expect(empty.retryAfterSeconds(0)).toBe(1);
    expect(admission.retryAfterSeconds(10_000_000)).toBe(60);
  });

  it('tickets release their slot and tokens exactly once', () => {
    const admission = new AdmissionControl({
      maxQueuedRequests: 4,
      maxQueuedTokens: 100,
      concurrency: 1,
      initialTokensPerSecond: 100,
      minRetryAfterSeconds: 1,
      maxRetryAfterSeconds: 60,
    });
    const t = admission.admit(10);
    t.dequeue(4);
    expect([admission.queuedRequests, admission.queuedTokens]).toEqual([1, 6]);
    t.dequeue(100); // never below what the ticket holds
    expect(admission.queuedTokens).toBe(0);
    t.release();
    t.release();
    t.dequeue(3);
    expect([admission.queuedRequests, admission.queuedTokens]).toEqual([0, 0]);
  });
});

describe('deadlines and cancellation', () => {
  it('a request whose deadline passes while queued is removed and rejected with DEADLINE_EXCEEDED', async () => {
    const { run, calls } = controllableRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, deadlineMs: 60_000 });
    const running = b.submit([row('busy')]);
    await tick(0);
    const late = observe(b.submit([row('waits'), row('too long')], { deadlineMs: 1000 }));
    await tick(999);
    expect(late.status).toBe('pending');
    await tick(1);
    const err = expectCode(late.error, 'DEADLINE_EXCEEDED');
    expect(err.status).toBe(504);
    expect(b.stats()).toMatchObject({ queuedRequests: 0, queuedTokens: 0, queuedRows: 0, running: 1, deadlineExceeded: 1 });

    calls[0]!.answer();
    await running;
    await tick(0);
    expect(calls).toHaveLength(1); // the expired rows never reached the runner
    expect(b.stats()).toMatchObject(idle);
    const next = b.submit([row('next')]);
    await tick(0);
    calls[1]!.answer();
    expect(await next).toEqual([`txen|${row('').key}`]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a running request is rejected at its deadline; its result is discarded, its batch-mates are served', async () => {
    const { run, calls } = controllableRunner();
    const batches: unknown[] = [];
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, onBatch: (i) => batches.push(i) });
    const short = observe(b.submit([row('short')], { deadlineMs: 100 }));
    const long = b.submit([row('long')], { deadlineMs: 10_000 });
    await tick(0);
    expect(calls).toHaveLength(1);
    await tick(100);
    expectCode(short.error, 'DEADLINE_EXCEEDED');
    expect(calls[0]!.signal.aborted).toBe(false); // a batch-mate still waits
    calls[0]!.answer();
    expect(await long).toEqual([`gnol|${row('').key}`]);
    expect(batches).toMatchObject([{ size: 2, ok: true, discarded: 1 }]);
    expect(b.stats()).toMatchObject(idle);
  });

  it('signals the runner only when every row of the batch is cancelled', async () => {
    const { run, calls } = controllableRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0 });
    const client = new AbortController();
    const a = observe(b.submit([row('a')], { deadlineMs: 100 }));
    const c = observe(b.submit([row('c')], { signal: client.signal }));
    await tick(0);
    await tick(100);
    expectCode(a.error, 'DEADLINE_EXCEEDED');
    expect(calls[0]!.signal.aborted).toBe(false);
    client.abort();
    await tick(0);
    expect(c.status).toBe('rejected');
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[0]!.reject(new DOMException('aborted', 'AbortError'));
    await b.drain();
    expect(b.stats()).toMatchObject(idle);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a client's AbortSignal drops its queued rows; an already aborted signal is refused at once", async () => {
    const { run, calls } = controllableRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0 });
    const busy = b.submit([row('busy')]);
    await tick(0);
    const client = new AbortController();
    const gone = observe(b.submit([row('x'), row('y')], { signal: client.signal }));
    const stays = b.submit([row('stays')]);
    expect(b.stats()).toMatchObject({ queuedRequests: 2, queuedRows: 3 });
    client.abort(new AppError('DEADLINE_EXCEEDED', 'edge gave up'));
    await tick(0);
    expectCode(gone.error, 'DEADLINE_EXCEEDED');
    expect(b.stats()).toMatchObject({ queuedRequests: 1, queuedRows: 1 });
    calls[0]!.answer();
    await tick(0);
    expect(calls[1]!.rows.map((r) => r.text)).toEqual(['stays']);
    calls[1]!.answer();
    await Promise.all([busy, stays]);

    const aborted = observe(b.submit([row('z')], { signal: AbortSignal.abort() }));
    await Promise.resolve();
    expect(aborted.status).toBe('rejected');
    expect(aborted.error).toBeInstanceOf(AppError);
    expect(b.stats()).toMatchObject(idle);
  });

  it('a hung runner plus a deadline leaks no caller, slot, timer or state', async () => {
    let hang = true;
    const { run: recording } = recordingRunner();
    const signals: AbortSignal[] = [];
    const run = (rows: TRow[], key: string, signal: AbortSignal) => {
      signals.push(signal);
      return hang ? new Promise<string[]>(() => {}) : recording(rows, key);
    };
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, deadlineMs: 1000, abandonAfterMs: 500 });
    const stuck = observe(b.submit([row('stuck')]));
    const queued = observe(b.submit([row('other key', 'k2')]));
    await tick(0);
    await tick(1000);
    expectCode(stuck.error, 'DEADLINE_EXCEEDED');
    expectCode(queued.error, 'DEADLINE_EXCEEDED');
    expect(signals[0]!.aborted).toBe(true);
    expect(b.stats()).toMatchObject({ queuedRequests: 0, queuedTokens: 0, running: 1 });
    await tick(500);
    expect(b.stats()).toMatchObject({ ...idle, failedBatches: 1 });
    expect(vi.getTimerCount()).toBe(0);
    await b.drain();

    hang = false;
    const next = b.submit([row('next')]);
    await tick(0);
    expect(await next).toEqual([`txen|${row('').key}`]);
  });

  it('a deadline of 0 or less is refused at once', async () => {
    const { run } = recordingRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf });
    await expect(b.submit([row('a')], { deadlineMs: 0 })).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(b.stats()).toMatchObject(idle);
  });
});

describe('runner failures', () => {
  it('a failing runner rejects exactly the callers of that batch with a clean AppError', async () => {
    const run = async (rows: TRow[], key: string) => {
      if (key === 'bad') throw new Error('onnx exploded: internal detail');
      return rows.map((r) => f(r, key));
    };
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, concurrency: 2 });
    const bad1 = observe(b.submit([row('a', 'bad')]));
    const bad2 = observe(b.submit([row('b', 'bad'), row('c', 'bad')]));
    const good = b.submit([row('fine')]);
    expect(await good).toEqual([`enif|${row('').key}`]);
    await tick(0);
    for (const s of [bad1, bad2]) {
      const err = expectCode(s.error, 'INTERNAL');
      expect(err.message).not.toContain('onnx exploded');
      expect((err.cause as Error).message).toBe('onnx exploded: internal detail');
    }
    expect(b.stats()).toMatchObject({ ...idle, completedBatches: 1, failedBatches: 1 });

    // The batcher goes on serving.
    expect(await b.submit([row('after')])).toEqual([`retfa|${row('').key}`]);
  });

  it('an AppError from the runner reaches the callers unchanged; a runner throwing synchronously is caught', async () => {
    let mode: 'app' | 'sync' = 'app';
    const run = (_rows: TRow[]): Promise<string[]> => {
      if (mode === 'sync') throw new TypeError('sync failure');
      return Promise.reject(new AppError('MODEL_UNAVAILABLE', 'model is reloading'));
    };
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0 });
    await expect(b.submit([row('a')])).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE', message: 'model is reloading' });
    mode = 'sync';
    await expect(b.submit([row('a')])).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(b.stats()).toMatchObject(idle);
  });

  it('a runner returning the wrong number of outputs fails its batch with INTERNAL', async () => {
    const run = async (rows: TRow[]) => rows.slice(1).map((r) => r.text);
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0 });
    await expect(b.submit([row('a'), row('b')])).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('a request whose rows span two batches fails when one of them fails, and its queued rows are dropped', async () => {
    const { run, calls } = controllableRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, maxBatchSize: 1, concurrency: 1 });
    const p = observe(b.submit([row('a'), row('b'), row('c')]));
    await tick(0);
    calls[0]!.reject(new Error('boom'));
    await tick(0);
    expectCode(p.error, 'INTERNAL');
    expect(calls).toHaveLength(1);
    expect(b.stats()).toMatchObject(idle);
  });
});

describe('drain and close', () => {
  it('drain resolves when nothing is queued or running; close rejects what is queued with MODEL_UNAVAILABLE', async () => {
    const { run, calls } = controllableRunner();
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0 });
    await b.drain(); // idle: at once
    const running = b.submit([row('running')]);
    await tick(0);
    const queued = observe(b.submit([row('queued')]));
    let drained = false;
    void b.drain().then(() => (drained = true));
    let closed = false;
    void b.close().then(() => (closed = true));
    await tick(0);
    expectCode(queued.error, 'MODEL_UNAVAILABLE');
    await expect(b.submit([row('late')])).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
    expect([drained, closed]).toEqual([false, false]);
    calls[0]!.answer();
    expect(await running).toEqual([`gninnur|${row('').key}`]);
    await tick(0);
    expect([drained, closed]).toEqual([true, true]);
    expect(b.stats()).toMatchObject(idle);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('admission by expected drain time', () => {
  /** One runner, 100 tokens/s assumed before a measurement; a 10 s deadline gives a budget of 8 s (DEADLINE_SHARE). */
  const control = (options: Partial<ConstructorParameters<typeof AdmissionControl>[0]> = {}) =>
    new AdmissionControl({
      maxQueuedRequests: 1000,
      maxQueuedTokens: 1_000_000,
      concurrency: 1,
      initialTokensPerSecond: 100,
      minRetryAfterSeconds: 1,
      maxRetryAfterSeconds: 60,
      ...options,
    });
  const within10s = { deadlineMs: 10_000, runningSeconds: 0, nowMs: 0 };
  const refusal = (admit: () => unknown): AppError => {
    try {
      admit();
    } catch (err) {
      return err as AppError;
    }
    throw new Error('admitted');
  };

  it('counts the work ahead as the fair queue serves it: each other client up to this one’s own work', () => {
    expect(DEADLINE_SHARE).toBe(0.8);
    const a = control();
    a.admit([{ key: 'k', tokens: 500 }], 'A', within10s); // 5 s
    a.admit([{ key: 'k', tokens: 200 }], 'B', within10s); // min(5, 2) + 2 = 4 s
    // C: min(5, 4) + min(2, 4) + 4 = 10 s > 8 s: OVERLOADED. Served before A's backlog, it would also push
    // A (done in 2 + 5 = 7 s) to 11 s, past its 10 s deadline, which does not pass by waiting: back when A is done, 7 s.
    const err = refusal(() => a.admit([{ key: 'k', tokens: 400 }], 'C', within10s));
    expect(err.code).toBe('OVERLOADED');
    expect(err.status).toBe(503);
    expect(err.retryAfterSeconds).toBe(7);
    // A light client is not behind the whole 7 s queue: min(5, .5) + min(2, .5) + .5 = 1.5 s.
    a.admit([{ key: 'k', tokens: 50 }], 'D', within10s);
    // Running batches come first: E is 3 × .5 + .5 = 2 s behind the queue, so 5.8 s of them fit, 6.6 s do not.
    a.admit([{ key: 'k', tokens: 50 }], 'E', { deadlineMs: 10_000, runningSeconds: 5.8, nowMs: 0 });
    expect(refusal(() => a.admit([{ key: 'k', tokens: 50 }], 'F', { deadlineMs: 10_000, runningSeconds: 6.6, nowMs: 0 })).code).toBe('OVERLOADED');
    expect([a.refused, a.refusedDeadline, a.queuedRequests]).toEqual([2, 2, 4]);
  });

  it('a request in time itself is refused when it would make an admitted one late (the fair queue serves it first)', () => {
    const a = control();
    a.admit([{ key: 'k', tokens: 700 }], 'A', within10s); // 7 s: within its 8 s budget, 3 s of room to its 10 s deadline
    // B: min(7, 4) + 4 = 8 s, in time; but served first, it would push A to 4 + 7 = 11 s > 10 s.
    const err = refusal(() => a.admit([{ key: 'k', tokens: 400 }], 'B', within10s));
    expect(err.code).toBe('OVERLOADED');
    expect(err.retryAfterSeconds).toBe(7); // when A is done: that room does not come back by waiting
    a.admit([{ key: 'k', tokens: 300 }], 'B', within10s); // A at 3 + 7 = 10 s: still in time
    expect(refusal(() => a.admit([{ key: 'k', tokens: 10 }], 'C', within10s)).code).toBe('OVERLOADED'); // no room left before A
    expect(a.refused).toBe(2);
  });

  it('a client whose own backlog makes it late gets 429 RATE_LIMITED, not a 503 for everyone', () => {
    const a = control();
    a.admit([{ key: 'k', tokens: 500 }], 'heavy', within10s);
    a.admit([{ key: 'k', tokens: 200 }], 'light', within10s);
    // heavy again: min(2, 9) + 9 = 11 s > 8 s; without its backlog, min(2, 4) + 4 = 6 s would fit.
    const err = refusal(() => a.admit([{ key: 'k', tokens: 400 }], 'heavy', within10s));
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBe(3);
    expect(a.refusedClientLimit).toBe(1);
    // Another client with the same request is behind 4 + 2 s of others: 10 s, a 503.
    expect(refusal(() => a.admit([{ key: 'k', tokens: 400 }], 'other', within10s)).code).toBe('OVERLOADED');
  });

  it('work that alone cannot fit is WORK_TOO_LARGE (413) once its key is measured; before, it is served only when nothing waits', () => {
    const a = control();
    // Unmeasured: 1000 tokens at the prior 100/s = 10 s > 8 s. Idle: served (and its batches measure the key).
    const first = a.admit([{ key: 'beam4', tokens: 1000 }], 'A', within10s);
    // Not idle: a 503 (transient), never a 413 resting on the prior.
    expect(refusal(() => a.admit([{ key: 'beam4', tokens: 1000 }], 'B', within10s)).code).toBe('OVERLOADED');
    first.release();
    a.recordBatch(100, 1000, 'beam4'); // measured: 100 tokens/s
    const err = refusal(() => a.admit([{ key: 'beam4', tokens: 1000 }], 'A', within10s));
    expect(err.code).toBe('WORK_TOO_LARGE');
    expect(err.status).toBe(413);
    expect(err.retryAfterSeconds).toBeUndefined();
    expect(err.message).toMatch(/split the text/);
    expect(err.details).toEqual({ estimated_seconds: 10, deadline_seconds: 10 });
    // Within the budget it is admitted; two runners halve the time.
    a.admit([{ key: 'beam4', tokens: 700 }], 'A', within10s).release();
    const two = control({ concurrency: 2 });
    two.recordBatch(100, 1000, 'beam4');
    two.admit([{ key: 'beam4', tokens: 1000 }], 'A', within10s).release();
    expect(a.queuedRequests + two.queuedRequests).toBe(0);
  });

  it('rates are per batch key: a beam-4 token costs what beam-4 batches measured, a greedy one what greedy ones did', () => {
    const a = control();
    a.recordBatch(2000, 1000, 'greedy'); // 2000 tokens/s
    a.recordBatch(100, 1000, 'beam4'); // 100 tokens/s
    expect(a.secondsOf('greedy', 1000)).toBe(0.5);
    expect(a.secondsOf('beam4', 1000)).toBe(10);
    a.admit([{ key: 'greedy', tokens: 10_000 }], 'A', within10s).release(); // 5 s
    expect(refusal(() => a.admit([{ key: 'beam4', tokens: 900 }], 'A', within10s)).code).toBe('WORK_TOO_LARGE'); // 9 s
    // A key never measured: the prior, or the overall measured rate when that is slower.
    expect(a.secondsOf('other', 100)).toBe(1);
    const slow = control();
    slow.recordBatch(10, 1000, 'k');
    expect(slow.secondsOf('other', 100)).toBe(10);
  });

  it('a rate measured on smaller batches is scaled as if batching were free before it refuses 413', () => {
    const a = control();
    a.recordBatch(100, 1000, 'beam4', 1); // one row: 100 tokens/s
    // 1000 tokens = 10 s at that rate; in batches of 16 rows at most 10 / 16 s: not refused up front.
    const err = refusal(() => a.admit([{ key: 'beam4', tokens: 1000, batchRows: 16 }], 'A', { ...within10s, runningSeconds: 1 }));
    expect(err.code).toBe('OVERLOADED'); // transient (10 s at the measured rate, behind a running batch), not 413
    // 16 000 tokens cannot fit even so: 10 s.
    expect(refusal(() => a.admit([{ key: 'beam4', tokens: 16_000, batchRows: 16 }], 'A', within10s)).code).toBe('WORK_TOO_LARGE');
  });

  it('a batch cut by its deadline bounds its key’s rate: the next such request is refused up front instead of timing out', () => {
    const a = control();
    a.recordUnfinished(400, 10_000, 'beam4'); // 400 tokens not done in 10 s: at most 40 tokens/s
    expect(a.isMeasured('beam4')).toBe(true);
    // Only a bound (the model may have hung): refused up front only past twice the 8 s budget.
    expect(refusal(() => a.admit([{ key: 'beam4', tokens: 700 }], 'A', within10s)).code).toBe('WORK_TOO_LARGE'); // 17.5 s
    a.admit([{ key: 'beam4', tokens: 400 }], 'A', within10s).release(); // 10 s: served when idle, and measured
    a.recordUnfinished(400, 1_000, 'beam4'); // a faster bound never raises the estimate
    expect(a.secondsOf('beam4', 400)).toBe(10);
    // Once batches of a key have completed, a cut one (as likely a hung, replaced worker) changes nothing.
    const b = control();
    b.recordBatch(1000, 1000, 'k');
    b.recordUnfinished(10, 10_000, 'k');
    expect(b.secondsOf('k', 1000)).toBe(1);
  });
});

describe('the batcher admits by expected drain time (fake clock, fake engine)', () => {
  const MS_PER_TOKEN = 40; // 25 tokens/s per batch
  const timedRun = (rows: TRow[], key: string) =>
    new Promise<string[]>((resolve) => setTimeout(() => resolve(rows.map((r) => f(r, key))), rows.reduce((a, r) => a + tokensOf(r), 0) * MS_PER_TOKEN));
  const twenty = (tag: string) => row(tag.padEnd(20, '.'));

  it('refuses with OVERLOADED before the queue outgrows the deadline; Retry-After within 2x of the real wait; no admitted request times out', async () => {
    // 10 s deadline → 8 s budget = 200 tokens at 25 tokens/s; the token bound alone would admit far more.
    const b = new MicroBatcher<TRow, string>({ run: timedRun, keyOf, tokensOf, maxWaitMs: 0, maxBatchTokens: 20, deadlineMs: 10_000, now: () => Date.now() });
    await Promise.all([b.submit([twenty('warm')]), tick(1000)]);
    expect(b.stats().tokensPerSecond).toBeCloseTo(25, 6);
    const admitted: ReturnType<typeof observe<string[]>>[] = [];
    let refused: AppError | undefined;
    for (let i = 0; i < 50 && !refused; i++) {
      const r = observe(b.submit([twenty(`c${i}`)], { clientKey: `client${i}` }));
      await Promise.resolve();
      await Promise.resolve();
      if (r.status === 'rejected') refused = r.error as AppError;
      else admitted.push(r);
    }
    expect(refused?.code).toBe('OVERLOADED');
    expect(admitted.length).toBeGreaterThanOrEqual(8);
    expect(admitted.length).toBeLessThanOrEqual(10);
    // How long until the same request is admitted again.
    const t0 = Date.now();
    let again = false;
    while (!again && Date.now() - t0 < 60_000) {
      await tick(50);
      const before = b.stats().refusedOverloaded;
      const p = observe(b.submit([twenty('again')], { clientKey: 'late' }));
      again = b.stats().refusedOverloaded === before; // admit() decides synchronously
      if (again) admitted.push(p);
    }
    const realSeconds = (Date.now() - t0) / 1000;
    expect(again).toBe(true);
    expect(refused!.retryAfterSeconds).toBeGreaterThanOrEqual(realSeconds / 2);
    expect(refused!.retryAfterSeconds).toBeLessThanOrEqual(realSeconds * 2);
    await tick(20_000);
    expect(admitted.map((a) => a.status)).toEqual(admitted.map(() => 'fulfilled'));
    expect(b.stats().deadlineExceeded).toBe(0);
    await b.drain();
  });

  it('a request the measured rate says cannot fit is refused up front with WORK_TOO_LARGE, and the queue is untouched', async () => {
    const b = new MicroBatcher<TRow, string>({ run: timedRun, keyOf, tokensOf, maxWaitMs: 0, maxBatchTokens: 20, deadlineMs: 4_000, now: () => Date.now() });
    await Promise.all([b.submit([twenty('warm')]), tick(1000)]);
    // 6 rows × 20 tokens = 120 tokens = 4.8 s > 3.2 s budget
    await expect(b.submit(Array.from({ length: 6 }, (_, i) => twenty(`big${i}`)))).rejects.toMatchObject({ code: 'WORK_TOO_LARGE', status: 413 });
    expect(b.stats()).toMatchObject({ ...idle, refusedDeadline: 1 });
    const fits = b.submit(Array.from({ length: 3 }, (_, i) => twenty(`ok${i}`))); // 2.4 s
    await tick(3000);
    expect(await fits).toHaveLength(3);
  });

  it('a batch cut by its deadline measures its key: the next request of that size is refused up front, not timed out', async () => {
    // This runner stops when its batch is aborted, so the batch never completes and is never measured as done.
    const abortableRun = (rows: TRow[], key: string, signal: AbortSignal) =>
      new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => resolve(rows.map((r) => f(r, key))), rows.reduce((a, r) => a + tokensOf(r), 0) * MS_PER_TOKEN);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
    const b = new MicroBatcher<TRow, string>({ run: abortableRun, keyOf, tokensOf, maxWaitMs: 0, maxBatchTokens: 1000, deadlineMs: 4_000, now: () => Date.now() });
    // Unmeasured, 200 tokens at the prior 100/s = 2 s: admitted; it really takes 8 s.
    const first = observe(b.submit(Array.from({ length: 10 }, (_, i) => twenty(`slow${i}`))));
    await tick(4000);
    expectCode(first.error, 'DEADLINE_EXCEEDED');
    await tick(0);
    expect(b.stats()).toMatchObject({ ...idle, completedBatches: 0, failedBatches: 1 });
    // At most 50 tokens/s: 400 tokens = 8 s, past twice the 3.2 s budget.
    await expect(b.submit(Array.from({ length: 20 }, (_, i) => twenty(`again${i}`)))).rejects.toMatchObject({ code: 'WORK_TOO_LARGE' });
    expect(b.stats().deadlineExceeded).toBe(1);
  });
});
