/**
 * Quick measurement: decoder time per generated token with and without the KV cache, side by side
 * in one run (worker-side timings, after a warm-up), greedy and beam search.
 *
 *   npx tsx bench/engine-kv.ts [MODEL_DIR] [--rounds N] [--max-new-tokens N] [--threads N]
 *
 * Part 1 (engine, worker-side timings): batch 1, the fixture's sentences in every mode (they end at
 * </s>, ~5 tokens on the tiny fixture), so the modes do the same steps.
 * Part 2 (the decoder stepper in this thread, no search): a fixed number of decoder steps (</s>
 * ignored), for 1 and 4 hypotheses, so the cost at longer lengths shows.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../shared/limits.js';
import { TranslationEngine } from '../inference/engine/index.js';
import { argmax } from '../inference/engine/generation/logits.js';
import { inspectModelFolder } from '../inference/engine/model-folder.js';
import { loadSessions, OnnxDecoderStepper, releaseSessions, runEncoder } from '../inference/engine/onnx-model.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '20' },
    'max-new-tokens': { type: 'string', default: '32' },
    threads: { type: 'string', default: '1' },
  },
});
const dir = positionals[0] ?? 'models/tiny';
const rounds = Number(values.rounds);
const maxNew = Number(values['max-new-tokens']);

const engine = await TranslationEngine.load(dir, {
  workers: 1,
  intraOpThreads: Number(values.threads),
  limits: { ...DEFAULT_LIMITS, MAX_NEW_TOKENS_PER_INPUT_TOKEN: 64 },
});
const texts = [
  'the child eats the bread',
  'The students like the music in the morning.',
  'the doctor sells the fish and the farmer buys the milk every day',
];

interface Row {
  label: string;
  stepMs: number;
  tokenMs: number;
  /** Worker time (encoder + decoder + search) per generated token. */
  totalTokenMs: number;
  tokens: number;
}

async function measure(label: string, beamSize: number, useCache: boolean): Promise<Row> {
  const run = (i: number) =>
    engine.translate([texts[i % texts.length]!], 'eng_Latn', 'swh_Latn', { beamSize, useCache, maxNewTokens: maxNew, repetitionGuard: null });
  for (let i = 0; i < 3; i++) await run(i); // warm-up
  // Medians over rounds (the machine may be shared: means are skewed by pauses).
  const step: number[] = [];
  const perToken: number[] = [];
  const total: number[] = [];
  let tokens = 0;
  for (let i = 0; i < rounds; i++) {
    const r = await run(i);
    const t = r.timings!;
    step.push(t.decoderMs / t.steps);
    perToken.push(t.decoderMs / r.generatedTokens[0]!);
    total.push(t.totalMs / r.generatedTokens[0]!);
    tokens += r.generatedTokens[0]!;
  }
  return { label, stepMs: median(step), tokenMs: median(perToken), totalTokenMs: median(total), tokens: tokens / rounds };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rows: Row[] = [];
for (const beamSize of [1, 4]) {
  for (const useCache of [true, false]) {
    rows.push(await measure(`${beamSize === 1 ? 'greedy' : `beam ${beamSize}`}, ${useCache ? 'KV cache' : 'no cache'}`, beamSize, useCache));
  }
}
await engine.close();

console.log(`model ${engine.folder.dir} (${engine.folder.variant} decoder), ${rounds} rounds, max ${maxNew} new tokens, batch 1`);
console.log('medians over rounds');
console.log('mode                     decoder ms/step   decoder ms/token   worker ms/token   tokens/sentence');
for (const r of rows) {
  console.log(
    `${r.label.padEnd(24)} ${r.stepMs.toFixed(3).padStart(15)} ${r.tokenMs.toFixed(3).padStart(18)} ${r.totalTokenMs.toFixed(3).padStart(17)} ${r.tokens.toFixed(1).padStart(17)}`,
  );
}
for (const beam of ['greedy', 'beam 4']) {
  const cached = rows.find((r) => r.label === `${beam}, KV cache`)!;
  const uncached = rows.find((r) => r.label === `${beam}, no cache`)!;
  console.log(`${beam}: no cache / KV cache = ${(uncached.tokenMs / cached.tokenMs).toFixed(2)}x per token`);
}

// --- part 2: fixed-length decoding with the raw stepper ---------------------------------------------
const folder = inspectModelFolder(dir);
const sessions = await loadSessions({
  variant: folder.variant,
  config: folder.config,
  graphs: folder.graphs,
  settings: { intraOpThreads: Number(values.threads), interOpThreads: 1 },
});
const source = engine.tokenizer.encodeSource(texts[2]!, 'eng_Latn').ids;
const forced = engine.tokenizer.languageTokenId('swh_Latn');
const { decoderStartTokenId } = folder.config;

/** Per-step wall times (stepper call, ms) of one fixed-length decode. */
async function fixedLength(hyps: number, steps: number, useCache: boolean): Promise<number[]> {
  const ids = new Int32Array(source);
  const enc = await runEncoder(sessions, ids, Int32Array.from([0, ids.length]));
  const stepper = new OnnxDecoderStepper(sessions, enc, useCache);
  const rows = new Int32Array(hyps); // every hypothesis belongs to row 0
  const identity = Int32Array.from({ length: hyps }, (_, i) => i);
  let sequences = Array.from({ length: hyps }, () => [decoderStartTokenId, forced]);
  let parents: Int32Array | null = null;
  const times: number[] = [];
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    const logits = await stepper.step({ sequences, rows, parents });
    times.push(performance.now() - t0);
    sequences = sequences.map((seq, i) => [...seq, argmax(logits, i * stepper.vocabSize, stepper.vocabSize)]);
    parents = identity;
  }
  return times;
}


const steps = Math.min(maxNew * 2, folder.config.maxPositionEmbeddings - 3);
console.log(`\nfixed length: ${steps} decoder steps (</s> ignored), source ${source.length} tokens;`);
console.log('median ms per decoder step (= per token, for all hypotheses together), over all steps of all rounds');
console.log('hypotheses   KV cache   no cache   no cache / KV cache   (KV cache: first 16 steps / last 16 steps)');
for (const hyps of [1, 4]) {
  for (let i = 0; i < 2; i++) await fixedLength(hyps, 8, true); // warm-up
  const cached: number[][] = [];
  const uncached: number[][] = [];
  for (let i = 0; i < Math.max(3, Math.floor(rounds / 4)); i++) {
    cached.push(await fixedLength(hyps, steps, true));
    uncached.push(await fixedLength(hyps, steps, false));
  }
  const c = median(cached.flat());
  const u = median(uncached.flat());
  const early = median(cached.flatMap((t) => t.slice(0, 16)));
  const late = median(cached.flatMap((t) => t.slice(-16)));
  const uEarly = median(uncached.flatMap((t) => t.slice(0, 16)));
  const uLate = median(uncached.flatMap((t) => t.slice(-16)));
  console.log(
    `${String(hyps).padStart(10)} ${c.toFixed(3).padStart(10)} ${u.toFixed(3).padStart(10)} ${(u / c).toFixed(2).padStart(20)}x   (${early.toFixed(3)} / ${late.toFixed(3)}; no cache ${uEarly.toFixed(3)} / ${uLate.toFixed(3)})`,
  );
}
await releaseSessions(sessions);
