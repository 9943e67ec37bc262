import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MicroBatcher } from '../../../inference/scheduler/batcher.js';
import { controllableRunner, f, keyOf, observe, recordingRunner, row, tick, tokensOf, type TRow } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function batcher(run: (rows: TRow[], key: string, signal: AbortSignal) => Promise<readonly string[]>, options: Record<string, unknown> = {}) {
  return new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, now: () => Date.now(), ...options });
}

const KEY_A = 'eng_Latn>fra_Latn|beam=1|max=auto';
const KEY_B = 'eng_Latn>swh_Latn|beam=1|max=auto';

describe('MicroBatcher: batching never mixes results', () => {
  it('N concurrent callers get exactly the outputs they get alone, and batches really form', async () => {
    const requests: TRow[][] = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 1 + (i % 4) }, (_, j) => row(`request ${i} sentence ${j} ${'x'.repeat((i * 7 + j * 3) % 11)}`, i % 3 === 0 ? KEY_B : KEY_A)),
    );

    // Alone: one request at a time.
    const aloneRunner = recordingRunner();
    const alone = batcher(aloneRunner.run);
    const expected: string[][] = [];
    for (const rows of requests) {
      const p = alone.submit(rows);
      await tick(10);
      expected.push(await p);
    }
    expect(aloneRunner.batches.every((b) => b.rows.length <= 4)).toBe(true);

    // Together.
    const { run, batches } = recordingRunner();
    const b = batcher(run, { maxWaitMs: 5, maxBatchSize: 8 });
    const promises = requests.map((rows) => b.submit(rows));
    await tick(5);
    const got = await Promise.all(promises);

    expect(got).toEqual(expected);
    got.forEach((outs, i) => expect(outs).toEqual(requests[i]!.map((r) => f(r, r.key))));
    expect(Math.max(...batches.map((x) => x.rows.length))).toBeGreaterThan(1);
    expect(batches.length).toBeLessThan(requests.length);
    for (const batch of batches) {
      expect(batch.rows.every((r) => r.key === batch.key)).toBe(true);
      expect(batch.rows.length).toBeLessThanOrEqual(8);
    }
    expect(b.stats()).toMatchObject({ queuedRequests: 0, queuedTokens: 0, running: 0 });
  });

  it('hands rows to the runner sorted by length and maps the outputs back to each caller in order', async () => {
    const { run, batches } = recordingRunner();
    const b = batcher(run, { maxWaitMs: 5 });
    const first = b.submit([row('medium text'), row('a'), row('the longest text of them all')]);
    const second = b.submit([row('tiny'), row('quite a long one here')]);
    await tick(5);
    expect(batches).toHaveLength(1);
    const lengths = batches[0]!.rows.map((r) => r.text.length);
    expect(lengths).toEqual([...lengths].sort((x, y) => x - y));
    expect(await first).toEqual(['txet muidem|' + KEY_A, 'a|' + KEY_A, 'lla meht fo txet tsegnol eht|' + KEY_A]);
    expect(await second).toEqual(['ynit|' + KEY_A, 'ereh eno gnol a etiuq|' + KEY_A]);
  });

  it('keeps arrival order when sorting is off', async () => {
    const { run, batches } = recordingRunner();
    const b = batcher(run, { maxWaitMs: 5, sortByLength: false });
    const p = b.submit([row('bbbb'), row('a'), row('ccc')]);
    await tick(5);
    expect(batches[0]!.rows.map((r) => r.text)).toEqual(['bbbb', 'a', 'ccc']);
    expect(await p).toEqual(['bbbb', 'a', 'ccc'].map((t) => `${[...t].reverse().join('')}|${KEY_A}`));
  });

  it('bounds batches by rows and by tokens (a single bigger row still runs alone)', async () => {
    const { run, batches } = recordingRunner();
    const b = batcher(run, { maxWaitMs: 5, maxBatchSize: 3, maxBatchTokens: 10, concurrency: 4 });
    const p = b.submit([row('aaaa'), row('bbbb'), row('cc'), row('d'), row('e'), row('f'), row('g'), row('x'.repeat(25)), row('h')]);
    await tick(5);
    await tick(5);
    await p;
    for (const batch of batches) {
      expect(batch.rows.length).toBeLessThanOrEqual(3);
      const tokens = batch.rows.reduce((a, r) => a + r.text.length, 0);
      if (batch.rows.length > 1) expect(tokens).toBeLessThanOrEqual(10);
    }
    expect(batches.some((x) => x.rows.length === 1 && x.rows[0]!.text.length === 25)).toBe(true);
  });

  it('waits up to maxWaitMs for company, but runs a full batch at once', async () => {
    const { run, batches } = recordingRunner();
    const b = batcher(run, { maxWaitMs: 50, maxBatchSize: 2 });
    const lone = b.submit([row('one')], { deadlineMs: 10_000 });
    await tick(49);
    expect(batches).toHaveLength(0);
    await tick(1);
    expect(batches).toHaveLength(1);
    await lone;

    const full = b.submit([row('one'), row('two')]);
    await tick(0);
    expect(batches).toHaveLength(2);
    await full;
  });

  it('maxWaitMs 0: requests of the same tick share a batch that runs at once', async () => {
    const { run, batches } = recordingRunner();
    const b = batcher(run, { maxWaitMs: 0 });
    const ps = [b.submit([row('a')]), b.submit([row('b')]), b.submit([row('c')])];
    await tick(0);
    expect(batches.map((x) => x.rows.length)).toEqual([3]);
    await Promise.all(ps);
  });

  it('runs at most `concurrency` batches; rows arriving meanwhile form the next batch', async () => {
    const { run, calls } = controllableRunner();
    const b = batcher(run, { maxWaitMs: 0, concurrency: 2 });
    const p1 = b.submit([row('first')]);
    await tick(0);
    const p2 = b.submit([row('second', KEY_B)]);
    await tick(0);
    const later = [b.submit([row('x')]), b.submit([row('y')]), b.submit([row('z')])];
    await tick(0);
    expect(calls).toHaveLength(2);
    expect(b.stats()).toMatchObject({ running: 2, queuedRequests: 3 });
    calls[0]!.answer();
    await tick(0);
    expect(calls).toHaveLength(3);
    expect(calls[2]!.rows.map((r) => r.text)).toEqual(['x', 'y', 'z']);
    calls[1]!.answer();
    calls[2]!.answer();
    expect(await p1).toEqual([`tsrif|${KEY_A}`]);
    expect(await p2).toEqual([`dnoces|${KEY_B}`]);
    expect(await Promise.all(later)).toEqual([[`x|${KEY_A}`], [`y|${KEY_A}`], [`z|${KEY_A}`]]);
  });

  it('a request spanning keys and batches gets its outputs in row order', async () => {
    const { run, batches } = recordingRunner();
    const b = batcher(run, { maxWaitMs: 0, maxBatchSize: 2, concurrency: 3 });
    const rows = [row('a1'), row('b1', KEY_B), row('a2'), row('b2', KEY_B), row('a3'), row('a4'), row('a5')];
    const p = b.submit(rows);
    await tick(0);
    await tick(0);
    expect(await p).toEqual(rows.map((r) => f(r, r.key)));
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches) expect(batch.rows.every((r) => r.key === batch.key)).toBe(true);
  });

  it('property: any interleaving of requests, keys and limits gives every caller f(its rows) in order', async () => {
    vi.useRealTimers();
    const rowArb = fc.record({ text: fc.string({ maxLength: 12 }), key: fc.constantFrom(KEY_A, KEY_B, 'x>y|beam=4|max=64') });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(rowArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        async (requests, maxBatchSize, maxBatchTokens, concurrency, sortByLength) => {
          const { run, batches } = recordingRunner();
          const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, maxBatchSize, maxBatchTokens, concurrency, sortByLength });
          const got = await Promise.all(requests.map((rows) => b.submit(rows)));
          got.forEach((outs, i) => expect(outs).toEqual(requests[i]!.map((r) => f(r, r.key))));
          for (const batch of batches) {
            expect(batch.rows.every((r) => r.key === batch.key)).toBe(true);
            expect(batch.rows.length).toBeLessThanOrEqual(maxBatchSize);
          }
          await b.drain();
          expect(b.stats()).toMatchObject({ queuedRequests: 0, queuedTokens: 0, queuedRows: 0, running: 0 });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reports each batch to onBatch and sums up in stats()', async () => {
    let clock = 0;
    const { run, calls } = controllableRunner();
    const seen: unknown[] = [];
    const b = new MicroBatcher<TRow, string>({ run, keyOf, tokensOf, maxWaitMs: 0, now: () => clock, onBatch: (info) => seen.push(info) });
    const p = Promise.all([b.submit([row('abcd'), row('ef')]), b.submit([row('ghij')])]);
    await tick(0);
    clock += 250;
    calls[0]!.answer();
    await p;
    expect(seen).toEqual([{ key: KEY_A, size: 3, tokens: 10, durationMs: 250, ok: true, discarded: 0 }]);
    expect(b.stats()).toEqual({
      queuedRequests: 0,
      queuedTokens: 0,
      queuedRows: 0,
      running: 0,
      runningRows: 0,
      completedBatches: 1,
      failedBatches: 0,
      meanBatchSize: 3,
      rowsProcessed: 3,
      tokensPerSecond: 40,
      refusedOverloaded: 0,
      refusedClientLimit: 0,
      refusedDeadline: 0,
      queuedClients: 0,
      deadlineExceeded: 0,
    });
  });

  it('an empty request resolves at once without a batch', async () => {
    const { run, batches } = recordingRunner();
    const b = batcher(run);
    const state = observe(b.submit([]));
    await Promise.resolve();
    await Promise.resolve();
    expect(state.status).toBe('fulfilled');
    expect(state.value).toEqual([]);
    expect(batches).toHaveLength(0);
  });
});
