import { describe, expect, it } from 'vitest';
import { Swappable } from '../../../inference/runtime/swappable.js';

class Model {
  closed = false;
  constructor(readonly name: string) {}
  async close() {
    this.closed = true;
  }
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Swappable', () => {
  it('lets in-flight work finish on the old value and closes it afterwards', async () => {
    const old = new Model('old');
    const holder = new Swappable(old);
    const gate = deferred();
    const inFlight = holder.use(async (m) => {
      await gate.promise;
      return m.name;
    });
    const fresh = await holder.swap(async () => new Model('new'));
    expect(holder.peek()).toBe(fresh);
    expect(old.closed).toBe(false);
    expect(await holder.use(async (m) => m.name)).toBe('new');
    gate.resolve();
    expect(await inFlight).toBe('old');
    await new Promise((r) => setImmediate(r));
    expect(old.closed).toBe(true);
  });

  it('keeps the old value serving when the load fails', async () => {
    const old = new Model('old');
    const holder = new Swappable(old);
    await expect(holder.swap(async () => { throw new Error('corrupt model'); })).rejects.toThrow('corrupt model');
    expect(holder.peek()).toBe(old);
    expect(old.closed).toBe(false);
  });

  it('serialises concurrent swaps', async () => {
    const holder = new Swappable(new Model('a'));
    const first = deferred<Model>();
    const s1 = holder.swap(() => first.promise);
    const s2 = holder.swap(async () => new Model('c'));
    first.resolve(new Model('b'));
    await Promise.all([s1, s2]);
    expect(holder.peek().name).toBe('c');
  });
});
