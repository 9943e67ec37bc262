import { vi } from 'vitest';

/** A test row: its text, its batch key and a token count (the text's length). */
export interface TRow {
  text: string;
  key: string;
}

export const keyOf = (row: TRow): string => row.key;
export const tokensOf = (row: TRow): number => row.text.length;

/** The deterministic "translation" of the fake runners: reversed text tagged with the key. */
export const f = (row: TRow, key: string): string => `${[...row.text].reverse().join('')}|${key}`;

export interface RecordedBatch {
  key: string;
  rows: TRow[];
}

/** A runner that answers f(row) for every row at once and records what it was given. */
export function recordingRunner() {
  const batches: RecordedBatch[] = [];
  const run = async (rows: TRow[], key: string): Promise<string[]> => {
    batches.push({ key, rows: [...rows] });
    return rows.map((r) => f(r, key));
  };
  return { run, batches };
}

export interface PendingCall {
  rows: TRow[];
  key: string;
  signal: AbortSignal;
  /** Answers f(row) for every row. */
  answer(): void;
  resolve(outs: string[]): void;
  reject(err: unknown): void;
}

/** A runner whose batches finish only when the test says so. */
export function controllableRunner() {
  const calls: PendingCall[] = [];
  const run = (rows: TRow[], key: string, signal: AbortSignal): Promise<string[]> =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ rows: [...rows], key, signal, answer: () => resolve(rows.map((r) => f(r, key))), resolve, reject });
    });
  return { run, calls };
}

/** Lets queued microtasks and due timers run (fake timers). */
export async function tick(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

export const row = (text: string, key = 'eng_Latn>fra_Latn|beam=1|max=auto'): TRow => ({ text, key });

/** Observes a promise's outcome without awaiting it, so "rejected at once" can be asserted. */
export function observe<T>(promise: Promise<T>) {
  const state: { status: 'pending' | 'fulfilled' | 'rejected'; value?: T; error?: unknown } = { status: 'pending' };
  promise.then(
    (value) => Object.assign(state, { status: 'fulfilled', value }),
    (error: unknown) => Object.assign(state, { status: 'rejected', error }),
  );
  return state;
}
