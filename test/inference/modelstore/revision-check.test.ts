import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RevisionChecker, checkForNewerRevision } from '../../../inference/modelstore/index.js';
import { startFakeHub, type FakeHub } from '../../support/fake-hub.js';
import { COMMIT_A, COMMIT_B, REPO } from './fixtures.js';

let hub: FakeHub;

beforeEach(async () => {
  hub = await startFakeHub([{ repo: REPO, commits: { [COMMIT_A]: [], [COMMIT_B]: [] }, refs: { main: COMMIT_A } }]);
});

afterEach(async () => {
  await hub.close();
});

describe('checkForNewerRevision', () => {
  it('is false while the branch points at the served commit, true once it moves', async () => {
    expect(await checkForNewerRevision(REPO, COMMIT_A, { hubUrl: hub.url })).toBe(false);
    hub.setRef(REPO, 'main', COMMIT_B);
    expect(await checkForNewerRevision(REPO, COMMIT_A, { hubUrl: hub.url })).toBe(true);
  });

  it("is 'unknown' offline, for an unknown repo, and for a revision that is not a commit", async () => {
    expect(await checkForNewerRevision('nobody/nothing', COMMIT_A, { hubUrl: hub.url })).toBe('unknown');
    expect(await checkForNewerRevision(REPO, 'fixture-0123456789ab', { hubUrl: hub.url })).toBe('unknown');
    await hub.close();
    expect(await checkForNewerRevision(REPO, COMMIT_A, { hubUrl: hub.url, timeoutMs: 2_000 })).toBe('unknown');
  });
});

describe('RevisionChecker', () => {
  it('answers from its last check without waiting, and re-checks on demand', async () => {
    const checker = new RevisionChecker({ repo: REPO, currentRevision: COMMIT_A, hubUrl: hub.url, intervalMs: 0 });
    expect(checker.newerAvailable).toBe('unknown');
    expect(checker.lastCheckedAt).toBeNull();

    const started = performance.now();
    checker.start(); // returns at once; the first check runs in the background
    expect(performance.now() - started).toBeLessThan(50);
    await expect.poll(() => checker.newerAvailable).toBe(false);
    expect(checker.lastCheckedAt).toBeInstanceOf(Date);

    hub.setRef(REPO, 'main', COMMIT_B);
    expect(await checker.checkNow()).toBe(true);
    expect(checker.newerAvailable).toBe(true);

    checker.setCurrentRevision(COMMIT_B);
    expect(checker.newerAvailable).toBe('unknown');
    expect(await checker.checkNow()).toBe(false);
    checker.stop();
  });

  it('merges overlapping checks and survives a failing one', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const checker = new RevisionChecker({
      repo: REPO,
      currentRevision: COMMIT_A,
      intervalMs: 0,
      check: async () => {
        calls++;
        await new Promise<void>((resolve) => (release = resolve));
        throw new Error('Hub on fire');
      },
    });
    const first = checker.checkNow();
    const second = checker.checkNow();
    release();
    expect(await first).toBe('unknown');
    expect(await second).toBe('unknown');
    expect(calls).toBe(1);
  });

  it('runs hourly by default on an unref-ed timer', async () => {
    const checker = new RevisionChecker({ repo: REPO, currentRevision: COMMIT_A, check: async () => false });
    checker.start();
    const timer = (checker as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    expect((timer as unknown as { _idleTimeout: number })._idleTimeout).toBe(3_600_000);
    checker.stop();
  });
});
