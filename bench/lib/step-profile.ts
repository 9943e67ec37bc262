/**
 * Where one decoder step's time goes, for bench/engine.ts --suite precision, in its own process:
 *
 *   node --import tsx bench/lib/step-profile.ts '<ProfileTask JSON>'
 *
 * Sessions as the engine creates them (onnx-model.ts loadSessions, split decoder). Per batch size:
 * the encoder over the batch (amortised over the tokens a request generates), the first step
 * (decoder_model), then `steps` steps of decoder_with_past timed three ways:
 *   - wall time of session.run as JS sees it (what the engine pays);
 *   - onnxruntime's own profile (enableProfiling, a second session created after the timed runs):
 *     model_run, and its nodes split into the output projection (the nodes whose output's last
 *     dimension is the vocabulary: MatMul in fp32; MatMulInteger/Cast/Mul or their fusion in int8)
 *     and everything else (the 12 layers, embeddings, norms). wall − model_run is the binding:
 *     wrapping the feeds and copying every output (logits and the self-attention keys/values) out
 *     of onnxruntime into new JS buffers;
 *   - the JS the search does with a step's logits, on the real logits: greedy (argmax + one-pass
 *     log-sum-exp per row), beam top-k (topCandidates, 2K per beam), and a full log-softmax row
 *     for scale; plus one memcpy of the logits (the floor of copying them out).
 * Profiling adds a little per node, so only shares are taken from it; absolute times are the
 * unprofiled wall times. The last stdout line is `RESULT <json>`.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { argmaxWithLogprob, logSoftmax, topCandidates } from '../../inference/engine/generation/logits.js';
import { search } from '../../inference/engine/generation/search.js';
import { inspectModelFolder, packIds } from '../../inference/engine/index.js';
import { loadSessions, OnnxDecoderStepper, releaseSessions, runEncoder, type NllbSessions } from '../../inference/engine/onnx-model.js';
import { NllbTokenizer } from '../../inference/engine/tokenizer.js';
import { memorySnapshot } from './memory.js';
import { median } from './stats.js';
import { SENTENCES, SRC, TGT } from './workload.js';

export interface ProfileTask {
  label: string;
  dir: string;
  /** ONNX file suffix: '' (fp32) or '_quantized' (int8). */
  suffix: '' | '_quantized';
  intraOpThreads: number;
  batches: number[];
  /** Timed decoder_with_past steps per batch size (after one untimed). */
  steps: number;
  /** Tokens a request generates, to amortise the encoder over. */
  tokensPerRequest: number;
  /** The short sentence whose one model call is timed (max_new_tokens as the container gets it). */
  short: { text: string; maxNewTokens: number };
}

/**
 * The worker's code path for one request at batch 1 (worker.ts generate(): encoder, then greedy
 * search over the stepper; no HTTP, no guard, repetition guard off), median of 3 runs after one.
 */
export interface GenerateTiming {
  /** `tokensPerRequest` new tokens: wall / generated tokens. */
  msPerToken: number;
  tokens: number;
  /** The short sentence: one call, ms, and the tokens it generated. */
  shortCallMs: number;
  shortTokens: number;
}

export interface StepSplit {
  batch: number;
  /** Encoder over the batch, ms (median). */
  encoderMs: number;
  /** First step (decoder_model over [start, forced]), ms. */
  firstStepMs: number;
  /** decoder_with_past session.run as JS sees it, ms (median over the steps). */
  stepWallMs: number;
  /** From onnxruntime's profile (per step, medians): model_run, output projection, other nodes, ms. */
  modelRunMs: number;
  projectionMs: number;
  layersMs: number;
  /** Bytes of the outputs the binding copies out per step (logits + keys/values), at the profiled steps' median length. */
  outputBytes: number;
  logitsBytes: number;
  /** One memcpy of the step's logits into a fresh Float32Array, ms. */
  logitsMemcpyMs: number;
  /** JS over one step's logits, all rows of the batch, ms. */
  greedyJsMs: number;
  beam4JsMs: number;
  logSoftmaxJsMs: number;
  /** Nodes classified as the output projection (op types seen). */
  projectionOps: string[];
}

export interface ProfileResult {
  label: string;
  loadMs: number;
  vmHwm: number;
  splits: StepSplit[];
  generate: GenerateTiming;
}

interface ProfileEvent {
  cat?: string;
  name?: string;
  dur?: number;
  args?: { op_name?: string; output_type_shape?: Record<string, number[]>[] };
}

function log(message: string): void {
  process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Median ms of `fn` over `runs` calls (after `warm` untimed). */
async function timeIt(fn: () => unknown, runs: number, warm = 3): Promise<number> {
  for (let i = 0; i < warm; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

interface ProfiledRun {
  modelRunMs: number;
  projectionMs: number;
  layersMs: number;
}

/** Every run in an onnxruntime profile file, in order: model_run and its node time split into the output projection and the rest. */
function readProfile(path: string, vocab: number): { runs: ProfiledRun[]; ops: string[] } {
  const events = JSON.parse(readFileSync(path, 'utf8')) as ProfileEvent[];
  const modelRuns = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').map((e) => (e.dur ?? 0) / 1000);
  // Node events come in run order; a run ends where a node name repeats.
  const perRun: { projection: number; other: number }[] = [];
  const ops = new Set<string>();
  let current: { projection: number; other: number } | null = null;
  let seen = new Set<string>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time')) continue;
    if (current === null || seen.has(e.name)) {
      current = { projection: 0, other: 0 };
      perRun.push(current);
      seen = new Set();
    }
    seen.add(e.name);
    const shapes = e.args?.output_type_shape ?? [];
    const isProjection = shapes.some((s) => Object.values(s).some((dims) => dims[dims.length - 1] === vocab));
    const ms = (e.dur ?? 0) / 1000;
    if (isProjection) {
      current.projection += ms;
      ops.add(e.args?.op_name ?? '?');
    } else current.other += ms;
  }
  if (perRun.length !== modelRuns.length) throw new Error(`profile: ${modelRuns.length} runs but ${perRun.length} node groups`);
  return { runs: modelRuns.map((m, i) => ({ modelRunMs: m, projectionMs: perRun[i]!.projection, layersMs: perRun[i]!.other })), ops: [...ops] };
}

async function profileBatch(
  s: NllbSessions,
  rows: number[][],
  tgt: number,
  task: ProfileTask,
): Promise<Omit<StepSplit, 'modelRunMs' | 'projectionMs' | 'layersMs' | 'projectionOps'>> {
  const batch = rows.length;
  const { inputIds, offsets } = packIds(rows);
  const encoderMs = await timeIt(() => runEncoder(s, inputIds, offsets), batch > 1 ? 2 : 3, 1);
  const enc = await runEncoder(s, inputIds, offsets);
  const stepper = new OnnxDecoderStepper(s, enc, true);
  const all = Int32Array.from(rows, (_, i) => i);
  const sequences = rows.map(() => [s.config.decoderStartTokenId, tgt]);
  const t0 = performance.now();
  let logits = await stepper.step({ sequences, rows: all, parents: null });
  const firstStepMs = performance.now() - t0;
  const walls: number[] = [];
  const identity = Int32Array.from(rows, (_, i) => i);
  for (let k = 0; k <= task.steps; k++) {
    for (let i = 0; i < batch; i++) sequences[i]!.push(argmaxWithLogprob(logits, i * s.vocabSize, s.vocabSize).token);
    const before = stepper.timings.decoderMs;
    logits = await stepper.step({ sequences, rows: all, parents: identity });
    if (k > 0) walls.push(stepper.timings.decoderMs - before);
  }
  const v = s.vocabSize;
  const step = logits;
  const logitsMemcpyMs = await timeIt(() => new Float32Array(step.length).set(step), 9);
  const greedyJsMs = await timeIt(() => {
    for (let i = 0; i < batch; i++) argmaxWithLogprob(step, i * v, v);
  }, 9);
  // Beam 4: 4 beams per row, 2K = 8 candidates each (the rows of this step stand in for beams).
  const beam4JsMs = await timeIt(() => {
    for (let i = 0; i < batch; i++) for (let b = 0; b < 4; b++) topCandidates(step, i * v, v, b, 0, 8, null, null);
  }, 9);
  const logSoftmaxJsMs = await timeIt(() => {
    for (let i = 0; i < batch; i++) logSoftmax(step, i * v, v);
  }, 9);
  const t = sequences[0]!.length;
  const { decoderAttentionHeads: h, headDim: hd, decoderLayers: layers } = s.config;
  const logitsBytes = batch * v * 4;
  const outputBytes = logitsBytes + 2 * layers * batch * h * t * hd * 4;
  return { batch, encoderMs, firstStepMs, stepWallMs: median(walls), outputBytes, logitsBytes, logitsMemcpyMs, greedyJsMs, beam4JsMs, logSoftmaxJsMs };
}

/**
 * `steps` + 1 with-past steps per batch on one profiled session (same feeds as the engine), then the
 * profile's medians per batch (the first step of each batch discarded).
 */
async function profiledSteps(s: NllbSessions, profiledPath: string, batches: number[][][], tgt: number, steps: number, threads: number): Promise<{ perBatch: ProfiledRun[]; ops: string[] }> {
  const prefix = join(tmpdir(), `sema-step-profile-${process.pid}`);
  const session = await ort.InferenceSession.create(profiledPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
    enableProfiling: true,
    profileFilePrefix: prefix,
  });
  for (const rows of batches) {
    const { inputIds, offsets } = packIds(rows);
    const enc = await runEncoder(s, inputIds, offsets);
    const stepper = new OnnxDecoderStepper({ ...s, decoderWithPast: session }, enc, true);
    const all = Int32Array.from(rows, (_, i) => i);
    const sequences = rows.map(() => [s.config.decoderStartTokenId, tgt]);
    let logits = await stepper.step({ sequences, rows: all, parents: null });
    for (let k = 0; k <= steps; k++) {
      for (let i = 0; i < rows.length; i++) sequences[i]!.push(argmaxWithLogprob(logits, i * s.vocabSize, s.vocabSize).token);
      logits = await stepper.step({ sequences, rows: all, parents: all });
    }
  }
  // onnxruntime-node's endProfiling() returns nothing: the file is <prefix>_<date>.json.
  session.endProfiling();
  await session.release();
  const name = readdirSync(tmpdir()).find((f) => f.startsWith(basename(prefix)) && f.endsWith('.json'));
  if (!name) throw new Error('onnxruntime wrote no profile file');
  const path = join(tmpdir(), name);
  try {
    const { runs, ops } = readProfile(path, s.vocabSize);
    const perBatch = batches.map((_, b) => {
      const mine = runs.slice(b * (steps + 1) + 1, (b + 1) * (steps + 1));
      return { modelRunMs: median(mine.map((r) => r.modelRunMs)), projectionMs: median(mine.map((r) => r.projectionMs)), layersMs: median(mine.map((r) => r.layersMs)) };
    });
    return { perBatch, ops };
  } finally {
    rmSync(path, { force: true });
  }
}

/** One request's model work as the worker does it; resolves to [ms, generated tokens]. */
async function generateOnce(s: NllbSessions, ids: number[], tgt: number, maxNewTokens: number): Promise<[number, number]> {
  const t0 = performance.now();
  const { inputIds, offsets } = packIds([ids]);
  const enc = await runEncoder(s, inputIds, offsets);
  const stepper = new OnnxDecoderStepper(s, enc, true);
  const result = await search(
    stepper,
    [{ forcedTokenId: tgt, maxNewTokens }],
    { beamSize: 1, lengthPenalty: 1, earlyStopping: true, noRepeatNgramSize: 0, repetitionGuard: null, alternatives: 0 },
    { decoderStartTokenId: s.config.decoderStartTokenId, eosTokenId: s.config.eosTokenId, padTokenId: s.config.padTokenId },
  );
  return [performance.now() - t0, Math.max(0, result.rows[0]!.tokens.length - 2)];
}

async function generateTiming(s: NllbSessions, tokenizer: NllbTokenizer, tgt: number, task: ProfileTask): Promise<GenerateTiming> {
  const long = tokenizer.encodeSource(SENTENCES[0]!, SRC).ids;
  const short = tokenizer.encodeSource(task.short.text, SRC).ids;
  const runs = async (ids: number[], maxNewTokens: number) => {
    await generateOnce(s, ids, tgt, maxNewTokens);
    const out: [number, number][] = [];
    for (let i = 0; i < 3; i++) out.push(await generateOnce(s, ids, tgt, maxNewTokens));
    return { ms: median(out.map((r) => r[0])), tokens: out[0]![1] };
  };
  const l = await runs(long, task.tokensPerRequest + 1);
  const sh = await runs(short, task.short.maxNewTokens);
  return { msPerToken: l.ms / l.tokens, tokens: l.tokens, shortCallMs: sh.ms, shortTokens: sh.tokens };
}

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '') as ProfileTask;
  const folder = inspectModelFolder(task.dir, { onnxSuffix: task.suffix, decoder: 'split' });
  const t0 = performance.now();
  const s = await loadSessions({ variant: 'split', config: folder.config, graphs: folder.graphs, settings: { intraOpThreads: task.intraOpThreads, interOpThreads: 1 } });
  const loadMs = performance.now() - t0;
  log(`${task.label}: sessions in ${(loadMs / 1000).toFixed(1)} s`);
  const tokenizer = await NllbTokenizer.load(folder.tokenizerFile, { maxSourceTokens: folder.maxSourceTokens });
  const tgt = tokenizer.languageTokenId(TGT);
  const splits: StepSplit[] = [];
  let generate: GenerateTiming;
  try {
    generate = await generateTiming(s, tokenizer, tgt, task);
    log(`  generate at batch 1: ${generate.msPerToken.toFixed(1)} ms/token; short sentence ${generate.shortCallMs.toFixed(0)} ms (${generate.shortTokens} tokens)`);
    const batches = task.batches.map((batch) => Array.from({ length: batch }, (_, i) => tokenizer.encodeSource(SENTENCES[i % SENTENCES.length]!, SRC).ids));
    const timed = [];
    for (const rows of batches) {
      const split = await profileBatch(s, rows, tgt, task);
      log(`  batch ${rows.length}: step ${split.stepWallMs.toFixed(1)} ms, encoder ${split.encoderMs.toFixed(1)} ms, greedy JS ${split.greedyJsMs.toFixed(2)} ms`);
      timed.push(split);
    }
    const prof = await profiledSteps(s, folder.graphs.decoderWithPast!, batches, tgt, task.steps, task.intraOpThreads);
    timed.forEach((split, b) => {
      const p = prof.perBatch[b]!;
      log(`  batch ${split.batch}: profile model_run ${p.modelRunMs.toFixed(1)} ms, projection ${p.projectionMs.toFixed(1)} ms (${prof.ops.join('/')})`);
      splits.push({ ...split, ...p, projectionOps: prof.ops });
    });
  } finally {
    await releaseSessions(s);
  }
  const result: ProfileResult = { label: task.label, loadMs, vmHwm: memorySnapshot().vmHwm, splits, generate };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
