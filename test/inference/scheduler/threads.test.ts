import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION, type GenerationSettings } from '../../../inference/engine/index.js';
import { translationBatchKey } from '../../../inference/scheduler/keys.js';
import { planThreads } from '../../../inference/scheduler/threads.js';

describe('planThreads', () => {
  it.each([
    [1, 1, 1],
    [2, 1, 2],
    [4, 1, 4],
    [6, 1, 6],
    [8, 1, 8],
    [12, 1, 12],
    [16, 2, 8],
    [64, 8, 8],
  ])('%i cores → %i workers × %i intra-op threads', (cores, workers, intra) => {
    expect(planThreads({ cores })).toEqual({ cores, workers, intraOpThreads: intra, interOpThreads: 1 });
  });

  it('never oversubscribes the cores by default, and uses the machine when not told', () => {
    for (let cores = 1; cores <= 128; cores++) {
      const plan = planThreads({ cores });
      expect(plan.workers * plan.intraOpThreads).toBeLessThanOrEqual(cores);
      expect(plan.workers).toBeGreaterThanOrEqual(1);
    }
    expect(planThreads().cores).toBeGreaterThanOrEqual(1);
  });

  it('honours overrides, maxWorkers and the memory bound', () => {
    expect(planThreads({ cores: 16, workers: 3 })).toMatchObject({ workers: 3, intraOpThreads: 5 });
    expect(planThreads({ cores: 16, intraOpThreads: 2 })).toMatchObject({ workers: 2, intraOpThreads: 2 });
    expect(planThreads({ cores: 32, maxWorkers: 2 })).toMatchObject({ workers: 2, intraOpThreads: 16 });
    expect(planThreads({ cores: 32, memoryBytes: 2.5e9, bytesPerWorker: 1e9 })).toMatchObject({ workers: 2, intraOpThreads: 16 });
    expect(planThreads({ cores: 16, memoryBytes: 1e8, bytesPerWorker: 1e9 })).toMatchObject({ workers: 1, intraOpThreads: 16 });
    expect(planThreads({ cores: 12, coresPerWorker: 2 })).toMatchObject({ workers: 6, intraOpThreads: 2 });
  });
});

describe('translationBatchKey', () => {
  const base: GenerationSettings = { ...DEFAULT_GENERATION };

  it('is the same for equal settings, whatever object holds them', () => {
    expect(translationBatchKey({ ...base })).toBe(translationBatchKey(base));
    expect(translationBatchKey({ ...base, repetitionGuard: { maxNgram: 4, minRepeats: 6 } })).toBe(
      translationBatchKey({ ...base, repetitionGuard: { minRepeats: 6, maxNgram: 4 } }),
    );
  });

  it.each([
    ['beamSize', { beamSize: 4 }],
    ['lengthPenalty', { lengthPenalty: 1.2 }],
    ['earlyStopping', { earlyStopping: 'never' as const }],
    ['noRepeatNgramSize', { noRepeatNgramSize: 3 }],
    ['repetitionGuard off', { repetitionGuard: null }],
    ['repetitionGuard size', { repetitionGuard: { maxNgram: 2, minRepeats: 6 } }],
    ['useCache', { useCache: false }],
  ] as const)('differs when %s differs (rows that would decode differently never share a job)', (_, change) => {
    expect(translationBatchKey({ ...base, ...change })).not.toBe(translationBatchKey(base));
  });

  it('differs when only the n-best count differs (options.alternatives at the same beam size)', () => {
    const beam = { ...base, beamSize: 4 };
    expect(translationBatchKey({ ...beam, alternatives: 3 })).not.toBe(translationBatchKey({ ...beam, alternatives: 0 }));
  });
});
