/** control.ts: the guard around native calls refuses them once a stop or this job's cancellation is asked for. */
import { describe, expect, it } from 'vitest';
import { createControl, JobCancelled, NATIVE, nativeGuard, requestCancel, STOP, StopRequested } from '../../../inference/engine/control.js';

describe('nativeGuard', () => {
  it('marks a native call while it runs', async () => {
    const control = createControl();
    const guard = nativeGuard(control, () => 7);
    const seen = await guard(async () => Atomics.load(control, NATIVE));
    expect(seen).toBe(1);
    expect(Atomics.load(control, NATIVE)).toBe(0);
  });

  it('cancels only the job it was asked to, before the call starts', async () => {
    const control = createControl();
    let job = 7;
    const guard = nativeGuard(control, () => job);
    let calls = 0;
    const call = async () => ++calls;
    requestCancel(control, 6); // an earlier job: no effect on job 7
    await expect(guard(call)).resolves.toBe(1);
    requestCancel(control, 7);
    await expect(guard(call)).rejects.toBeInstanceOf(JobCancelled);
    expect(calls).toBe(1);
    expect(Atomics.load(control, NATIVE)).toBe(0);
    job = 8; // the worker moved on: the old cancellation does not touch the next job
    await expect(guard(call)).resolves.toBe(2);
  });

  it('ignores cancellations while no job runs (loading, warm-up) but honours a stop', async () => {
    const control = createControl();
    const guard = nativeGuard(control, () => 0);
    requestCancel(control, 0);
    await expect(guard(async () => 'loaded')).resolves.toBe('loaded');
    Atomics.store(control, STOP, 1);
    await expect(guard(async () => 'never')).rejects.toBeInstanceOf(StopRequested);
    expect(Atomics.load(control, NATIVE)).toBe(0);
  });
});
