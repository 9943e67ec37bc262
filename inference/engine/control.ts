/**
 * A control word shared between the pool and one worker (SharedArrayBuffer), so the pool never
 * terminates a worker while it is inside a native onnxruntime call, and can cancel a job nobody
 * waits for without stopping its worker.
 *
 * Terminating a worker thread during a synchronous onnxruntime-node call (session.run or session
 * creation) aborts the WHOLE process ("terminate called after throwing an instance of
 * 'Napi::Error'"). So the worker marks every native call (NATIVE = 1) and checks a stop request
 * before starting one; the pool sets STOP first, then reads NATIVE: seq-cst store-then-load on both
 * sides means that if the pool sees NATIVE = 0, the worker will see STOP before any further native
 * call, and terminate() is safe.
 *
 * CANCEL holds the id of a job the pool gave up on (its callers are gone): the worker checks it
 * before every native call too and ends that job early, then serves the next one.
 */
export const NATIVE = 0;
export const STOP = 1;
export const CANCEL = 2;

export type Control = Int32Array;

export function createControl(): Control {
  return new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
}

/** Pool side: asks the worker to end job `id` before its next native call (wakes a waiting worker). */
export function requestCancel(control: Control, id: number): void {
  Atomics.store(control, CANCEL, id);
  Atomics.notify(control, CANCEL);
}

/** Thrown in the worker when a stop was requested before a native call. */
export class StopRequested extends Error {
  constructor() {
    super('the inference worker is stopping');
    this.name = 'StopRequested';
  }
}

/** Thrown in the worker when its current job was cancelled before a native call. */
export class JobCancelled extends Error {
  constructor() {
    super('the job was cancelled');
    this.name = 'JobCancelled';
  }
}

/** Wraps native onnxruntime calls of one worker. */
export interface NativeGuard {
  <T>(call: () => Promise<T>): Promise<T>;
}

/**
 * The guard of a worker: `currentJob` is the id of the job it runs (0 while loading or idle).
 * `null` control (the main thread, benchmarks): no checks.
 */
export function nativeGuard(control: Control | null, currentJob: () => number = () => 0): NativeGuard {
  if (control === null) return (call) => call();
  return async (call) => {
    Atomics.store(control, NATIVE, 1);
    if (Atomics.load(control, STOP) !== 0) {
      Atomics.store(control, NATIVE, 0);
      throw new StopRequested();
    }
    const job = currentJob();
    if (job !== 0 && Atomics.load(control, CANCEL) === job) {
      Atomics.store(control, NATIVE, 0);
      throw new JobCancelled();
    }
    try {
      return await call();
    } finally {
      Atomics.store(control, NATIVE, 0);
    }
  };
}
