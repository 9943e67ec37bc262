/**
 * The worker pool: a worker that dies (process.exit, an uncaught exception, a hung job past the
 * timeout) is replaced; its caller gets a clean AppError, queued and later calls succeed; an
 * aborted job leaves the queue or is cancelled on its worker; close() rejects what is pending.
 * Crashes use test-only hooks (engine loaded with testHooks).
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { TranslationEngine, type RestartReason } from '../../../inference/engine/index.js';

const FIXTURE = resolve(import.meta.dirname, '../../../models/tiny');
const TEXTS = ['the child drinks water.', 'the teacher eats bread.'];
const OPTS = { repetitionGuard: null } as const;

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe('inference worker pool', () => {
  let engine: TranslationEngine;
  let baseline: number[][];

  beforeAll(async () => {
    engine = await TranslationEngine.load(FIXTURE, { workers: 1, intraOpThreads: 1, testHooks: true });
    baseline = (await engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS)).tokenIds;
  });
  afterAll(async () => {
    await engine.close();
  });

  it('a worker that calls process.exit mid-job: its caller gets INTERNAL, the next call succeeds on a replacement', async () => {
    const before = engine.stats.restarts;
    const err = await rejection(engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'exit' }));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toMatch(/^the inference worker crashed while serving this request \(exit code 70\)/);
    const next = await engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS);
    expect(next.tokenIds).toEqual(baseline);
    expect(engine.stats.restarts).toBe(before + 1);
  });

  it('an uncaught exception in the worker: clean INTERNAL error naming it, then recovery', async () => {
    const err = await rejection(engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'throw' }));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toContain('uncaught exception in the inference worker');
    expect((await engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS)).tokenIds).toEqual(baseline);
  });

  it('calls queued behind a crashing one are served by the replacement', async () => {
    const crashing = engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'exit' });
    const queued = [0, 1, 2].map(() => engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS));
    expect((await rejection(crashing)).code).toBe('INTERNAL');
    for (const r of await Promise.all(queued)) expect(r.tokenIds).toEqual(baseline);
  });

  it('a worker that dies while idle is replaced before the next call', async () => {
    const before = engine.stats.restarts;
    engine.crashWorkerForTest(0, 'exit');
    await vi.waitFor(() => {
      expect(engine.stats.restarts).toBe(before + 1);
      expect(engine.stats.ready).toBe(1);
    }, { timeout: 20_000, interval: 20 });
    expect((await engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS)).tokenIds).toEqual(baseline);
  });
});

describe('job timeout and close', () => {
  it('a hung job is abandoned after jobTimeoutMs and its worker replaced', async () => {
    const restarts: RestartReason[] = [];
    const engine = await TranslationEngine.load(FIXTURE, {
      workers: 1,
      intraOpThreads: 1,
      testHooks: true,
      jobTimeoutMs: 3000,
      onWorkerRestart: (reason) => restarts.push(reason),
    });
    try {
      const err = await rejection(engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'hang' }));
      expect(err.code).toBe('INTERNAL');
      expect(err.message).toContain('did not finish within 3000 ms');
      const ok = await engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS);
      expect(ok.translations).toHaveLength(2);
      expect(engine.stats.restarts).toBe(1);
      expect(restarts).toEqual(['timeout']);
      // a crash is told apart from a timeout
      await rejection(engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'exit' }));
      expect(restarts).toEqual(['timeout', 'crash']);
    } finally {
      await engine.close();
    }
  });

  it('close() rejects pending calls with MODEL_UNAVAILABLE, and later calls too', async () => {
    const engine = await TranslationEngine.load(FIXTURE, { workers: 2, intraOpThreads: 1 });
    const pending = Promise.allSettled([0, 1, 2, 3].map(() => engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { beamSize: 4, useCache: false })));
    await engine.close();
    const settled = await pending;
    for (const s of settled) {
      if (s.status === 'rejected') expect((s.reason as AppError).code).toBe('MODEL_UNAVAILABLE');
    }
    expect(settled.some((s) => s.status === 'rejected')).toBe(true);
    const err = await rejection(engine.translate(TEXTS, 'eng_Latn', 'swh_Latn'));
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    await engine.close(); // idempotent
  });

  it('test hooks are ignored unless enabled', async () => {
    const engine = await TranslationEngine.load(FIXTURE, { workers: 1, intraOpThreads: 1 });
    try {
      const r = await engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'exit' });
      expect(r.translations).toHaveLength(2);
      expect(engine.stats.restarts).toBe(0);
    } finally {
      await engine.close();
    }
  });
});

describe('aborted jobs', () => {
  let engine: TranslationEngine;
  beforeAll(async () => {
    engine = await TranslationEngine.load(FIXTURE, { workers: 1, intraOpThreads: 1, testHooks: true, jobTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('a job aborted before it is sent never reaches the pool', async () => {
    const controller = new AbortController();
    controller.abort(new AppError('DEADLINE_EXCEEDED', 'gone before it started'));
    const err = await rejection(engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'exit', signal: controller.signal }));
    expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: 'gone before it started' });
    expect(engine.stats).toMatchObject({ queued: 0, busy: 0, restarts: 0 });
  });

  it('a queued job leaves the queue on abort; a running one is cancelled and its worker serves the next', async () => {
    const before = engine.stats;
    const running = new AbortController();
    const queued = new AbortController();
    // The running job idles (outside any native call) until it is cancelled.
    const first = engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'wait-for-cancel', signal: running.signal });
    // Had this one ever run, it would kill its worker (and count a restart).
    const second = engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'exit', signal: queued.signal });
    await vi.waitFor(() => expect(engine.stats).toMatchObject({ busy: 1, queued: 1 }), { timeout: 10_000, interval: 10 });

    queued.abort();
    const queuedErr = await rejection(second);
    expect(queuedErr.code).toBe('DEADLINE_EXCEEDED');
    expect(engine.stats.queued).toBe(0);

    running.abort(new AppError('DEADLINE_EXCEEDED', 'every caller of this batch is gone'));
    const runningErr = await rejection(first);
    expect(runningErr).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: 'every caller of this batch is gone' });
    await vi.waitFor(() => expect(engine.stats).toMatchObject({ busy: 0, cancelled: before.cancelled + 1 }), { timeout: 10_000, interval: 10 });

    expect((await engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS)).translations).toHaveLength(2);
    expect(engine.stats.restarts).toBe(before.restarts);
  });

  it('an aborted job whose worker hangs: its caller gets DEADLINE_EXCEEDED, not the stuck worker\'s INTERNAL', async () => {
    const hanging = await TranslationEngine.load(FIXTURE, { workers: 1, intraOpThreads: 1, testHooks: true, jobTimeoutMs: 2000 });
    try {
      const controller = new AbortController();
      const call = hanging.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'hang', signal: controller.signal });
      await vi.waitFor(() => expect(hanging.stats.busy).toBe(1), { timeout: 10_000, interval: 10 });
      controller.abort();
      expect((await rejection(call)).code).toBe('DEADLINE_EXCEEDED');
      // The hang ignores the cancellation: the job timeout replaces the worker, and the next call is served.
      await vi.waitFor(() => expect(hanging.stats).toMatchObject({ restarts: 1, ready: 1 }), { timeout: 20_000, interval: 20 });
      expect((await hanging.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS)).translations).toHaveLength(2);
    } finally {
      await hanging.close();
    }
  });
});
