import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { AdmissionControl } from '../../../inference/scheduler/admission.js';
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
