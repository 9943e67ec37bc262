/**
 * The worker pool: a worker that dies (process.exit, an uncaught exception, a hung job past the
 * timeout) is replaced; its caller gets a clean AppError, queued and later calls succeed; close()
 * rejects what is pending. Crashes use test-only hooks (engine loaded with testHooks).
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { TranslationEngine } from '../../../inference/engine/index.js';

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
    const engine = await TranslationEngine.load(FIXTURE, { workers: 1, intraOpThreads: 1, testHooks: true, jobTimeoutMs: 3000 });
    try {
      const err = await rejection(engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', { ...OPTS, testCrash: 'hang' }));
      expect(err.code).toBe('INTERNAL');
      expect(err.message).toContain('did not finish within 3000 ms');
      const ok = await engine.translate(TEXTS, 'eng_Latn', 'swh_Latn', OPTS);
      expect(ok.translations).toHaveLength(2);
      expect(engine.stats.restarts).toBe(1);
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
