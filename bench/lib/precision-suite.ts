/**
 * bench/engine.ts --suite precision: fp32 vs int8 on the bench preset, side by side in one run.
 *
 * Per precision, one after the other (one model in memory at a time):
 *   1. a step-profile child (step-profile.ts): where one decoder step's time goes at batch 1 and 16;
 *   2. the container (container-run.ts): start-up, RSS, the < 50-character sentence's p50 through
 *      the HTTP API, ms/token at batch 1, tokens/s at concurrency 16.
 * Bounded: a few requests per case, max_new_tokens on every request, a timeout on every child.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NllbTokenizer } from '../../inference/engine/tokenizer.js';
import { runContainer, type ContainerRunResult } from './container-run.js';
import { formatLoad, loadAverage, type MachineInfo } from './machine.js';
import { gib } from './memory.js';
import type { ProfileResult, ProfileTask, StepSplit } from './step-profile.js';
import { SENTENCES, SRC, TGT } from './workload.js';

/** < 50-character sentences (the fixture tokenizer's words, so it does not shred them). */
export const SHORT_SENTENCES: readonly string[] = [
  'The child eats the bread every day.',
  'The teacher drinks the tea today.',
  'The farmer sells the fish.',
  'The mother cooks the rice in the morning.',
  'The girl writes the letter every day.',
  'The doctor buys the milk today.',
];

export interface PrecisionOptions {
  root: string;
  modelDir: string;
  /** Tokens a long request generates after the language token. */
  tokens: number;
  /** Skip int8 even when its files exist. */
  fp32Only: boolean;
  log: (message: string) => void;
}

export interface PrecisionRun {
  quantization: 'fp32' | 'int8';
  profile: ProfileResult | null;
  profileError?: string;
  container: ContainerRunResult | null;
  containerError?: string;
  seconds: number;
  loadAtStart: [number, number, number];
}

const PROFILE = 'bench/lib/step-profile.ts';
const CHILD_TIMEOUT_MS = 10 * 60_000;
const PROFILE_STEPS = 6;
const PER_CLIENT = 2;
const CONCURRENCY = 16;
const SHORT_REQUESTS = 10;
const BATCH1_REQUESTS = 3;

export function int8Available(modelDir: string): boolean {
  return ['encoder_model', 'decoder_model', 'decoder_with_past_model'].every((g) => existsSync(join(modelDir, 'onnx', `${g}_quantized.onnx`)));
}

function runProfile(root: string, task: ProfileTask): Promise<ProfileResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, PROFILE), JSON.stringify(task)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolveRun(JSON.parse(line.slice('RESULT '.length)) as ProfileResult);
      else reject(new Error(`step profile exited ${code ?? signal}`));
    });
  });
}

export async function runPrecision(o: PrecisionOptions): Promise<PrecisionRun[]> {
  const tokenizer = await NllbTokenizer.load(join(o.modelDir, 'sentencepiece.bpe.model'), { maxSourceTokens: 1024 });
  // A real translation is about as long as its source: cap the short sentence's output there
  // ([tgt_lang] + as many tokens as the source's ids hold, </s> included).
  const shortCandidates = SHORT_SENTENCES.map((text) => ({ text, maxNewTokens: tokenizer.encodeSource(text, SRC).ids.length }));
  const precisions: ('fp32' | 'int8')[] = o.fp32Only || !int8Available(o.modelDir) ? ['fp32'] : ['fp32', 'int8'];
  const runs: PrecisionRun[] = [];
  for (const quantization of precisions) {
    const loadAtStart = loadAverage();
    const t0 = performance.now();
    o.log(`▶ ${quantization} (load ${formatLoad(loadAtStart)})`);
    const run: PrecisionRun = { quantization, profile: null, container: null, seconds: 0, loadAtStart };
    try {
      run.profile = await runProfile(o.root, {
        label: quantization,
        dir: o.modelDir,
        suffix: quantization === 'int8' ? '_quantized' : '',
        intraOpThreads: 2,
        batches: [1, 16],
        steps: PROFILE_STEPS,
        tokensPerRequest: o.tokens,
        short: shortCandidates[0]!,
      });
    } catch (err) {
      run.profileError = (err as Error).message;
    }
    try {
      run.container = await runContainer({
        modelDir: o.modelDir,
        quantization,
        shortCandidates,
        shortRequests: SHORT_REQUESTS,
        texts: SENTENCES,
        longTokens: o.tokens + 1,
        batch1Requests: BATCH1_REQUESTS,
        concurrency: CONCURRENCY,
        perClient: PER_CLIENT,
        src: SRC,
        tgt: TGT,
        startTimeoutMs: 5 * 60_000,
        requestTimeoutMs: 120_000,
        log: o.log,
      });
    } catch (err) {
      run.containerError = (err as Error).message.split('\n')[0]!;
    }
    run.seconds = (performance.now() - t0) / 1000;
    runs.push(run);
  }
  return runs;
}

// --- report --------------------------------------------------------------------------------------

const f1 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x.toFixed(2) : '–');
const pct = (part: number, whole: number) => (whole > 0 && Number.isFinite(part) ? `${((100 * part) / whole).toFixed(0)}%` : '–');
const ratio = (x: number) => (Number.isFinite(x) && x > 0 ? `${x.toFixed(2)}×` : '–');

interface Row {
  name: string;
  fp32: number | undefined;
  int8: number | undefined;
  fmt: (x: number | undefined) => string;
  /** How the ratio column reads: fp32 / int8 for costs (higher = int8 better), int8 / fp32 for rates. */
  better: 'lower' | 'higher';
}

function splitRows(split: StepSplit, tokens: number): string[] {
  const { batch } = split;
  // Node time from the profile, scaled to the unprofiled wall time (profiling adds a little per node).
  const nodes = split.projectionMs + split.layersMs;
  const scale = nodes > 0 ? split.stepWallMs / split.modelRunMs : 1;
  const copyMs = split.logitsMemcpyMs * (split.outputBytes / split.logitsBytes);
  const encAmortised = split.encoderMs / tokens;
  const firstAmortised = split.firstStepMs / tokens;
  const total = encAmortised + firstAmortised + split.stepWallMs + split.greedyJsMs;
  return [
    `| ${batch} | encoder (${f1(split.encoderMs)} ms per batch, / ${tokens} tokens) | ${f2(encAmortised)} | ${pct(encAmortised, total)} |`,
    `| ${batch} | first step (decoder_model, ${f1(split.firstStepMs)} ms, / ${tokens} tokens) | ${f2(firstAmortised)} | ${pct(firstAmortised, total)} |`,
    `| ${batch} | decoder_with_past session.run (wall) | ${f2(split.stepWallMs)} | ${pct(split.stepWallMs, total)} |`,
    `| ${batch} | ↳ decoder layers, embeddings, norms (profile share ${pct(split.layersMs, nodes)}) | ${f2(split.layersMs * scale)} | ${pct(split.layersMs * scale, total)} |`,
    `| ${batch} | ↳ output projection 1024 × ${(split.logitsBytes / 4 / batch).toFixed(0)} (${split.projectionOps.join(' + ')}; share ${pct(split.projectionMs, nodes)}) | ${f2(split.projectionMs * scale)} | ${pct(split.projectionMs * scale, total)} |`,
    `| ${batch} | ↳ copying outputs out of onnxruntime (${(split.outputBytes / 2 ** 20).toFixed(1)} MiB: logits ${(split.logitsBytes / 2 ** 20).toFixed(1)} MiB + keys/values; memcpy estimate) | ${f2(copyMs)} | ${pct(copyMs, total)} |`,
    `| ${batch} | greedy JS (argmax + log-sum-exp, ${batch} row${batch > 1 ? 's' : ''}) | ${f2(split.greedyJsMs)} | ${pct(split.greedyJsMs, total)} |`,
    `| ${batch} | (beam 4 JS: top-8 per beam, ${batch * 4} beams — not in the total) | ${f2(split.beam4JsMs)} | – |`,
    `| ${batch} | (a full log-softmax in JS, ${batch} row${batch > 1 ? 's' : ''} — what greedy avoids) | ${f2(split.logSoftmaxJsMs)} | – |`,
    `| ${batch} | **per step, all rows** | **${f2(total)}** | 100% |`,
  ];
}

export function precisionReport(runs: PrecisionRun[], o: { command: string; machine: MachineInfo; loadEnd: [number, number, number]; totalSeconds: number; dir: string; tokens: number }): string {
  const fp = runs.find((r) => r.quantization === 'fp32');
  const q = runs.find((r) => r.quantization === 'int8');
  const out: string[] = [];
  const m = o.machine;
  out.push('## Engine: fp32 vs int8', '');
  out.push(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${m.nproc} CPUs (nproc), ${m.cpuModel}, ${m.ramGiB.toFixed(1)} GiB RAM, Node ${m.node}, onnxruntime-node 1.30.0; load average (1/5/15 min) ${formatLoad(m.load)} at the start, ${formatLoad(o.loadEnd)} at the end (shared machine: other engineers' jobs ran too); total ${(o.totalSeconds / 60).toFixed(1)} min. One run.`,
    '',
    `Command: \`${o.command}\`. Model: \`${o.dir}\`, the \`bench\` preset (random weights, NLLB-200-distilled-600M's dimensions: d_model 1024, 12 + 12 layers, vocabulary 256206; the tiny fixture's tokenizer): fp32 = \`onnx/*.onnx\`, int8 = \`onnx/*_quantized.onnx\` (dynamic quantization as onnxruntime's quantize_dynamic writes it: MatMul → DynamicQuantizeLinear + MatMulInteger + Cast + Mul). ` +
      `The container is \`node --import tsx inference/server.ts\` with MODEL_DIR=${o.dir} and MODEL_QUANTIZATION=fp32 or int8, its defaults otherwise (1 worker × 2 intra-op threads, batching on, repetition guard on), standalone, measured from outside over HTTP on loopback. ` +
      `Random weights rarely emit \`</s>\`, so every request sets max_new_tokens: a short sentence gets as many as its source ids (about a real translation's length), the long requests (16 fixed English sentences of 15–18 tokens) ${o.tokens + 1}. ` +
      'The short sentence measured is the first of a fixed list whose warm-up answer the service\'s output guard leaves alone: on random weights the guard often sees repetition and retries the sentence split finer (a second model call that a real model\'s answer would not need); the sentence, its tokens per request and any warnings are listed below. ' +
      `Tokens = \`sema_generated_tokens_total\` from /metrics (the tokens really generated). Each case runs after a warm-up (one short, one long request and one batch of 16).`,
    '',
  );
  const c = (r: PrecisionRun | undefined) => r?.container ?? undefined;
  const b1Step = (r: PrecisionRun | undefined) => r?.profile?.splits.find((s) => s.batch === 1);
  const gen = (r: PrecisionRun | undefined) => r?.profile?.generate;
  const shortEstimate = (r: PrecisionRun | undefined) => (gen(r) && c(r) ? gen(r)!.shortCallMs + c(r)!.short.overheadP50Ms : undefined);
  const ms0 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(0));
  const rows: Row[] = [
    { name: `ms/token at batch 1: one request of ${o.tokens} new tokens in the worker's code path (encoder + greedy search, no HTTP; profile child)`, fp32: gen(fp)?.msPerToken, int8: gen(q)?.msPerToken, fmt: f1, better: 'lower' },
    { name: 'decoder step at batch 1, ms (decoder_with_past session.run + greedy JS)', fp32: b1Step(fp) ? b1Step(fp)!.stepWallMs + b1Step(fp)!.greedyJsMs : undefined, int8: b1Step(q) ? b1Step(q)!.stepWallMs + b1Step(q)!.greedyJsMs : undefined, fmt: f1, better: 'lower' },
    { name: `ms/token at batch 1 over HTTP (${BATCH1_REQUESTS} sequential long requests, wall / tokens; guard retries included, see below)`, fp32: c(fp)?.batch1.msPerToken, int8: c(q)?.batch1.msPerToken, fmt: f1, better: 'lower' },
    { name: 'container CPU ms per token at batch 1 over HTTP (all its threads; less sensitive to other load)', fp32: c(fp)?.batch1.cpuMsPerToken, int8: c(q)?.batch1.cpuMsPerToken, fmt: f1, better: 'lower' },
    { name: `p50 latency, < 50-character sentence, HTTP end to end, ms (${SHORT_REQUESTS} sequential requests, as measured: with the guard's retry)`, fp32: c(fp)?.short.p50Ms, int8: c(q)?.short.p50Ms, fmt: ms0, better: 'lower' },
    { name: '↳ of which not model time: p50 of latency − the response\'s inference_time, ms', fp32: c(fp)?.short.overheadP50Ms, int8: c(q)?.short.overheadP50Ms, fmt: ms0, better: 'lower' },
    { name: 'one model call for that sentence (worker code path, profile child), ms', fp32: gen(fp)?.shortCallMs, int8: gen(q)?.shortCallMs, fmt: ms0, better: 'lower' },
    { name: '**estimate, one call (a real model\'s answer needs no retry): overhead + one call, ms**', fp32: shortEstimate(fp), int8: shortEstimate(q), fmt: ms0, better: 'lower' },
    { name: `tokens/s at concurrency ${CONCURRENCY} (${CONCURRENCY} clients × ${PER_CLIENT} requests, HTTP)`, fp32: c(fp)?.concurrent.tokensPerSecond, int8: c(q)?.concurrent.tokensPerSecond, fmt: f1, better: 'higher' },
    { name: `container CPU ms per token at concurrency ${CONCURRENCY}`, fp32: c(fp)?.concurrent.cpuMsPerToken, int8: c(q)?.concurrent.cpuMsPerToken, fmt: f1, better: 'lower' },
    { name: 'peak RSS of the container (VmHWM), GiB', fp32: c(fp)?.vmHwm, int8: c(q)?.vmHwm, fmt: (x) => (x === undefined ? '–' : gib(x)), better: 'lower' },
    { name: 'RSS once ready (idle), GiB', fp32: c(fp)?.rssReady, int8: c(q)?.rssReady, fmt: (x) => (x === undefined ? '–' : gib(x)), better: 'lower' },
    { name: 'start-up: process start → first 200 from /health, s', fp32: c(fp)?.startMs === undefined ? undefined : c(fp)!.startMs / 1000, int8: c(q)?.startMs === undefined ? undefined : c(q)!.startMs / 1000, fmt: f1, better: 'lower' },
  ];
  out.push('| measure | fp32 | int8 | int8 advantage |', '| --- | ---: | ---: | ---: |');
  for (const r of rows) {
    const adv = r.fp32 !== undefined && r.int8 !== undefined ? (r.better === 'lower' ? r.fp32 / r.int8 : r.int8 / r.fp32) : Number.NaN;
    out.push(`| ${r.name} | ${r.fmt(r.fp32)} | ${r.fmt(r.int8)} | ${ratio(adv)} |`);
  }
  out.push('');
  const speed = gen(fp) && gen(q) ? gen(fp)!.msPerToken / gen(q)!.msPerToken : Number.NaN;
  const main = q ?? fp;
  const p50 = c(main)?.short.p50Ms;
  const est = shortEstimate(main);
  out.push('| target | measured | result |', '| --- | ---: | --- |');
  out.push(`| int8 ≥ 2× fp32 at batch 1 (ms/token, worker code path) | ${ratio(speed)} | ${Number.isFinite(speed) ? (speed >= 2 ? '**met**' : '**not met**') : 'not measured (no int8 files)'} |`);
  out.push(`| < 50-character sentence ≤ 0.3 s p50 over HTTP (${q ? 'int8, the default' : 'fp32'}), as measured | ${p50 !== undefined ? `${(p50 / 1000).toFixed(2)} s` : '–'} | ${p50 === undefined ? 'not measured' : p50 <= 300 ? '**met**' : '**not met**'} |`);
  out.push(`| the same, one model call (estimate: measured overhead + measured call) | ${est !== undefined ? `${(est / 1000).toFixed(2)} s` : '–'} | ${est === undefined ? 'not measured' : est <= 300 ? '**met** (estimate)' : '**not met** (estimate)'} |`);
  out.push('');
  for (const r of runs) {
    const cr = r.container;
    if (cr) {
      const warn = Object.entries(cr.short.warnings).map(([w, n]) => `${w} × ${n}`).join(', ') || 'none';
      out.push(
        `- ${r.quantization}: model \`${cr.model}\`; short sentence \`${cr.short.text}\` (${cr.short.chars} characters, max_new_tokens ${cr.short.maxNewTokens}, ${f1(cr.short.tokensPerRequest)} tokens generated per request${cr.short.guardRetriesInWarmUp ? '; every candidate was retried by the guard, so its latency includes a retry' : ''}), p95 ${cr.short.p95Ms.toFixed(0)} ms, warnings on its answers: ${warn}; batch 1: ${cr.batch1.requests} requests, ${cr.batch1.tokens} tokens, p50 ${(cr.batch1.p50Ms / 1000).toFixed(2)} s per request; concurrency ${cr.concurrent.concurrency}: ${cr.concurrent.requests} requests, ${cr.concurrent.tokens} tokens in ${(cr.concurrent.wallMs / 1000).toFixed(1)} s, p50 ${(cr.concurrent.p50Ms / 1000).toFixed(2)} s, p95 ${(cr.concurrent.p95Ms / 1000).toFixed(2)} s, ${cr.concurrent.failures} failed; the precision's group took ${r.seconds.toFixed(0)} s (load at start ${r.loadAtStart[0].toFixed(2)}).`,
      );
    }
    if (r.containerError) out.push(`- ${r.quantization}: the container run failed: ${r.containerError}`);
    if (r.profileError) out.push(`- ${r.quantization}: the step profile failed: ${r.profileError}`);
  }
  out.push('');
  out.push('### One decoder step, split', '');
  out.push(
    `Sessions as the engine creates them (split decoder, 2 intra-op threads, graph optimisation 'all'), driven through the engine's own OnnxDecoderStepper, ${PROFILE_STEPS} timed decoder_with_past steps per batch size after one untimed (the sequences are about ${2 + PROFILE_STEPS} tokens long). ` +
      "Wall = session.run as JS sees it (median). Layers vs output projection = onnxruntime's own profile (`enableProfiling`, a second session, same feeds): the nodes whose output's last dimension is the vocabulary vs every other node, scaled to the unprofiled wall time (the profile's model_run includes its own overhead). " +
      `Copying outputs = one memcpy of the step's logits measured in JS, scaled to every output onnxruntime-node copies into a new JS buffer (logits and the 24 key/value tensors): an estimate, it is inside the wall time. Encoder and first step are amortised over the ${o.tokens} tokens a request generates. JS rows are timed on the step's real logits.`,
    '',
  );
  for (const r of runs) {
    if (!r.profile) continue;
    out.push(`#### ${r.quantization}`, '');
    out.push('| batch | part | ms | share |', '| ---: | --- | ---: | ---: |');
    for (const s of r.profile.splits) out.push(...splitRows(s, o.tokens));
    out.push('');
  }
  return out.join('\n');
}
