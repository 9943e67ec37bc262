/**
 * Inference worker: loads the ONNX sessions once, then serves generate jobs one at a time
 * (encoder once per job, then greedy or beam search over the decoder). Started by pool.ts through
 * worker-bootstrap.mjs, which registers tsx so this TypeScript file runs under tsx and vitest alike.
 *
 * Every native onnxruntime call goes through a guard on the shared control word (control.ts): the
 * pool asks a worker to stop by setting STOP; the worker then stops before its next native call and
 * exits by itself, and the pool only terminate()s it when it is not inside a native call. A job the
 * pool cancelled (CANCEL = its id) ends the same way, but the worker stays and serves the next job.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CANCEL, JobCancelled, nativeGuard, STOP, StopRequested, type Control } from './control.js';
import { search } from './generation/search.js';
import { packOutput } from './job.js';
import type { SearchRow } from './generation/types.js';
import { loadSessions, OnnxDecoderStepper, releaseSessions, runEncoder, SessionProblems, type NllbSessions } from './onnx-model.js';
import { transferablesOf, type FromWorker, type GenerateJob, type GenerateOutput, type IdleTestCrash, type ToWorker, type WorkerInit } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const { init, control } = workerData as { init: WorkerInit; control: Control };
/** The id of the job being served; 0 while loading or idle. */
let currentJob = 0;
const guard = nativeGuard(control, () => currentJob);

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function stopRequested(): boolean {
  return Atomics.load(control, STOP) !== 0;
}

function crash(mode: IdleTestCrash): never {
  if (mode === 'exit') process.exit(70);
  if (mode === 'hang') {
    // Never returns: only the pool ends this worker (a job timeout or close(): STOP, then terminate()).
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  }
  // An uncaught exception (thrown from the message handler): the main thread sees 'error', then 'exit'.
  throw new Error('test-crash: uncaught exception in the inference worker');
}

/** Test hook 'wait-for-cancel': blocks (outside any native call) until job `id` is cancelled or a stop is requested. */
function waitForCancel(id: number): void {
  for (;;) {
    const cancel = Atomics.load(control, CANCEL);
    if (cancel === id || stopRequested()) return;
    Atomics.wait(control, CANCEL, cancel, 50);
  }
}

export async function generate(s: NllbSessions, job: GenerateJob): Promise<GenerateOutput> {
  const t0 = performance.now();
  const rows = job.forcedTokenIds.length;
  if (job.offsets.length !== rows + 1 || job.maxNewTokens.length !== rows) throw new Error('malformed generate job');
  const searchRows: SearchRow[] = [];
  for (let i = 0; i < rows; i++) searchRows.push({ forcedTokenId: job.forcedTokenIds[i]!, maxNewTokens: job.maxNewTokens[i]! });
  let encoderMs = 0;
  let result;
  let stepper: OnnxDecoderStepper | null = null;
  if (rows > 0) {
    const te = performance.now();
    const enc = await runEncoder(s, job.inputIds, job.offsets, guard);
    encoderMs = performance.now() - te;
    stepper = new OnnxDecoderStepper(s, enc, job.settings.useCache, guard);
    result = await search(stepper, searchRows, job.settings, {
      decoderStartTokenId: s.config.decoderStartTokenId,
      eosTokenId: s.config.eosTokenId,
      padTokenId: s.config.padTokenId,
    });
  } else {
    result = { rows: [], stats: { steps: 0, hypothesisSteps: 0 } };
  }
  return packOutput(result.rows, {
    encoderMs,
    decoderMs: stepper?.timings.decoderMs ?? 0,
    totalMs: performance.now() - t0,
    steps: result.stats.steps,
    hypothesisSteps: result.stats.hypothesisSteps,
  });
}

async function warmUp(s: NllbSessions): Promise<void> {
  // Exercise the encoder, the first-step graph and the with-past graph once.
  const { eosTokenId, decoderStartTokenId } = s.config;
  const enc = await runEncoder(s, Int32Array.from([3, eosTokenId]), Int32Array.from([0, 2]), guard);
  const stepper = new OnnxDecoderStepper(s, enc, true, guard);
  const rows = Int32Array.from([0]);
  const first = await stepper.step({ sequences: [[decoderStartTokenId, 3]], rows, parents: null });
  const second = await stepper.step({ sequences: [[decoderStartTokenId, 3, 3]], rows, parents: Int32Array.from([0]) });
  if (first.length < s.vocabSize || second.length < s.vocabSize) throw new Error('the decoder returned too few logits');
  if (!Number.isFinite(first[0]!) || !Number.isFinite(second[0]!)) throw new Error('the decoder returned non-finite logits');
}

let sessions: NllbSessions | null = null;
let busy = false;

async function exitNow(): Promise<never> {
  if (sessions) await releaseSessions(sessions);
  process.exit(0);
}

async function main(): Promise<void> {
  port!.on('message', (m: ToWorker) => {
    if (m.type === 'shutdown') {
      // Idle: leave now. Busy: the running job stops before its next native call, then we leave.
      if (!busy) void exitNow();
      return;
    }
    if (m.type === 'test-crash') {
      if (init.testHooks) crash(m.mode);
      return;
    }
    if (m.type === 'generate') {
      const { id, job } = m;
      if (job.testCrash && init.testHooks) {
        if (job.testCrash === 'wait-for-cancel') waitForCancel(id);
        else crash(job.testCrash);
      }
      if (!sessions || stopRequested()) {
        post({ type: 'error', id, message: 'the inference worker is stopping', cancelled: false });
        return;
      }
      busy = true;
      currentJob = id;
      generate(sessions, job)
        .then(
          (output) => post({ type: 'result', id, output }, transferablesOf(output)),
          (err: unknown) => post({ type: 'error', id, message: String((err as Error)?.message ?? err), cancelled: err instanceof JobCancelled }),
        )
        .finally(() => {
          busy = false;
          currentJob = 0;
          if (stopRequested()) void exitNow();
        });
    }
  });

  try {
    sessions = await loadSessions(init, guard);
    if (init.warmUp) {
      try {
        await warmUp(sessions);
      } catch (err) {
        if (err instanceof StopRequested) throw err;
        throw new SessionProblems([`a test inference failed (${String((err as Error).message ?? err).split('\n')[0]})`]);
      }
    }
  } catch (err) {
    if (err instanceof StopRequested || stopRequested()) return void exitNow();
    post({ type: 'init-error', problems: err instanceof SessionProblems ? err.problems : [String((err as Error).message ?? err)] });
    return;
  }
  if (stopRequested()) return void exitNow();
  post({ type: 'ready', vocabSize: sessions.vocabSize });
}

void main();
