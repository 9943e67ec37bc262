/**
 * One case group of bench/engine.ts, in its own process (one model in memory; VmHWM is this case's):
 *
 *   node --import tsx bench/lib/engine-child.ts '<ChildTask JSON>'
 *
 * Progress goes to stderr; the last stdout line is `RESULT <json>`.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { DEFAULT_LIMITS, type Limits } from '../../shared/limits.js';
import { loadConfig } from '../../inference/config.js';
import { inspectModelFolder, packIds, TranslationEngine } from '../../inference/engine/index.js';
import { search } from '../../inference/engine/generation/search.js';
import { OnnxDecoderStepper, releaseSessions, runEncoder, type NllbSessions } from '../../inference/engine/onnx-model.js';
import { NllbTokenizer } from '../../inference/engine/tokenizer.js';
import { BatchedEngine, type BatchingOptions } from '../../inference/service/batched-engine.js';
import { memorySnapshot, MemorySampler, type MemorySnapshot } from './memory.js';
import { closedLoop, median, type LoadResult } from './stats.js';
import { onnxFiles, SENTENCES, SRC, TGT, type ChildTask, type EngineTask, type SessionsTask, type TransformersTask } from './workload.js';

export interface CaseResult extends LoadResult {
  name: string;
  /** 1-minute load average when the case started (this process's own threads included). */
  load1: number;
}

export interface KvResult {
  tokens: number;
  cachedMsPerToken: number;
  uncachedMsPerToken: number;
  cachedRuns: number[];
  uncachedRuns: number[];
  /** Generated tokens per run (cached, uncached). */
  generated: [number, number];
  /** Worker-side decoder ms per token (medians). */
  cachedDecoderMsPerToken: number;
  uncachedDecoderMsPerToken: number;
}

export interface ChildResult {
  label: string;
  kind: ChildTask['kind'];
  loadMs: number;
  files: { name: string; bytes: number }[];
  fileBytes: number;
  afterLoad: MemorySnapshot;
  /** Highest sampled RSS (with its RssAnon/RssFile split). */
  peakSample: MemorySnapshot;
  /** Kernel-kept peak (VmHWM) at the end. */
  vmHwm: number;
  end: MemorySnapshot;
  cases: CaseResult[];
  kv?: KvResult;
  notes: string[];
}

const LIMITS: Limits = { ...DEFAULT_LIMITS, MAX_NEW_TOKENS_PER_INPUT_TOKEN: 64 };
/** Deadline for bench requests: batching off at concurrency 16 queues for minutes on purpose. */
const DEADLINE_MS = 30 * 60_000;

function log(message: string): void {
  process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function batchingOptions(mode: 'off' | 'on', workers: number, maxBatchSize?: number): BatchingOptions {
  const defaults = loadConfig({}, { cpus: 2 });
  const common = {
    maxBatchTokens: defaults.batch.maxTokens,
    maxQueuedRequests: defaults.queue.maxRequests,
    maxQueuedTokens: defaults.queue.maxTokens,
    deadlineMs: DEADLINE_MS,
    concurrency: workers,
  };
  return mode === 'off'
    ? { ...common, maxWaitMs: 0, maxBatchSize: 1 }
    : { ...common, maxWaitMs: defaults.batch.maxWaitMs, maxBatchSize: maxBatchSize ?? defaults.batch.maxSize };
}

// --- our engine ------------------------------------------------------------------------------------

async function runEngine(task: EngineTask, sampler: MemorySampler): Promise<Omit<ChildResult, 'label' | 'kind' | 'peakSample' | 'vmHwm' | 'end'>> {
  const t0 = performance.now();
  const engine = await TranslationEngine.load(task.dir, {
    workers: task.workers,
    intraOpThreads: task.intraOpThreads,
    decoder: task.decoder,
    limits: LIMITS,
    defaults: { repetitionGuard: null },
  });
  const loadMs = performance.now() - t0;
  const afterLoad = sampler.sample();
  const graphs = Object.values(engine.folder.graphs).filter((g): g is string => typeof g === 'string');
  const { files, bytes } = onnxFiles(graphs);
  log(`loaded ${engine.folder.variant} decoder, ${task.workers} worker(s) × ${task.intraOpThreads} thread(s) in ${(loadMs / 1000).toFixed(1)} s; RSS ${(afterLoad.rss / 2 ** 30).toFixed(2)} GiB`);
  const settings = { beamSize: 1, repetitionGuard: null, maxNewTokens: task.tokens + 1 };
  const notes: string[] = [];
  try {
    // Warm-up at full length for every batch size the cases use, on every worker: the first run at
    // new shapes is several times slower (arena growth, memory patterns), which is not steady state.
    const sizes = new Set<number>([1]);
    for (const c of task.cases) sizes.add(c.mode === 'off' ? 1 : Math.min(c.concurrency, c.maxBatchSize ?? 16));
    const tw = performance.now();
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const rows = Array.from({ length: size }, (_, i) => SENTENCES[i % SENTENCES.length]!);
      await Promise.all(Array.from({ length: task.workers }, () => engine.translate(rows, SRC, TGT, settings)));
    }
    log(`warm-up (batch sizes ${[...sizes].join(', ')}, ${task.tokens} tokens, on each worker): ${((performance.now() - tw) / 1000).toFixed(1)} s`);
    const cases: CaseResult[] = [];
    for (const c of task.cases) {
      const batchSizes: number[] = [];
      const options = batchingOptions(c.mode, task.workers, c.maxBatchSize);
      const batched = new BatchedEngine(engine, { ...options, onBatch: (info) => batchSizes.push(info.size) });
      const name = `batching ${c.mode}${c.maxBatchSize ? ` (max batch ${c.maxBatchSize})` : ''}, concurrency ${c.concurrency}`;
      log(`${name}: ${c.concurrency} × ${c.perClient} requests`);
      const load1 = loadavg()[0]!;
      const result = await closedLoop(c.concurrency, c.perClient, async (i) => {
        const r = await batched.translate([{ text: SENTENCES[i % SENTENCES.length]!, src: SRC }], TGT, settings, { deadlineMs: DEADLINE_MS });
        return r.generatedTokens;
      });
      await batched.drain();
      const meanBatch = batchSizes.length ? batchSizes.reduce((a, b) => a + b, 0) / batchSizes.length : 0;
      cases.push({ name, load1, ...result, meanBatch, batches: batchSizes.length });
      log(`  ${result.tokensPerSecond.toFixed(2)} tok/s, p50 ${(result.p50Ms / 1000).toFixed(2)} s, p95 ${(result.p95Ms / 1000).toFixed(2)} s, mean batch ${meanBatch.toFixed(1)}, tokens/request ${result.minTokens}–${result.maxTokens}`);
    }
    let kv: KvResult | undefined;
    if (task.kv) {
      const run = async (useCache: boolean) => {
        const start = performance.now();
        const r = await engine.translate([SENTENCES[0]!], SRC, TGT, { ...settings, useCache, maxNewTokens: task.kv!.tokens + 1 });
        const ms = performance.now() - start;
        const n = r.generatedTokens[0]!;
        return { ms, n, decoderMs: r.timings?.decoderMs ?? Number.NaN };
      };
      log(`KV cache vs recomputation, ${task.kv.tokens} new tokens, batch 1`);
      // One discarded run per mode first (new sequence lengths are slow the first time).
      await run(true);
      const cached = [];
      for (let i = 0; i < task.kv.cachedRuns; i++) cached.push(await run(true));
      await run(false);
      const uncached = [];
      for (let i = 0; i < task.kv.uncachedRuns; i++) uncached.push(await run(false));
      kv = {
        tokens: task.kv.tokens,
        cachedMsPerToken: median(cached.map((r) => r.ms / r.n)),
        uncachedMsPerToken: median(uncached.map((r) => r.ms / r.n)),
        cachedRuns: cached.map((r) => r.ms),
        uncachedRuns: uncached.map((r) => r.ms),
        generated: [cached[0]?.n ?? 0, uncached[0]?.n ?? 0],
        cachedDecoderMsPerToken: median(cached.map((r) => r.decoderMs / r.n)),
        uncachedDecoderMsPerToken: median(uncached.map((r) => r.decoderMs / r.n)),
      };
      log(`  KV cache ${kv.cachedMsPerToken.toFixed(1)} ms/token, recomputation ${kv.uncachedMsPerToken.toFixed(1)} ms/token`);
    }
    return { loadMs, files, fileBytes: bytes, afterLoad, cases, ...(kv ? { kv } : {}), notes };
  } finally {
    await engine.close();
  }
}

// --- sessions with custom options (memory variants) ------------------------------------------------

async function runSessions(task: SessionsTask, sampler: MemorySampler): Promise<Omit<ChildResult, 'label' | 'kind' | 'peakSample' | 'vmHwm' | 'end'>> {
  const folder = inspectModelFolder(task.dir, { decoder: task.variant });
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: task.intraOpThreads,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
    enableCpuMemArena: task.enableCpuMemArena,
    ...(task.disablePrepacking ? { extra: { session: { disable_prepacking: '1' } } } : {}),
  };
  const t0 = performance.now();
  const create = (path: string | undefined) => ort.InferenceSession.create(path!, options);
  const encoder = await create(folder.graphs.encoder);
  const sessions: NllbSessions =
    task.variant === 'split'
      ? {
          variant: 'split',
          config: folder.config,
          encoder,
          decoder: await create(folder.graphs.decoder),
          decoderWithPast: await create(folder.graphs.decoderWithPast),
          vocabSize: folder.config.vocabSize,
        }
      : { variant: 'merged', config: folder.config, encoder, decoderMerged: await create(folder.graphs.decoderMerged), vocabSize: folder.config.vocabSize };
  const loadMs = performance.now() - t0;
  const afterLoad = sampler.sample();
  const graphs = Object.values(folder.graphs).filter((g): g is string => typeof g === 'string');
  const { files, bytes } = onnxFiles(graphs);
  log(`loaded ${task.label} in ${(loadMs / 1000).toFixed(1)} s; RSS ${(afterLoad.rss / 2 ** 30).toFixed(2)} GiB`);
  const tokenizer = await NllbTokenizer.load(folder.tokenizerFile, { maxSourceTokens: folder.maxSourceTokens });
  const rows = SENTENCES.slice(0, task.rows).map((s) => tokenizer.encodeSource(s, SRC).ids);
  const { inputIds: ids, offsets } = packIds(rows);
  const tgt = tokenizer.languageTokenId(TGT);
  const cases: CaseResult[] = [];
  try {
    for (let run = 0; run < task.runs; run++) {
      const load1 = loadavg()[0]!;
      const start = performance.now();
      const enc = await runEncoder(sessions, ids, offsets);
      const stepper = new OnnxDecoderStepper(sessions, enc, true);
      const result = await search(
        stepper,
        rows.map(() => ({ forcedTokenId: tgt, maxNewTokens: task.tokens + 1 })),
        { beamSize: 1, lengthPenalty: 1, earlyStopping: true, noRepeatNgramSize: 0, repetitionGuard: null, alternatives: 0 },
        { decoderStartTokenId: folder.config.decoderStartTokenId, eosTokenId: folder.config.eosTokenId, padTokenId: folder.config.padTokenId },
      );
      const wallMs = performance.now() - start;
      sampler.sample();
      const generated = result.rows.map((r) => Math.max(0, r.tokens.length - 2));
      const tokens = generated.reduce((a, b) => a + b, 0);
      cases.push({
        name: `one batch of ${rows.length}, run ${run + 1}`,
        load1,
        concurrency: 1,
        requests: 1,
        tokens,
        wallMs,
        tokensPerSecond: tokens / (wallMs / 1000),
        p50Ms: wallMs,
        p95Ms: wallMs,
        minTokens: Math.min(...generated),
        maxTokens: Math.max(...generated),
      });
      log(`  run ${run + 1}: ${rows.length} rows × ${Math.max(...generated)} tokens in ${(wallMs / 1000).toFixed(1)} s (${(tokens / (wallMs / 1000)).toFixed(1)} tok/s)`);
    }
  } finally {
    await releaseSessions(sessions);
  }
  return { loadMs, files, fileBytes: bytes, afterLoad, cases, notes: [] };
}

// --- @huggingface/transformers ---------------------------------------------------------------------

interface TjsTensor {
  dims: number[];
  data: ArrayLike<number | bigint>;
}

async function runTransformers(task: TransformersTask, sampler: MemorySampler): Promise<Omit<ChildResult, 'label' | 'kind' | 'peakSample' | 'vmHwm' | 'end'>> {
  const tjs = await import('@huggingface/transformers');
  const abs = resolve(task.dir);
  const parent = resolve(abs, '..');
  const name = abs.slice(parent.length + 1);
  tjs.env.allowRemoteModels = false;
  tjs.env.allowLocalModels = true;
  tjs.env.localModelPath = `${parent}/`;
  const notes: string[] = [];
  const t0 = performance.now();
  const tokenizer = await tjs.AutoTokenizer.from_pretrained(name);
  const model = await tjs.AutoModelForSeq2SeqLM.from_pretrained(name, {
    dtype: 'fp32',
    device: 'cpu',
    session_options: { intraOpNumThreads: task.intraOpThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all' },
  });
  const loadMs = performance.now() - t0;
  const afterLoad = sampler.sample();
  // transformers.js loads the encoder and the merged decoder (one If-node graph, with and without past).
  const folder = inspectModelFolder(task.dir, { decoder: 'merged' });
  const { files, bytes } = onnxFiles([folder.graphs.encoder!, folder.graphs.decoderMerged!]);
  log(`loaded transformers.js in ${(loadMs / 1000).toFixed(1)} s; RSS ${(afterLoad.rss / 2 ** 30).toFixed(2)} GiB`);

  // Same inputs as the engine: compare the tokenizer's ids with ours.
  const ours = await NllbTokenizer.load(folder.tokenizerFile, { maxSourceTokens: folder.maxSourceTokens });
  const tgtId = ours.languageTokenId(TGT);
  const encodeTjs = (texts: string[]) => tokenizer(texts, { padding: true }) as unknown as { input_ids: TjsTensor; attention_mask: TjsTensor };
  let mismatches = 0;
  for (const s of SENTENCES) {
    const theirs = Array.from(encodeTjs([s]).input_ids.data, Number);
    const mine = ours.encodeSource(s, SRC).ids;
    if (theirs.join(',') !== mine.join(',')) mismatches++;
  }
  notes.push(mismatches === 0 ? 'transformers.js tokenizer ids = engine tokenizer ids for all sentences' : `transformers.js tokenizer ids differ from the engine's for ${mismatches}/${SENTENCES.length} sentences`);

  const generate = async (texts: string[]): Promise<number> => {
    const inputs = encodeTjs(texts);
    const out = (await model.generate({
      ...inputs,
      max_new_tokens: task.tokens + 1,
      forced_bos_token_id: tgtId,
      num_beams: 1,
      do_sample: false,
    } as never)) as unknown as TjsTensor;
    // [rows, 1 + new tokens]: start token, language token, generated tokens (a finished row keeps going)
    const [rows = 1, len = 0] = out.dims;
    return rows * Math.max(0, len - 2);
  };
  // Warm-up at full length (one sentence, and the batched case's size).
  await generate([SENTENCES[0]!]);
  if (task.batched) await generate(SENTENCES.slice(0, task.batched.rows));
  const cases: CaseResult[] = [];
  for (const c of task.cases) {
    const caseName = `transformers.js, concurrency ${c.concurrency}`;
    log(`${caseName}: ${c.concurrency} × ${c.perClient} requests`);
    const load1 = loadavg()[0]!;
    const result = await closedLoop(c.concurrency, c.perClient, (i) => generate([SENTENCES[i % SENTENCES.length]!]));
    cases.push({ name: caseName, load1, ...result });
    sampler.sample();
    log(`  ${result.tokensPerSecond.toFixed(2)} tok/s, p50 ${(result.p50Ms / 1000).toFixed(2)} s, p95 ${(result.p95Ms / 1000).toFixed(2)} s, tokens/request ${result.minTokens}–${result.maxTokens}`);
  }
  if (task.batched) {
    const { rows, runs } = task.batched;
    const caseName = `transformers.js, ${rows} sentences in one generate() call`;
    log(caseName);
    const load1 = loadavg()[0]!;
    const result = await closedLoop(1, runs, (i) => generate(SENTENCES.slice((i * rows) % SENTENCES.length).concat(SENTENCES).slice(0, rows)));
    cases.push({ name: caseName, load1, ...result });
    sampler.sample();
    log(`  ${result.tokensPerSecond.toFixed(2)} tok/s, ${(result.p50Ms / 1000).toFixed(2)} s per call`);
  }
  await model.dispose();
  return { loadMs, files, fileBytes: bytes, afterLoad, cases, notes };
}

// --- main ------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '') as ChildTask;
  const sampler = new MemorySampler().start(100);
  const body =
    task.kind === 'engine' ? await runEngine(task, sampler) : task.kind === 'sessions' ? await runSessions(task, sampler) : await runTransformers(task, sampler);
  sampler.sample();
  sampler.stop();
  const end = memorySnapshot();
  const result: ChildResult = { label: task.label, kind: task.kind, ...body, peakSample: sampler.peak, vmHwm: end.vmHwm, end };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
