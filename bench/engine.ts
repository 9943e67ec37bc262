/**
 * Engine benchmark on the `bench` preset (random weights, NLLB-200-distilled-600M dimensions, fp32):
 *
 *   npx tsx bench/engine.ts [--model models/bench] [--tokens 32] [--kv-tokens 64] [--quick]
 *                           [--only batching,kv,transformers,memory,threads] [--no-write] [--no-build]
 *   npx tsx bench/engine.ts --suite precision [--model models/bench] [--tokens 32] [--fp32-only] [--no-write]
 *
 * --suite precision (bench/lib/precision-suite.ts, about 5 min): fp32 vs int8 (`_quantized` files,
 * when the folder has them) side by side — the container over HTTP (start-up, RSS, p50 of a
 * < 50-character sentence, ms/token at batch 1, tokens/s at concurrency 16) and one decoder step
 * split (encoder, layers, output projection, output copy, JS search) — into the "## Engine: fp32 vs
 * int8" section of bench/RESULTS.md. The default suite is the one below.
 *
 * Side by side in one run, each case group in its own child process (one model in memory at a time,
 * and VmHWM is that group's peak):
 *   (a) batching off (BatchedEngine, maxBatchSize 1) vs on (the container's defaults) at concurrency
 *       1, 4, 16 (+8 for (c)): closed-loop clients, one sentence per request, tokens/s, p50/p95 latency;
 *   (b) KV cache vs recomputation, one sentence, `--kv-tokens` new tokens: ms per token;
 *   (c) this engine vs @huggingface/transformers (same ONNX folder, same sentences, greedy, same
 *       max_new_tokens) at concurrency 1 and 8;
 *   (d) peak RSS vs the size of the ONNX files loaded, per variant (split/merged decoder, CPU arena
 *       off, weight prepacking off);
 *   threading: 1 worker × 2 intra-op threads vs 2 workers × 1 thread at concurrency 16, batching on.
 *
 * Random weights rarely emit </s>: every request asks for `--tokens` new tokens after the language
 * token (repetition guard off), and tokens/s counts the tokens actually generated.
 *
 * Prints markdown tables and writes the "## Engine" section of bench/RESULTS.md (other sections are
 * kept) when the folder is the bench preset. Builds models/bench first when it is missing (about
 * 15–25 min, ~10 GB RAM), unless --no-build. Never used by tests; no timing is asserted anywhere.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildResult, CaseResult } from './lib/engine-child.js';
import { formatLoad, loadAverage, machineInfo } from './lib/machine.js';
import { gib } from './lib/memory.js';
import { precisionReport, runPrecision } from './lib/precision-suite.js';
import { writeResultsSection } from './lib/results.js';
import type { BatchCase, ChildTask } from './lib/workload.js';

const ROOT = resolve(import.meta.dirname, '..');
const CHILD = join(ROOT, 'bench/lib/engine-child.ts');
const SECTIONS = ['batching', 'kv', 'transformers', 'memory', 'threads'] as const;
type Section = (typeof SECTIONS)[number];

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/bench' },
    tokens: { type: 'string', default: '32' },
    'kv-tokens': { type: 'string', default: '64' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    suite: { type: 'string', default: 'default' },
    'fp32-only': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]!.replace(/^\/\*\*?|^ \* ?/gm, ''));
  process.exit(0);
}

const MODEL_DIR = resolve(args.model);
const TOKENS = Number(args.tokens);
const KV_TOKENS = Number(args['kv-tokens']);
const QUICK = args.quick;
const ONLY = new Set<Section>((args.only?.split(',').map((s) => s.trim()) ?? SECTIONS) as Section[]);
for (const s of ONLY) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (one of ${SECTIONS.join(', ')})`);
const COMMAND = `npx tsx bench/engine.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
const BUILD_COMMAND = `/usr/bin/python3 models/build_fixtures.py --preset bench${MODEL_DIR === join(ROOT, 'models/bench') ? '' : ` --out ${relative(ROOT, MODEL_DIR)}`}`;
/** A case group that has not finished by then is killed (the run goes on without it). */
const CHILD_TIMEOUT_MS = 30 * 60_000;

// --- the model folder ----------------------------------------------------------------------------

const REQUIRED = ['config.json', 'sentencepiece.bpe.model', 'onnx/encoder_model.onnx', 'onnx/decoder_model.onnx', 'onnx/decoder_with_past_model.onnx', 'onnx/decoder_model_merged.onnx'];

function folderComplete(): boolean {
  return REQUIRED.every((f) => existsSync(join(MODEL_DIR, f)));
}

function ensureModel(): void {
  if (folderComplete()) return;
  if (args['no-build']) {
    console.error(`${relative(ROOT, MODEL_DIR)} is missing or incomplete. Build it with (about 15–25 min, ~10 GB RAM peak):\n\n  ${BUILD_COMMAND}\n`);
    process.exit(2);
  }
  console.error(`${relative(ROOT, MODEL_DIR)} is missing: building it (about 15–25 min, ~10 GB RAM peak):\n  ${BUILD_COMMAND}`);
  const [cmd, ...rest] = BUILD_COMMAND.split(' ');
  const r = spawnSync(cmd!, rest, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !folderComplete()) {
    console.error(`building the bench preset failed (exit ${r.status ?? r.signal}); run it yourself:\n  ${BUILD_COMMAND}`);
    process.exit(2);
  }
}

function fixturePreset(): string | undefined {
  try {
    const config = JSON.parse(readFileSync(join(MODEL_DIR, 'config.json'), 'utf8')) as { fixture?: { preset?: string } };
    return config.fixture?.preset;
  } catch {
    return undefined;
  }
}

/** encoder + decoder weights with the shared embedding counted once (bytes), from the files and config.json. */
function oneCopyOfWeights(): number | null {
  try {
    const config = JSON.parse(readFileSync(join(MODEL_DIR, 'config.json'), 'utf8')) as { vocab_size: number; d_model: number };
    const size = (name: string) => (existsSync(join(MODEL_DIR, 'onnx', name)) ? statSync(join(MODEL_DIR, 'onnx', name)).size : 0);
    const files = size('encoder_model.onnx') + size('encoder_model.onnx_data') + size('decoder_model.onnx') + size('decoder_model.onnx_data');
    return files - config.vocab_size * config.d_model * 4;
  } catch {
    return null;
  }
}

// --- child processes -----------------------------------------------------------------------------

interface Ran {
  task: ChildTask;
  result: ChildResult | null;
  error?: string;
  loadAtStart: [number, number, number];
  seconds: number;
}

function runChild(task: ChildTask): Promise<Ran> {
  const loadAtStart = loadAverage();
  const started = performance.now();
  console.error(`\n▶ ${task.label} (load ${formatLoad(loadAtStart)})`);
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(task)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const timer = setTimeout(() => {
      console.error(`  ${task.label}: no result after ${CHILD_TIMEOUT_MS / 60_000} min, stopping it`);
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) {
        resolveRun({ task, result: JSON.parse(line.slice('RESULT '.length)) as ChildResult, loadAtStart, seconds });
      } else {
        resolveRun({ task, result: null, error: `exit ${code ?? signal}`, loadAtStart, seconds });
      }
    });
  });
}

// --- the plan ------------------------------------------------------------------------------------

const perClient = (concurrency: number): number => (QUICK ? 1 : concurrency === 1 ? 3 : 2);
const dir = relative(ROOT, MODEL_DIR) || '.';

function plan(): ChildTask[] {
  const tasks: ChildTask[] = [];
  // Off and on alternate level by level, so both sides of a ratio see the same machine conditions.
  const mainCases: BatchCase[] = [];
  const onLevels = new Set([...(ONLY.has('batching') ? [1, 4, 16] : []), ...(ONLY.has('transformers') ? [1, 8] : []), ...(ONLY.has('threads') ? [16] : [])]);
  for (const c of [...onLevels].sort((a, b) => a - b)) {
    if (ONLY.has('batching') && c !== 8) mainCases.push({ mode: 'off', concurrency: c, perClient: perClient(c) });
    mainCases.push({ mode: 'on', concurrency: c, perClient: perClient(c) });
  }
  if (mainCases.length > 0 || ONLY.has('kv') || ONLY.has('memory')) {
    tasks.push({
      kind: 'engine',
      label: 'engine, split decoder, 1 worker × 2 threads',
      dir,
      decoder: 'split',
      workers: 1,
      intraOpThreads: 2,
      tokens: TOKENS,
      cases: mainCases,
      ...(ONLY.has('kv') ? { kv: { tokens: KV_TOKENS, cachedRuns: QUICK ? 1 : 2, uncachedRuns: 1 } } : {}),
    });
  }
  if (ONLY.has('threads')) {
    tasks.push({
      kind: 'engine',
      label: 'engine, split decoder, 2 workers × 1 thread',
      dir,
      decoder: 'split',
      workers: 2,
      intraOpThreads: 1,
      tokens: TOKENS,
      cases: [
        { mode: 'on', concurrency: 16, perClient: perClient(16) },
        { mode: 'on', concurrency: 16, perClient: perClient(16), maxBatchSize: 8 },
      ],
    });
  }
  if (ONLY.has('memory')) {
    tasks.push({
      kind: 'engine',
      label: 'engine, merged decoder, 1 worker × 2 threads',
      dir,
      decoder: 'merged',
      workers: 1,
      intraOpThreads: 2,
      tokens: TOKENS,
      cases: [{ mode: 'on', concurrency: 16, perClient: perClient(16) }],
    });
    const variants: { variant: 'split' | 'merged'; arena: boolean; prepack: boolean }[] = [
      { variant: 'split', arena: false, prepack: true },
      { variant: 'split', arena: true, prepack: false },
      { variant: 'merged', arena: false, prepack: false },
    ];
    for (const v of QUICK ? variants.slice(2) : variants) {
      const label = `sessions, ${v.variant} decoder, CPU arena ${v.arena ? 'on' : 'off'}, prepacking ${v.prepack ? 'on' : 'off'}`;
      tasks.push({ kind: 'sessions', label, dir, variant: v.variant, intraOpThreads: 2, enableCpuMemArena: v.arena, disablePrepacking: !v.prepack, tokens: TOKENS, rows: 16, runs: 2 });
    }
  }
  if (ONLY.has('transformers')) {
    tasks.push({
      kind: 'transformers',
      label: '@huggingface/transformers 4.3.2 (encoder + merged decoder), 2 intra-op threads',
      dir,
      intraOpThreads: 2,
      tokens: TOKENS,
      cases: [
        { concurrency: 1, perClient: perClient(1) },
        { concurrency: 8, perClient: perClient(8) },
      ],
      batched: { rows: 8, runs: QUICK ? 1 : 2 },
    });
  }
  return tasks;
}

// --- report --------------------------------------------------------------------------------------

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const sec = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
const met = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? '**met**' : '**not met**');

function findCase(runs: Ran[], label: string, name: string): CaseResult | undefined {
  return runs.find((r) => r.task.label === label)?.result?.cases.find((c) => c.name === name);
}

function loadRow(c: CaseResult, mode: string): string {
  const batch = c.meanBatch !== undefined && c.batches ? `${f1(c.meanBatch)} (${c.batches})` : '–';
  return `| ${mode} | ${c.concurrency} | ${c.requests} | ${c.tokens} | ${c.minTokens === c.maxTokens ? c.minTokens : `${c.minTokens}–${c.maxTokens}`} | ${sec(c.wallMs)} | ${f2(c.tokensPerSecond)} | ${sec(c.p50Ms)} | ${sec(c.p95Ms)} | ${batch} | ${f2(c.load1)} |`;
}

const LOAD_HEADER =
  '| case | concurrency | requests | tokens | tokens/request | wall s | tokens/s | p50 s | p95 s | mean batch (batches) | load avg at start |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';

function report(runs: Ran[], machine: ReturnType<typeof machineInfo>, loadEnd: [number, number, number], totalSeconds: number): string {
  const MAIN = 'engine, split decoder, 1 worker × 2 threads';
  const TWO = 'engine, split decoder, 2 workers × 1 thread';
  const MERGED = 'engine, merged decoder, 1 worker × 2 threads';
  const main = runs.find((r) => r.task.label === MAIN)?.result ?? null;
  const tjsRun = runs.find((r) => r.task.kind === 'transformers');
  const tjs = tjsRun?.result ?? null;
  const out: string[] = [];
  out.push('## Engine', '');
  out.push(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine.nproc} CPUs (nproc), ${machine.cpuModel}, ${machine.ramGiB.toFixed(1)} GiB RAM, Node ${machine.node}, onnxruntime-node 1.30.0; ` +
      `load average (1/5/15 min) ${formatLoad(machine.load)} at the start, ${formatLoad(loadEnd)} at the end (the machine was shared with other jobs); total ${(totalSeconds / 60).toFixed(1)} min.`,
    '',
    `Command: \`${COMMAND}\` (\`npm run bench\` runs the same). Model: \`${dir}\` — ` +
      (fixturePreset() === 'bench'
        ? `the \`bench\` preset (\`${BUILD_COMMAND}\`): random weights with the dimensions of NLLB-200-distilled-600M (d_model 1024, 12+12 layers, vocabulary 256206), fp32, the tiny fixture's tokenizer. `
        : `not the bench preset (fixture preset ${fixturePreset() ?? 'none'}): these numbers do not stand for NLLB-600M. `) +
      `Inputs: 16 fixed English sentences of 15–18 source tokens, eng_Latn → swh_Latn, one sentence per request, greedy. ` +
      `Random weights rarely emit \`</s>\`, so every request asks for ${TOKENS} new tokens after the language token (max_new_tokens ${TOKENS + 1}, repetition guard off) ` +
      `and tokens/s = tokens actually generated / wall time of the case. Latencies are per request (submit → result), nearest-rank percentiles. ` +
      `Each group runs in its own child process after a full-length warm-up at every batch size it uses (one model in memory at a time; peak RSS is that process's VmHWM, worker threads included). ` +
      `Load averages include the benchmark's own threads (about 2–3 while a model runs); more than that is other work on the shared machine, and the single-request numbers move by up to 2× with it.`,
    '',
  );

  // targets
  const off16 = findCase(runs, MAIN, 'batching off, concurrency 16');
  const on16 = findCase(runs, MAIN, 'batching on, concurrency 16');
  const on8 = findCase(runs, MAIN, 'batching on, concurrency 8');
  const tjs8 = tjs?.cases.find((c) => c.name === 'transformers.js, concurrency 8');
  const batchRatio = off16 && on16 ? on16.tokensPerSecond / off16.tokensPerSecond : Number.NaN;
  const kv = main?.kv;
  const kvRatio = kv ? kv.uncachedMsPerToken / kv.cachedMsPerToken : Number.NaN;
  const tjsRatio = on8 && tjs8 ? on8.tokensPerSecond / tjs8.tokensPerSecond : Number.NaN;
  const rssRatio = main ? main.vmHwm / main.fileBytes : Number.NaN;
  const has = (x: number) => (Number.isFinite(x) ? true : null);
  out.push('### Targets', '');
  out.push('| check | measured | target | result |', '| --- | ---: | ---: | --- |');
  out.push(`| (a) throughput, batching on / off, concurrency 16 | ${ratio(batchRatio)} | ≥ 3× | ${met(has(batchRatio) && batchRatio >= 3)} |`);
  out.push(`| (b) ms per token, recomputation / KV cache, ${KV_TOKENS} new tokens | ${ratio(kvRatio)} | ≥ 3× | ${met(has(kvRatio) && kvRatio >= 3)} |`);
  out.push(`| (c) throughput, this engine / transformers.js, concurrency 8 | ${ratio(tjsRatio)} | ≥ 1.5× | ${met(has(tjsRatio) && tjsRatio >= 1.5)} |`);
  out.push(
    `| (d) peak RSS / ONNX files loaded (default: split decoder, 1 worker) | ${Number.isFinite(rssRatio) ? `${f2(rssRatio)} (${gib(main!.vmHwm)} / ${gib(main!.fileBytes)} GiB)` : '–'} | ≤ 1.3 | ${met(has(rssRatio) && rssRatio <= 1.3)} |`,
  );
  out.push('');

  // (a)
  if (main && main.cases.length > 0) {
    out.push(`### (a) Batching off vs on (engine: split decoder, 1 worker × 2 intra-op threads)`, '');
    out.push(
      'Off = BatchedEngine with maxBatchSize 1 (one sentence per model run); on = the container defaults (maxWaitMs 5, maxBatchSize 16, maxBatchTokens 4096). ' +
        `Closed loop: N clients, each sending ${QUICK ? 1 : `${perClient(16)} (${perClient(1)} at concurrency 1)`} request(s) in sequence.`,
      '',
    );
    out.push(LOAD_HEADER);
    for (const c of main.cases) out.push(loadRow(c, c.name.startsWith('batching off') ? 'batching off' : 'batching on'));
    out.push('');
    const lines: string[] = [];
    for (const level of [1, 4, 16]) {
      const off = findCase(runs, MAIN, `batching off, concurrency ${level}`);
      const on = findCase(runs, MAIN, `batching on, concurrency ${level}`);
      if (off && on) lines.push(`concurrency ${level}: ${ratio(on.tokensPerSecond / off.tokensPerSecond)} throughput, p95 ${sec(off.p95Ms)} s → ${sec(on.p95Ms)} s`);
    }
    if (lines.length) out.push(`On / off: ${lines.join('; ')}.`, '');
  }

  // (b)
  if (kv) {
    out.push(`### (b) KV cache vs recomputation (${KV_TOKENS} new tokens, one sentence, batch 1)`, '');
    out.push('| mode | runs | tokens generated | wall s per run | ms/token (wall) | decoder ms/token (worker) |', '| --- | ---: | ---: | --- | ---: | ---: |');
    out.push(`| KV cache (decoder_with_past) | ${kv.cachedRuns.length} | ${kv.generated[0]} | ${kv.cachedRuns.map(sec).join(', ')} | ${f1(kv.cachedMsPerToken)} | ${f1(kv.cachedDecoderMsPerToken)} |`);
    out.push(`| recomputation (decoder_model over the whole prefix every step) | ${kv.uncachedRuns.length} | ${kv.generated[1]} | ${kv.uncachedRuns.map(sec).join(', ')} | ${f1(kv.uncachedMsPerToken)} | ${f1(kv.uncachedDecoderMsPerToken)} |`);
    out.push(
      '',
      `Recomputation / KV cache: **${ratio(kvRatio)}** per token (medians after one discarded run per mode; wall time includes the encoder and the worker round trip). ` +
        'Without the cache every step runs decoder_model over the whole prefix, output projection (256206 × 1024) included at every position, so a step costs more the longer the output; with it, a step feeds one token and the stored keys/values.',
      '',
    );
  }

  // (c)
  if (tjs) {
    out.push('### (c) This engine vs @huggingface/transformers 4.3.2', '');
    out.push(
      'Same folder, same sentences, greedy, same max_new_tokens (transformers.js: `AutoModelForSeq2SeqLM.generate({ input_ids, attention_mask, max_new_tokens, forced_bos_token_id })`, ' +
        'dtype fp32, CPU, intraOpNumThreads 2; it loads encoder_model + decoder_model_merged, has no beam search and no cross-request batching; one sentence per generate() call). ' +
        'Engine = BatchedEngine, batching on, 1 worker × 2 threads.',
      '',
    );
    out.push(LOAD_HEADER);
    for (const level of [1, 8]) {
      const e = findCase(runs, MAIN, `batching on, concurrency ${level}`);
      if (e) out.push(loadRow(e, 'this engine (batching on)'));
      const t = tjs.cases.find((c) => c.name === `transformers.js, concurrency ${level}`);
      if (t) out.push(loadRow(t, 'transformers.js'));
    }
    const tb = tjs.cases.find((c) => c.name.includes('in one generate() call'));
    if (tb) out.push(loadRow(tb, `transformers.js, 8 sentences per generate() call (info)`));
    out.push('');
    const e1 = findCase(runs, MAIN, 'batching on, concurrency 1');
    const t1 = tjs.cases.find((c) => c.name === 'transformers.js, concurrency 1');
    const parts: string[] = [];
    if (e1 && t1) parts.push(`concurrency 1: ${ratio(e1.tokensPerSecond / t1.tokensPerSecond)}`);
    if (Number.isFinite(tjsRatio)) parts.push(`concurrency 8: ${ratio(tjsRatio)}`);
    if (parts.length) {
      const c1 = e1 && t1 ? e1.tokensPerSecond / t1.tokensPerSecond : Number.NaN;
      out.push(
        `This engine / transformers.js throughput: ${parts.join(', ')}.` +
          (Number.isFinite(c1) && c1 > 0.8 && c1 < 1.25
            ? ' At concurrency 1 both run the same ONNX graphs on one sentence with 2 threads, so they are at parity; the lead at concurrency 8 comes from batching the concurrent requests into one model run.'
            : ''),
      );
    }
    if (t1 && tjs8) {
      const overlap = tjs8.tokensPerSecond / t1.tokensPerSecond;
      out.push(
        `transformers.js at concurrency 8: ${ratio(overlap)} its concurrency-1 throughput — ` +
          (overlap > 1.2
            ? 'its generate() calls overlap (onnxruntime-node runs session.run off the main thread, so 8 calls share the 2 cores), but nothing is batched across calls.'
            : 'the calls effectively run one after another (no batching across calls; concurrent session.run calls only share the cores).'),
      );
    }
    for (const n of tjs.notes) out.push(`${n}.`);
    out.push('');
  }

  // (d)
  const memRuns = runs.filter((r) => r.result);
  if (memRuns.length > 0) {
    out.push('### (d) Peak RSS vs ONNX files loaded', '');
    const weights = oneCopyOfWeights();
    out.push(
      'Peak RSS = the process\'s VmHWM (worker threads included); "after load" is after session creation, before any inference. ' +
        (weights ? `For scale: one copy of the model's weights (encoder + decoder, embedding once) is ${gib(weights)} GiB. ` : '') +
        'The sessions rows create onnxruntime sessions directly with other options and run one batch of 16 sentences twice on the main thread (the speed column is the better run).',
      '',
    );
    out.push(
      '| variant | ONNX files loaded | files GiB | RSS after load GiB | VmHWM after load GiB | peak RSS (VmHWM) GiB | anon / file-backed GiB at the highest sample | peak / files | best tokens/s of the group |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const r of memRuns) {
      const res = r.result!;
      const names = res.files.filter((f) => f.name.endsWith('.onnx')).map((f) => f.name.replace(/\.onnx$/, '')).join(' + ');
      const best = Math.max(...res.cases.map((c) => c.tokensPerSecond));
      out.push(
        `| ${res.label} | ${names} (+ _data) | ${gib(res.fileBytes)} | ${gib(res.afterLoad.vmRss || res.afterLoad.rss)} | ${gib(res.afterLoad.vmHwm)} | ${gib(res.vmHwm)} | ${gib(res.peakSample.rssAnon)} / ${gib(res.peakSample.rssFile)} | ${f2(res.vmHwm / res.fileBytes)} | ${Number.isFinite(best) ? f2(best) : '–'} |`,
      );
    }
    out.push('');
    const bullets: string[] = [];
    if (main) {
      const duringLoad = main.afterLoad.vmHwm >= 0.95 * main.vmHwm;
      bullets.push(
        `Default engine (split decoder, 1 worker): peak ${gib(main.vmHwm)} GiB = ${f2(main.vmHwm / main.fileBytes)}× the ${gib(main.fileBytes)} GiB of files it loads` +
          (weights ? ` (${f2(main.vmHwm / weights)}× one copy of the weights)` : '') +
          `; ${duringLoad ? `the peak is reached while the sessions are created (VmHWM after load ${gib(main.afterLoad.vmHwm)} GiB, RSS then ${gib(main.afterLoad.vmRss)} GiB): transient copies made while folding constants and prepacking, not inference` : `inference adds ${gib(main.vmHwm - main.afterLoad.vmHwm)} GiB over the load peak`}.`,
      );
    }
    bullets.push(
      'Where it goes (checked by creating the sessions one at a time): onnxruntime memory-maps the `.onnx_data` files; with weight prepacking (the default) every MatMul weight is copied into MLAS\'s packed layout (anonymous memory) and the mapping is not touched again, so RSS is almost all anonymous. ' +
        'The 1 GiB embedding, read only by a Gather, stays mapped and only the rows looked up become resident (the bench tokenizer uses ids < 1204, so hardly any; a real model touches the rows of the tokens it sees). ' +
        'The fixture ties the output projection as `Transpose(embedding)`; graph optimisation folds it into a 1 GiB anonymous copy in every decoder graph. No weights are shared between sessions: decoder_model and decoder_with_past each hold their own (onnxruntime-node exposes no shared-initializer or prepacked-weights container).',
    );
    const merged = runs.find((r) => r.task.label === MERGED)?.result;
    if (main && merged) {
      bullets.push(
        `The merged decoder does not halve it: RSS after load ${gib(merged.afterLoad.vmRss)} GiB vs ${gib(main.afterLoad.vmRss)} GiB split, peak ${gib(merged.vmHwm)} vs ${gib(main.vmHwm)} GiB, although its files are ${gib(merged.fileBytes)} vs ${gib(main.fileBytes)} GiB — each If branch gets its own folded transpose and prepacked weights. transformers.js loads the same pair (peak ${tjs ? gib(tjs.vmHwm) : '–'} GiB).`,
      );
    }
    const sessions = runs.filter((r) => r.task.kind === 'sessions' && r.result).map((r) => ({ task: r.task as Extract<ChildTask, { kind: 'sessions' }>, res: r.result! }));
    const prepackOn = sessions.find((x) => x.task.variant === 'split' && !x.task.disablePrepacking);
    const prepackOff = sessions.find((x) => x.task.variant === 'split' && x.task.disablePrepacking);
    const bestOf = (res: ChildResult) => Math.max(...res.cases.map((c) => c.tokensPerSecond));
    if (prepackOn && prepackOff) {
      bullets.push(
        `CPU arena off alone changes little (split, arena off: peak ${gib(prepackOn.res.vmHwm)} GiB). Prepacking off (\`extra: { session: { disable_prepacking: '1' } }\`) keeps the weights file-backed: RSS after load ${gib(prepackOff.res.afterLoad.vmRss)} GiB (the folded transposes), peak ${gib(prepackOff.res.vmHwm)} GiB (${f2(prepackOff.res.vmHwm / prepackOff.res.fileBytes)}× files; file-backed pages are page cache, reclaimable and shared with any process mapping the same files), ` +
          `at ${ratio(bestOf(prepackOff.res) / bestOf(prepackOn.res))} the batch-16 throughput of the prepacked sessions.`,
      );
    }
    const mergedLean = sessions.find((x) => x.task.variant === 'merged' && x.task.disablePrepacking);
    if (mergedLean) {
      bullets.push(
        `Smallest: merged decoder, arena off, prepacking off: peak ${gib(mergedLean.res.vmHwm)} GiB (${f2(mergedLean.res.vmHwm / mergedLean.res.fileBytes)}× its ${gib(mergedLean.res.fileBytes)} GiB of files${main ? `, ${f2(mergedLean.res.vmHwm / main.vmHwm)}× the default engine's peak` : ''}), ${f2(bestOf(mergedLean.res))} tokens/s on a batch of 16.`,
      );
    }
    for (const b of bullets) out.push(`- ${b}`);
    out.push('');
  }

  // threading
  const two16 = findCase(runs, TWO, 'batching on, concurrency 16');
  const two16b8 = findCase(runs, TWO, 'batching on (max batch 8), concurrency 16');
  if (on16 && (two16 || two16b8)) {
    out.push('### Threading (concurrency 16, batching on)', '');
    out.push(LOAD_HEADER);
    out.push(loadRow(on16, '1 worker × 2 threads (max batch 16)'));
    if (two16) out.push(loadRow(two16, '2 workers × 1 thread (max batch 16)'));
    if (two16b8) out.push(loadRow(two16b8, '2 workers × 1 thread (max batch 8)'));
    const twoRes = runs.find((r) => r.task.label === TWO)?.result;
    out.push('');
    const bestTwo = Math.max(two16?.tokensPerSecond ?? 0, two16b8?.tokensPerSecond ?? 0);
    const r = bestTwo / on16.tokensPerSecond;
    const memNote = twoRes && main ? ` Peak RSS: ${gib(main.vmHwm)} GiB with 1 worker, ${gib(twoRes.vmHwm)} GiB with 2 (each worker holds its own sessions).` : '';
    out.push(
      'With 2 workers and max batch 16 the 16 simultaneous requests form one batch, so one worker (1 thread) runs it while the other idles; with max batch 8 both workers run a batch of 8 at once.',
      '',
    );
    out.push(
      `Best 2 × 1 / 1 × 2 throughput: ${ratio(r)}.${memNote} ` +
        (r < 1.1
          ? (r < 0.9
              ? 'One worker with both threads is faster and needs half the memory: keep one worker and give it every core. '
              : 'Two workers are no faster (the difference is within this shared machine\'s run-to-run noise of about ±20%) and need twice the memory: keep one worker and give it every core. ') +
            'That supports fewer, wider workers — one worker per 8 cores (8 cores → 1 × 8; the current `planThreads` default, which config.ts `defaultEngineThreads` uses) rather than one per 4 (8 cores → 2 × 4) — for a batching server, where one large batch already keeps the cores busy, at half the memory; on this 2-core machine both rules give 1 × 2, and only a machine with more cores can show where a second worker starts to pay.'
          : 'Two single-threaded workers beat one two-threaded worker here: that supports more workers per core (one per 4 cores rather than the current one per 8 of `planThreads`), if memory allows one copy of the weights per worker.'),
      '',
    );
  }

  const failed = runs.filter((r) => !r.result);
  if (failed.length) out.push(`Failed case groups: ${failed.map((r) => `${r.task.label} (${r.error})`).join('; ')}.`, '');
  out.push(
    `Group timings: ${runs.map((r) => `${r.task.label} ${r.seconds.toFixed(0)} s (load at start ${r.loadAtStart[0].toFixed(2)})`).join('; ')}.`,
    '',
  );
  return out.join('\n');
}

// --- main ----------------------------------------------------------------------------------------

/** --suite precision: fp32 vs int8, its own section of bench/RESULTS.md. */
async function mainPrecision(): Promise<void> {
  const machine = machineInfo();
  const started = performance.now();
  console.error(`engine benchmark, fp32 vs int8, on ${dir}: ${machine.nproc} CPUs, ${machine.cpuModel}, load ${formatLoad(machine.load)}`);
  const runs = await runPrecision({ root: ROOT, modelDir: MODEL_DIR, tokens: TOKENS, fp32Only: args['fp32-only'], log: (m) => console.error(`  [${new Date().toISOString().slice(11, 19)}] ${m}`) });
  const section = precisionReport(runs, { command: COMMAND, machine, loadEnd: loadAverage(), totalSeconds: (performance.now() - started) / 1000, dir, tokens: TOKENS });
  console.log(`\n${section}`);
  if (args['no-write']) return;
  if (fixturePreset() !== 'bench') {
    console.error(`not writing bench/RESULTS.md: ${dir} is not the bench preset`);
    return;
  }
  if (runs.length < 2 || runs.some((r) => !r.container || !r.profile)) {
    console.error('not writing bench/RESULTS.md: fp32 and int8 were not both measured');
    process.exitCode = 1;
    return;
  }
  await writeResultsSection(join(ROOT, 'bench/RESULTS.md'), '## Engine: fp32 vs int8', section);
  console.error('wrote the "## Engine: fp32 vs int8" section of bench/RESULTS.md');
}

async function main(): Promise<void> {
  ensureModel();
  if (args.suite === 'precision') return mainPrecision();
  if (args.suite !== 'default') throw new Error(`--suite: unknown suite ${args.suite} (default or precision)`);
  const machine = machineInfo();
  const started = performance.now();
  console.error(`engine benchmark on ${dir}: ${machine.nproc} CPUs, ${machine.cpuModel}, load ${formatLoad(machine.load)}`);
  const runs: Ran[] = [];
  for (const task of plan()) runs.push(await runChild(task));
  const loadEnd = loadAverage();
  const section = report(runs, machine, loadEnd, (performance.now() - started) / 1000);
  console.log(`\n${section}`);
  const preset = fixturePreset();
  if (args['no-write']) return;
  if (preset !== 'bench') {
    console.error(`not writing bench/RESULTS.md: ${dir} is not the bench preset (fixture preset ${preset ?? 'unknown'})`);
    return;
  }
  if (QUICK || args.only) {
    console.error('not writing bench/RESULTS.md for a --quick or --only run');
    return;
  }
  await writeResultsSection(join(ROOT, 'bench/RESULTS.md'), '## Engine', section);
  console.error('wrote the "## Engine" section of bench/RESULTS.md');
  if (runs.some((r) => !r.result)) process.exitCode = 1;
}

await main();
