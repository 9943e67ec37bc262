/**
 * A small pool of inference workers (worker_threads). Each worker loads the ONNX sessions once and
 * serves one generate job at a time; jobs wait in a FIFO queue for the next idle worker.
 *
 * A job's AbortSignal (its batch's callers are all gone) takes a queued job out of the queue and
 * cancels a running one: its caller is rejected at once (the signal's AppError, else
 * DEADLINE_EXCEEDED), and the worker ends the job before its next native call and serves the next.
 *
 * A worker that dies (process.exit, an uncaught error) or that has not answered its job within
 * `jobTimeoutMs` (stuck: it did not even act on a cancellation) is replaced; the caller it was
 * serving gets INTERNAL, never a hang. A replacement that fails to start leaves its slot dead; when
 * every slot is dead, waiting and new jobs fail with MODEL_UNAVAILABLE. close() rejects what is
 * pending and stops every worker.
 *
 * Workers are stopped through a shared control word (control.ts), never terminate()d inside a
 * native onnxruntime call: that aborts the whole process in onnxruntime-node 1.30.
 *
 * Workers start from worker-bootstrap.mjs, which registers tsx in the worker thread and imports
 * worker.ts: this works when the parent runs under tsx, under vitest, or plain node.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors.js';
import { createControl, NATIVE, requestCancel, STOP, type Control } from './control.js';
import type { ModelFolder } from './model-folder.js';
import { ModelFolderError } from './model-folder.js';
import {
  transferablesOf,
  type FromWorker,
  type GenerateJob,
  type GenerateOutput,
  type IdleTestCrash,
  type ToWorker,
  type WorkerInit,
} from './protocol.js';

/** Why a worker was replaced: it exited (while serving or idle), or it did not answer within jobTimeoutMs. */
export type RestartReason = 'crash' | 'timeout';
export const RESTART_REASONS: readonly RestartReason[] = ['crash', 'timeout'];

export interface PoolOptions {
  /** Worker threads (each holds its own sessions). Default 1. */
  workers?: number;
  /** onnxruntime intra-op threads per worker. Default: available cores / workers (at least 1). */
  intraOpThreads?: number;
  /** onnxruntime inter-op threads per worker. Default 1. */
  interOpThreads?: number;
  /**
   * A worker that has not answered its job this long after it got it is stuck: the job's caller gets
   * INTERNAL (unless it was aborted already) and the worker is replaced. Default: no limit.
   */
  jobTimeoutMs?: number;
  /** Called once per replaced worker (metrics). */
  onRestart?: (reason: RestartReason) => void;
  /** Run a tiny inference when a worker starts (catches graphs that load but cannot run). Default true. */
  warmUp?: boolean;
  /** Honour test-only crash requests. Never enable in production. */
  testHooks?: boolean;
}

export interface GenerateOptions {
  /** Aborted when nobody waits for the result any more: the job leaves the queue or is cancelled. */
  signal?: AbortSignal | undefined;
}

export interface PoolStats {
  workers: number;
  ready: number;
  busy: number;
  queued: number;
  /** Workers replaced after a crash or a timeout. */
  restarts: number;
  /** Running jobs that their worker ended early because they were cancelled. */
  cancelled: number;
}

interface Pending {
  id: number;
  job: GenerateJob;
  /** Settle the caller, once: an aborted job keeps its worker busy until the worker answers. */
  resolve: (output: GenerateOutput) => void;
  reject: (err: AppError) => void;
  settled: boolean;
  signal: AbortSignal | undefined;
  timer?: NodeJS.Timeout;
  cleanupSignal?: () => void;
}

/** One worker thread and its shared control word. */
interface Handle {
  worker: Worker;
  control: Control;
  exited: Promise<void>;
  hasExited: boolean;
  lastError: string | undefined;
  /** The pool asked it to stop (timeout, close, failed start): its exit is not a crash. */
  stopping: boolean;
}

type SlotState = 'starting' | 'idle' | 'busy' | 'dead' | 'stopped';

interface Slot {
  index: number;
  handle: Handle | null;
  state: SlotState;
  job: Pending | null;
}

class InitFailure extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const HERE = import.meta.url;
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', HERE);
const ENTRY = new URL(HERE.endsWith('.ts') ? './worker.ts' : './worker.js', HERE).href;

/** How long close() waits for workers busy in a native call before giving up on them. */
const CLOSE_GRACE_MS = 30_000;

function closedError(): AppError {
  return new AppError('MODEL_UNAVAILABLE', 'the translation engine is closed');
}

function abortError(signal: AbortSignal | undefined): AppError {
  if (signal?.reason instanceof AppError) return signal.reason;
  return new AppError('DEADLINE_EXCEEDED', 'the request was abandoned before inference finished', { cause: signal?.reason });
}

export class InferencePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  /** Every live worker, including ones being stopped after a timeout. */
  private readonly handles = new Set<Handle>();
  private nextId = 1;
  private closed = false;
  private restarts = 0;
  private cancelled = 0;
  private deadReason = '';
  private readonly init: WorkerInit;
  private readonly jobTimeoutMs: number | undefined;
  private readonly onRestart: ((reason: RestartReason) => void) | undefined;

  private constructor(
    readonly folder: ModelFolder,
    options: PoolOptions,
  ) {
    const workers = options.workers ?? 1;
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
    const intra = options.intraOpThreads ?? Math.max(1, Math.floor(availableParallelism() / workers));
    const inter = options.interOpThreads ?? 1;
    for (const [name, v] of [['intraOpThreads', intra], ['interOpThreads', inter]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
    }
    if (options.jobTimeoutMs !== undefined && !(options.jobTimeoutMs > 0)) throw new RangeError('jobTimeoutMs must be positive');
    this.jobTimeoutMs = options.jobTimeoutMs;
    this.onRestart = options.onRestart;
    this.init = {
      variant: folder.variant,
      config: folder.config,
      graphs: folder.graphs,
      settings: { intraOpThreads: intra, interOpThreads: inter },
      testHooks: options.testHooks ?? false,
      warmUp: options.warmUp ?? true,
    };
    for (let i = 0; i < workers; i++) this.slots.push({ index: i, handle: null, state: 'stopped', job: null });
  }

  /** Starts every worker and waits until all have loaded the model. Throws ModelFolderError. */
  static async start(folder: ModelFolder, options: PoolOptions = {}): Promise<InferencePool> {
    const pool = new InferencePool(folder, options);
    const results = await Promise.allSettled(pool.slots.map((s) => pool.spawn(s)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await pool.close();
      const reason: unknown = failed.reason;
      throw new ModelFolderError(folder.dir, reason instanceof InitFailure ? reason.problems : [String(reason)]);
    }
    return pool;
  }

  get stats(): PoolStats {
    return {
      workers: this.slots.length,
      ready: this.slots.filter((s) => s.state === 'idle' || s.state === 'busy').length,
      busy: this.slots.filter((s) => s.state === 'busy').length,
      queued: this.queue.length,
      restarts: this.restarts,
      cancelled: this.cancelled,
    };
  }

  /**
   * Runs one generate job on the next idle worker. The job's typed arrays are transferred (they are
   * unusable afterwards). Rejects with AppError: INTERNAL (inference failed, the worker crashed or
   * did not answer within jobTimeoutMs), the signal's AppError or DEADLINE_EXCEEDED (aborted),
   * MODEL_UNAVAILABLE (pool closed or no worker can start).
   */
  generate(job: GenerateJob, options: GenerateOptions = {}): Promise<GenerateOutput> {
    const { signal } = options;
    if (this.closed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.slots.every((s) => s.state === 'dead')) return Promise.reject(this.unavailableError());
    return new Promise<GenerateOutput>((resolve, reject) => {
      const pending: Pending = {
        id: this.nextId++,
        job,
        settled: false,
        signal,
        resolve: (output) => this.settle(pending, () => resolve(output)),
        reject: (err) => this.settle(pending, () => reject(err)),
      };
      if (signal) {
        const onAbort = (): void => this.abort(pending);
        signal.addEventListener('abort', onAbort, { once: true });
        pending.cleanupSignal = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(pending);
      this.dispatch();
    });
  }

  /** Test hook: makes a worker die while idle (needs testHooks). */
  crashWorkerForTest(index: number, mode: IdleTestCrash = 'exit'): void {
    const handle = this.slots[index]?.handle;
    if (!handle) throw new Error(`no worker ${index}`);
    const message: ToWorker = { type: 'test-crash', mode };
    handle.worker.postMessage(message);
  }

  /** Rejects everything pending and stops every worker. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(closedError());
    for (const slot of this.slots) {
      if (slot.job) {
        clearTimeout(slot.job.timer);
        slot.job.reject(closedError());
        slot.job = null;
      }
      slot.state = 'stopped';
    }
    const handles = [...this.handles];
    for (const h of handles) this.stop(h);
    // A worker stuck inside a native call cannot be stopped safely: after the grace period it is
    // unref()'d so it no longer keeps the process alive.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => {
      timer = setTimeout(r, CLOSE_GRACE_MS);
      timer.unref();
    });
    await Promise.race([Promise.all(handles.map((h) => h.exited)), grace]);
    clearTimeout(timer);
    for (const h of handles) if (!h.hasExited) h.worker.unref();
  }

  private settle(pending: Pending, answer: () => void): void {
    if (pending.settled) return;
    pending.settled = true;
    pending.cleanupSignal?.();
    answer();
  }

  /** Nobody waits for the job any more: it leaves the queue, or its worker is asked to cancel it. */
  private abort(pending: Pending): void {
    if (pending.settled) return;
    pending.reject(abortError(pending.signal));
    const queued = this.queue.indexOf(pending);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      return;
    }
    // Running: the worker ends it before its next native call and answers 'cancelled'; the slot stays
    // busy until then, and the job timer still replaces a worker that never answers.
    const slot = this.slots.find((s) => s.job === pending);
    if (slot?.handle) requestCancel(slot.handle.control, pending.id);
  }

  private unavailableError(): AppError {
    return new AppError('MODEL_UNAVAILABLE', `no inference worker is available${this.deadReason ? `: ${this.deadReason}` : ''}`);
  }

  /**
   * Asks a worker to stop: it leaves by itself when idle or before its next native call; it is
   * terminate()d as soon as it is seen outside a native call (a hung JS loop, a crash hook).
   */
  private stop(h: Handle): void {
    if (h.stopping) return;
    h.stopping = true;
    Atomics.store(h.control, STOP, 1);
    const message: ToWorker = { type: 'shutdown' };
    try {
      h.worker.postMessage(message);
    } catch {
      // already gone
    }
    const poll = (): void => {
      if (h.hasExited) return;
      if (Atomics.load(h.control, NATIVE) === 0) {
        void h.worker.terminate();
        return;
      }
      setTimeout(poll, 5);
    };
    // Give it a moment to leave cleanly (releasing its sessions) before forcing it.
    setTimeout(poll, 50);
  }

  private spawn(slot: Slot): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const control = createControl();
      const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, init: this.init, control } });
      let resolveExit!: () => void;
      const handle: Handle = {
        worker,
        control,
        exited: new Promise<void>((r) => (resolveExit = r)),
        hasExited: false,
        lastError: undefined,
        stopping: false,
      };
      this.handles.add(handle);
      slot.handle = handle;
      slot.state = 'starting';
      let ready = false;
      if (this.closed) this.stop(handle);

      worker.on('message', (m: FromWorker) => {
        if (slot.handle !== handle) return;
        switch (m.type) {
          case 'ready':
            ready = true;
            if (this.closed) {
              reject(closedError());
              return;
            }
            slot.state = 'idle';
            resolve();
            this.dispatch();
            return;
          case 'init-error':
            reject(new InitFailure(m.problems));
            this.stop(handle);
            return;
          case 'result':
          case 'error':
            this.complete(slot, m);
            return;
        }
      });
      worker.on('error', (err: Error) => {
        handle.lastError = err.message;
      });
      worker.on('exit', (code: number) => {
        handle.hasExited = true;
        this.handles.delete(handle);
        resolveExit();
        if (slot.handle !== handle) return; // a retired worker (timed out): already replaced
        slot.handle = null;
        if (!ready) {
          slot.state = this.closed ? 'stopped' : 'dead';
          const why = handle.lastError ? `: ${handle.lastError}` : '';
          reject(new InitFailure([`the inference worker exited while loading the model (exit code ${code}${why})`]));
          return;
        }
        this.onExit(slot, handle, code);
      });
    });
  }

  /** A ready worker exited: fail its caller, replace it (unless closing). */
  private onExit(slot: Slot, handle: Handle, code: number): void {
    const pending = slot.job;
    slot.job = null;
    if (pending) {
      clearTimeout(pending.timer);
      if (this.closed) pending.reject(closedError());
      else {
        const why = handle.lastError ? `: ${handle.lastError}` : '';
        pending.reject(new AppError('INTERNAL', `the inference worker crashed while serving this request (exit code ${code}${why})`));
      }
    }
    if (this.closed) {
      slot.state = 'stopped';
      return;
    }
    this.replace(slot, 'crash');
  }

  /** Starts a new worker in the slot; jobs in the queue wait for it (or run on the other workers). */
  private replace(slot: Slot, reason: RestartReason): void {
    this.restarts++;
    try {
      this.onRestart?.(reason);
    } catch {
      // A metrics hook must never break serving.
    }
    this.spawn(slot).catch((err: unknown) => {
      if (this.closed) {
        slot.state = 'stopped';
        return;
      }
      slot.state = 'dead';
      this.deadReason = err instanceof InitFailure ? err.problems.join('; ') : String(err);
      if (this.slots.every((s) => s.state === 'dead')) {
        const error = this.unavailableError();
        for (const p of this.queue.splice(0)) p.reject(error);
      }
    });
  }

  private complete(slot: Slot, m: Extract<FromWorker, { type: 'result' | 'error' }>): void {
    const pending = slot.job;
    if (!pending || pending.id !== m.id) return;
    clearTimeout(pending.timer);
    slot.job = null;
    slot.state = 'idle';
    if (m.type === 'result') pending.resolve(m.output);
    else if (m.cancelled) {
      // Only abort() cancels, and it answered the caller already: this reject is a safeguard.
      this.cancelled++;
      pending.reject(abortError(pending.signal));
    } else pending.reject(new AppError('INTERNAL', 'inference failed', { cause: new Error(m.message) }));
    this.dispatch();
  }

  private timeout(slot: Slot, pending: Pending, ms: number): void {
    if (slot.job !== pending || !slot.handle) return;
    slot.job = null;
    // Reaches only a caller still waiting: an aborted job's caller already has its error.
    pending.reject(new AppError('INTERNAL', `inference did not finish within ${ms} ms; its worker is being replaced`));
    // Retire the worker (it stops when it safely can) and start a replacement right away.
    const old = slot.handle;
    slot.handle = null;
    this.stop(old);
    this.replace(slot, 'timeout');
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.state !== 'idle' || !slot.handle) continue;
      const pending = this.queue.shift()!;
      slot.state = 'busy';
      slot.job = pending;
      if (this.jobTimeoutMs !== undefined) {
        const ms = this.jobTimeoutMs;
        pending.timer = setTimeout(() => this.timeout(slot, pending, ms), ms);
      }
      const message: ToWorker = { type: 'generate', id: pending.id, job: pending.job };
      try {
        slot.handle.worker.postMessage(message, transferablesOf(pending.job));
      } catch (err) {
        clearTimeout(pending.timer);
        slot.job = null;
        slot.state = 'idle';
        pending.reject(new AppError('INTERNAL', 'could not send the job to the inference worker', { cause: err }));
      }
    }
  }
}
