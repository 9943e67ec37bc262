import { describe, expect, it } from 'vitest';
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
  it('keys rows by what one generate call must share', () => {
    expect(translationBatchKey({ beams: 1 })).toBe('*>*|beam=1|max=auto');
    expect(translationBatchKey({ tgt: 'fra_Latn', beams: 1 })).toBe('*>fra_Latn|beam=1|max=auto');
    expect(translationBatchKey({ src: 'eng_Latn', tgt: 'fra_Latn', beams: 4, maxNewTokens: 64 })).toBe('eng_Latn>fra_Latn|beam=4|max=64');
    expect(translationBatchKey({ beams: 2, search: 'lp=1.2' })).toBe('*>*|beam=2|max=auto|lp=1.2');
    expect(translationBatchKey({ beams: 1 })).not.toBe(translationBatchKey({ beams: 2 }));
  });
});
