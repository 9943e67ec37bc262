/**
 * A control word shared between the pool and one worker (SharedArrayBuffer), so the pool never
 * terminates a worker while it is inside a native onnxruntime call.
 *
 * Terminating a worker thread during a synchronous onnxruntime-node call (session.run or session
 * creation) aborts the WHOLE process ("terminate called after throwing an instance of
 * 'Napi::Error'"). So the worker marks every native call (NATIVE = 1) and checks a stop request
 * before starting one; the pool sets STOP first, then reads NATIVE: seq-cst store-then-load on both
 * sides means that if the pool sees NATIVE = 0, the worker will see STOP before any further native
 * call, and terminate() is safe.
 */
export const NATIVE = 0;
export const STOP = 1;

export type Control = Int32Array;

export function createControl(): Control {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** Thrown in the worker when a stop was requested before a native call. */
export class StopRequested extends Error {
  constructor() {
    super('the inference worker is stopping');
    this.name = 'StopRequested';
  }
}

/** Wraps native onnxruntime calls of one worker. */
export interface NativeGuard {
  <T>(call: () => Promise<T>): Promise<T>;
}

export function nativeGuard(control: Control | null): NativeGuard {
  if (control === null) return (call) => call();
  return async (call) => {
    Atomics.store(control, NATIVE, 1);
    if (Atomics.load(control, STOP) !== 0) {
      Atomics.store(control, NATIVE, 0);
      throw new StopRequested();
    }
    try {
      return await call();
    } finally {
      Atomics.store(control, NATIVE, 0);
    }
  };
}
