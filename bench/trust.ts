/**
 * Issue 11 ("output users can trust"): what placeholder masking, sentence segmentation and the
 * omission guard cost per sentence next to the model's own time per sentence, and how often the
 * guard retries and the placeholder check falls back on the tiny fixture's corpus.
 *
 *   npx tsx bench/trust.ts [--model models/bench] [--tiny models/tiny] [--sentences 8] [--no-write]
 *
 * Part 1 (models/tiny, the real service: translateRequest over BatchedEngine over the ONNX engine):
 * a few hundred inputs from the fixture's training corpus (models/fixture_builder/corpus.py, read
 * with /usr/bin/python3): single sentences in the four trained directions, multi-sentence lower-case
 * texts, and strings with placeholders of every kind. Counts, per sentence sent to the model:
 * guard retries and placeholder fallbacks (see `countCalls` for how they are attributed).
 * Part 2 (no model): the text steps of the same inputs, timed in this thread, per sentence.
 * Part 3: the model's time per sentence on `--model` (the bench preset, NLLB-600M dimensions) at
 * batch 1 and in one batch; falls back to models/tiny, and says so, when the folder is missing.
 * Results go to the "## Trust" section of bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { NormalizedTranslateRequest } from '../shared/contract/validate.js';
import { TranslationEngine } from '../inference/engine/index.js';
import type { LanguageDetector } from '../inference/lid/index.js';
import { BatchedEngine, type GenerationRequest, type SentenceOutput, type SentenceToTranslate } from '../inference/service/batched-engine.js';
import type { SubmitOptions } from '../inference/scheduler/index.js';
import { finerPlan } from '../inference/service/quality/finer.js';
import { looksOmitted } from '../inference/service/quality/length-ratio.js';
import { suspicions } from '../inference/service/quality/warnings.js';
import { SourceDetection, translateRequest } from '../inference/service/translation-service.js';
import { modelSegmentOptions, reassemble, segmentBatch } from '../inference/text/index.js';
import { checkMasks, fallbackPlan, findSpans, MASK, prepareText } from '../inference/text/protect/index.js';
import { formatLoad, machineInfo } from './lib/machine.js';
import { writeResultsSection } from './lib/results.js';
import { BENCH_BATCHING, BENCH_CONFIG, measureModelTime } from './lib/model-time.js';
import { median, sum } from './lib/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/bench' },
    tiny: { type: 'string', default: 'models/tiny' },
    sentences: { type: 'string', default: '8' },
    'no-write': { type: 'boolean', default: false },
  },
});
const TARGET_SHARE = 0.05;

function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// --- inputs -----------------------------------------------------------------------------------------

interface Input {
  text: string;
  src: string;
  tgt: string;
  kind: 'sentence' | 'multi-sentence' | 'joined clauses' | 'placeholders';
}

interface Triple {
  eng: string;
  swh: string;
  fra: string;
  kind: string;
  form: string;
}

/** The fixture's corpus, from its own generator (deterministic: no random numbers in it). */
function corpusTriples(): Triple[] {
  const script = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(join(ROOT, 'models'))})`,
    'from fixture_builder import corpus',
    'print(json.dumps([dict(eng=t.eng, swh=t.swh, fra=t.fra, kind=t.kind, form=t.form) for t in corpus.all_triples()]))',
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Triple[];
}

const DIRECTIONS: [string, string][] = [
  ['eng_Latn', 'swh_Latn'],
  ['swh_Latn', 'eng_Latn'],
  ['eng_Latn', 'fra_Latn'],
  ['fra_Latn', 'eng_Latn'],
];
const lang = (t: Triple, flores: string) => (flores === 'eng_Latn' ? t.eng : flores === 'swh_Latn' ? t.swh : t.fra);

/** Every `step`-th element from `offset` (a fixed spread over the whole list). */
function spread<T>(list: readonly T[], count: number, offset = 0): T[] {
  const step = Math.max(1, Math.floor(list.length / count));
  return Array.from({ length: Math.min(count, list.length) }, (_, i) => list[(offset + i * step) % list.length]!);
}

// What users put where the corpus has a mask: one of each span kind the protector knows.
const PLACEHOLDERS = ['{name}', '{0}', '{{user}}', '%s', '%d', '%1$s', '%(count)s', '${total}', '@amina', '#habari', '42', '3.14', 'https://example.org/a?b=1', 'team@example.org', '🎉', '<0>Amina</0>'];

function inputs(triples: readonly Triple[]): Input[] {
  const out: Input[] = [];
  const templates = triples.filter((t) => t.kind === 'template' || t.kind === 'phrase');
  const period = templates.filter((t) => t.form === 'period');
  const masked = triples.filter((t) => /\[\d+\]/.test(t.eng));
  DIRECTIONS.forEach(([src, tgt], d) => {
    for (const t of spread(templates, 30, d * 7)) out.push({ text: lang(t, src), src, tgt, kind: 'sentence' });
    // "the child eats the bread. the teacher reads the book." — 2 or 3 lower-case sentences.
    const pool = spread(period, 60, d * 11);
    for (let i = 0; i + 2 < pool.length; i += 3) {
      const parts = pool.slice(i, i + (i % 2 === 0 ? 2 : 3)).map((t) => lang(t, src));
      out.push({ text: parts.join(' '), src, tgt, kind: 'multi-sentence' });
    }
    // Two corpus sentences as one, joined by a clause mark the corpus never has inside a sentence:
    // the case the guard exists for (a model that stops after the first clause).
    const joins = spread(templates.filter((t) => t.form === 'plain'), 40, d * 5);
    for (let i = 0; i + 1 < joins.length; i += 2) {
      out.push({ text: `${lang(joins[i]!, src)}${i % 4 === 0 ? '; ' : ', '}${lang(joins[i + 1]!, src)}`, src, tgt, kind: 'joined clauses' });
    }
    // Corpus mask sentences with real placeholders in place of the masks (each index → one kind).
    spread(masked, 20, d * 13).forEach((t, i) => {
      const text = lang(t, src).replace(/\[(\d+)\]/g, (_, k: string) => PLACEHOLDERS[(Number(k) + i) % PLACEHOLDERS.length]!);
      out.push({ text, src, tgt, kind: 'placeholders' });
    });
  });
  return out;
}

// --- part 1: the real service on the tiny fixture ----------------------------------------------------

interface Call {
  sentences: SentenceToTranslate[];
  outputs: SentenceOutput[];
}

/** BatchedEngine that records every translate() call the service makes (the service's own calls, before batching). */
class RecordingEngine extends BatchedEngine {
  calls: Call[] = [];
  override async translate(sentences: readonly SentenceToTranslate[], tgt: string, request: GenerationRequest, submit?: SubmitOptions) {
    const result = await super.translate(sentences, tgt, request, submit);
    this.calls.push({ sentences: [...sentences], outputs: result.sentences });
    return result;
  }
}

const spanTexts = (text: string) => JSON.stringify(findSpans(text).map((span) => span.text).sort());

const noDetector: LanguageDetector = {
  id: 'none',
  detect: () => Promise.reject(new Error('the benchmark always gives source_language')),
  close: () => undefined,
};

const LETTER = /\p{L}/u;
const coresOf = (masked: string) =>
  fallbackPlan(masked)
    .pieces.filter((p) => LETTER.test(p.replace(MASK, '')))
    .map((p) => p.trim());

interface CallCounts {
  sentences: number;
  suspicious: number;
  retried: number;
  fallbacks: number;
  /** Calls that did not match the attribution below (should be 0). */
  unexplained: number;
}

/**
 * One request's calls, attributed. Call 1 is every sentence (translateGuarded). The guard retries a
 * sentence when suspicions() finds something, the request's own max_new_tokens did not cut it and
 * finerPlan() can cut it: the same rule as guarded-translate.ts, from the same functions; then call 2
 * must hold exactly those plans' pieces (checked). Any later call is repairMasks' (placeholder
 * fallback): its rows are the pieces between masks of the repaired sentences, in order, matched
 * sentence by sentence; whatever is left over counts as unexplained.
 */
function countCalls(calls: readonly Call[], tgt: string, countTokens: (t: string) => number): CallCounts {
  const [first, ...rest] = calls;
  if (!first) return { sentences: 0, suspicious: 0, retried: 0, fallbacks: 0, unexplained: 0 };
  let suspicious = 0;
  let retryPieces: string[] = [];
  let retried = 0;
  first.outputs.forEach((output, i) => {
    const { text, src } = first.sentences[i]!;
    if (suspicions(text, output, src, tgt).length === 0) return;
    suspicious++;
    if (!output.finished && output.cappedByRequest) return;
    const plan = finerPlan(text, { lang: src, countTokens });
    if (!plan) return;
    retried++;
    retryPieces = retryPieces.concat(plan.sources);
  });
  let unexplained = 0;
  if (retried > 0) {
    const retry = rest.shift();
    if (!retry || retry.sentences.map((s) => s.text).join('\u0000') !== retryPieces.join('\u0000')) unexplained++;
  }
  let fallbacks = 0;
  const repair = rest.shift();
  if (repair) {
    const rows = repair.sentences.map((s) => s.text);
    let at = 0;
    for (const { text } of first.sentences) {
      const cores = coresOf(text);
      if (cores.length > 0 && rows.slice(at, at + cores.length).join('\u0000') === cores.join('\u0000')) {
        fallbacks++;
        at += cores.length;
      }
    }
    if (at !== rows.length) unexplained++;
  }
  // A repair call may be followed by the guard's retries of its pieces, nothing else.
  if (rest.length > 1) unexplained++;
  return { sentences: first.sentences.length, suspicious, retried, fallbacks, unexplained };
}

const CONFIG = BENCH_CONFIG;
const BATCHING = BENCH_BATCHING;

interface KindStats extends CallCounts {
  inputs: number;
  flaggedItems: number;
  fallbackItems: number;
  /** Items whose output's spans (findSpans, as a multiset of texts) differ from the input's. */
  changedSpans: number;
}

async function retryRates(dir: string, all: readonly Input[]) {
  const engine = await TranslationEngine.load(dir, { workers: 1, intraOpThreads: 2, limits: CONFIG.limits, defaults: { beamSize: CONFIG.defaultBeamSize } });
  const batched = new RecordingEngine(engine, BATCHING);
  const detection = new SourceDetection(noDetector);
  const byKind = new Map<Input['kind'], KindStats>();
  const examples: string[] = [];
  try {
    for (const input of all) {
      const request: NormalizedTranslateRequest = {
        texts: [input.text],
        batch: false,
        target: input.tgt,
        source: input.src,
        options: { beam_size: CONFIG.defaultBeamSize, placeholders: 'auto', alternatives: 0, format: 'text' },
        characterCount: input.text.length,
      };
      batched.calls = [];
      const { items } = await translateRequest(request, batched, detection, { submit: {}, detectionPolicy: { minConfidence: 0.5 } });
      const counts = countCalls(batched.calls, input.tgt, (t) => batched.tokenCount(t));
      const item = items[0]!;
      const s = byKind.get(input.kind) ?? { inputs: 0, sentences: 0, suspicious: 0, retried: 0, fallbacks: 0, unexplained: 0, flaggedItems: 0, fallbackItems: 0, changedSpans: 0 };
      s.inputs++;
      s.sentences += counts.sentences;
      s.suspicious += counts.suspicious;
      s.retried += counts.retried;
      s.fallbacks += counts.fallbacks;
      s.unexplained += counts.unexplained;
      if (item.warnings.some((w) => w !== 'placeholder_fallback')) s.flaggedItems++;
      if (item.warnings.includes('placeholder_fallback')) s.fallbackItems++;
      const changed = spanTexts(item.translatedText) !== spanTexts(input.text);
      if (changed) s.changedSpans++;
      byKind.set(input.kind, s);
      const kindOf = counts.retried > 0 ? 'retry' : counts.fallbacks > 0 || changed ? 'fallback' : null;
      if (kindOf && examples.filter((e) => e.startsWith(kindOf)).length < 4) {
        examples.push(`${kindOf}: ${input.src}→${input.tgt} "${input.text}" → "${item.translatedText}" [${item.warnings.join(', ')}]${counts.retried ? ` (${counts.retried} retried)` : ''}${changed ? ' (spans changed)' : ''}`);
      }
    }
  } finally {
    await batched.close();
  }
  return { byKind, examples, label: engine.folder.dir };
}

// --- part 2: the text steps, no model ----------------------------------------------------------------

/** Median ms of one pass of `fn` (after warm-up), over at least `minRuns` passes and ~400 ms. */
function timeIt(fn: () => void, minRuns = 15): number {
  for (let i = 0; i < 5; i++) fn();
  const runs: number[] = [];
  const t0 = performance.now();
  while (runs.length < minRuns || performance.now() - t0 < 400) {
    const start = performance.now();
    fn();
    runs.push(performance.now() - start);
  }
  return median(runs);
}

interface Step {
  name: string;
  /** µs per sentence sent to the model. */
  usPerSentence: number;
}

function textSteps(all: readonly Input[], countTokens: (t: string) => number, maxSourceTokens: number, retryRate: number): { steps: Step[]; sentences: number; finerUs: number } {
  const model = { tokenCount: countTokens, maxSourceTokens };
  // Prepared once to feed the later steps; each step below is timed on its own.
  const prepared = all.map((input) => prepareText(input.text, 'auto'));
  const units = prepared.flatMap((p, i) => p.units.map((text) => ({ text, src: all[i]!.src, tgt: all[i]!.tgt })));
  const batch = segmentBatch(
    units.map((u) => u.text),
    (u) => modelSegmentOptions(model, units[u]!.src),
  );
  const sentences = batch.sources.map((text, k) => ({ ...units[batch.itemOfSource[k]!]!, text }));
  const n = sentences.length;
  // The identity "translation" keeps every mask and has the source's length: the checks do all their work.
  const reassembledUnits = batch.plans.map((plan) => reassemble(plan, plan.sources));
  const identity = (text: string) => ({ text, finished: true, repetition: false });

  const us = (ms: number) => (ms * 1000) / n;
  const steps: Step[] = [
    { name: 'protect (prepareText: spans found and masked, ICU detected)', usPerSentence: us(timeIt(() => all.forEach((input) => prepareText(input.text, 'auto')))) },
    { name: 'check masks (checkMasks, once per sentence)', usPerSentence: us(timeIt(() => sentences.forEach((s) => checkMasks(s.text, s.text)))) },
    {
      name: 'restore (assemble: spans put back)',
      usPerSentence: us(
        timeIt(() => {
          let u = 0;
          prepared.forEach((p) => p.assemble(p.units.map(() => reassembledUnits[u++]!)));
        }),
      ),
    },
    {
      name: 'segment (segmentBatch with the model tokenizer count)',
      usPerSentence: us(timeIt(() => segmentBatch(units.map((x) => x.text), (u) => modelSegmentOptions(model, units[u]!.src)))),
    },
    { name: 'reassemble (layout back)', usPerSentence: us(timeIt(() => batch.plans.forEach((plan) => reassemble(plan, plan.sources)))) },
    { name: 'guard: length ratio (looksOmitted)', usPerSentence: us(timeIt(() => sentences.forEach((s) => looksOmitted(s.text, s.text, s.src, s.tgt)))) },
    { name: 'guard: suspicions (ratio + cap + repetition)', usPerSentence: us(timeIt(() => sentences.forEach((s) => suspicions(s.text, identity(s.text), s.src, s.tgt)))) },
  ];
  // finerPlan runs only for a retried sentence: its cost per retried sentence, and amortised by the retry rate.
  const finerUs = us(timeIt(() => sentences.forEach((s) => finerPlan(s.text, { lang: s.src, countTokens }))));
  steps.push({ name: `guard: finer plan, amortised (${(retryRate * 100).toFixed(1)}% of sentences retried)`, usPerSentence: finerUs * retryRate });
  return { steps, sentences: n, finerUs };
}

// --- part 3: the model's time per sentence -----------------------------------------------------------

// --- run ---------------------------------------------------------------------------------------------

const started = new Date();
const machine = machineInfo();
const all = inputs(corpusTriples());
log(`${all.length} inputs (${['sentence', 'multi-sentence', 'joined clauses', 'placeholders'].map((k) => `${all.filter((i) => i.kind === k).length} ${k}`).join(', ')})`);

log(`part 1: retries through the service on ${values.tiny}`);
const rates = await retryRates(values.tiny, all);
const totals = [...rates.byKind.values()].reduce(
  (a, s) => ({ ...a, inputs: a.inputs + s.inputs, sentences: a.sentences + s.sentences, suspicious: a.suspicious + s.suspicious, retried: a.retried + s.retried, fallbacks: a.fallbacks + s.fallbacks, unexplained: a.unexplained + s.unexplained, flaggedItems: a.flaggedItems + s.flaggedItems, fallbackItems: a.fallbackItems + s.fallbackItems, changedSpans: a.changedSpans + s.changedSpans }),
  { inputs: 0, sentences: 0, suspicious: 0, retried: 0, fallbacks: 0, unexplained: 0, flaggedItems: 0, fallbackItems: 0, changedSpans: 0 },
);
const retryRate = totals.retried / totals.sentences;

log('part 2: text steps (no model)');
const tokenizerEngine = await TranslationEngine.load(values.tiny, { workers: 1, intraOpThreads: 1, limits: CONFIG.limits });
const steps = textSteps(all, (t) => tokenizerEngine.tokenCount(t), tokenizerEngine.maxSourceTokens, retryRate);
await tokenizerEngine.close();
const overheadUs = sum(steps.steps.map((s) => s.usPerSentence));

const benchBuilt = existsSync(join(ROOT, values.model, 'config.json'));
const modelDir = benchBuilt ? values.model : values.tiny;
if (!benchBuilt) log(`${values.model} is not built: measuring the model time on ${values.tiny} instead`);
const modelSentences = [...new Set(all.filter((i) => i.kind === 'sentence' && i.src === 'eng_Latn').map((i) => i.text))].slice(0, Number(values.sentences));
log(`part 3: model time per sentence on ${modelDir}`);
const model = await measureModelTime(modelDir, modelSentences, log);
const tinyModel = benchBuilt ? await measureModelTime(values.tiny, modelSentences, log) : model;
const end = machineInfo();

// --- report ------------------------------------------------------------------------------------------

const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 ? 4 : 2)}%`;
const share = (ms: number) => overheadUs / 1000 / ms;
const lines: string[] = [];
lines.push('## Trust');
lines.push('');
lines.push(
  `Measured ${started.toISOString().slice(0, 10)} on ${machine.nproc} CPUs (nproc), ${machine.cpuModel}, ${machine.ramGiB.toFixed(1)} GiB RAM, Node ${machine.node}; load average (1/5/15 min) ${formatLoad(machine.load)} at the start, ${formatLoad(end.load)} at the end (shared machine). One run.`,
);
lines.push('');
lines.push(
  `Command: \`npx tsx bench/trust.ts\` (\`npm run bench -- trust\`). Inputs: ${all.length} texts from the tiny fixture's training corpus (\`models/fixture_builder/corpus.py\`, all four trained directions): ${rates.byKind.get('sentence')?.inputs ?? 0} single sentences, ${rates.byKind.get('multi-sentence')?.inputs ?? 0} lower-case texts of 2–3 sentences, ${rates.byKind.get('joined clauses')?.inputs ?? 0} pairs of corpus sentences joined into one by \`; \` or \`, \` (not in the training data: the case the guard is for), ${rates.byKind.get('placeholders')?.inputs ?? 0} corpus mask sentences with a real placeholder in place of each mask (${PLACEHOLDERS.map((p) => `\`${p}\``).join(' ')}); ${steps.sentences} sentences after segmentation.`,
);
lines.push('');
lines.push(
  benchBuilt
    ? `Model time: \`${model.dir}\` — the \`bench\` preset (random weights, NLLB-200-distilled-600M dimensions, fp32, the tiny tokenizer), 1 worker × 2 intra-op threads, eng_Latn → swh_Latn, greedy, ${model.rows} corpus sentences of ${model.srcTokens.toFixed(1)} source tokens on average; random weights rarely emit \`</s>\`, so each sentence is capped at max_new_tokens = its source token count (${model.generated.toFixed(1)} tokens generated on average: a translation about as long as its source). Batch 1 = one sentence per call (median over the sentences, after a warm-up run of each); batched = all ${model.rows} in one call, wall time / ${model.rows}.`
      : `**The bench preset (\`${values.model}\`) was not built when this ran: the model time below is the tiny fixture's (\`${model.dir}\`, d_model 64), NOT NLLB-600M's.** It is a far smaller model, so the overhead share below is a large over-estimate of the share with a real model.`,
);
lines.push('');
lines.push('### Text processing per sentence vs the model');
lines.push('');
lines.push(`Each step timed on its own over all inputs (median of ≥ 15 passes after a warm-up, ≥ 400 ms), divided by the ${steps.sentences} sentences. The checks see an identity "translation" (every mask kept, the source's length), so they do all their work.`);
lines.push('');
lines.push('| step | µs / sentence |');
lines.push('| --- | ---: |');
for (const s of steps.steps) lines.push(`| ${s.name} | ${s.usPerSentence.toFixed(2)} |`);
lines.push(`| **all text processing** | **${overheadUs.toFixed(2)}** |`);
lines.push('');
lines.push(`finerPlan of one retried sentence: ${steps.finerUs.toFixed(2)} µs (the amortised row weighs it by the retry rate of part 1; the retry's model time is not text processing and is not counted here).`);
lines.push('');
lines.push('| model | ms / sentence, batch 1 | ms / sentence, batched | text processing / model, batch 1 | text processing / model, batched | target |');
lines.push('| --- | ---: | ---: | ---: | ---: | --- |');
const modelRows = benchBuilt ? [model, tinyModel] : [model];
for (const m of modelRows) {
  const target = m === model ? (share(m.batchedMs) < TARGET_SHARE && share(m.batch1Ms) < TARGET_SHARE ? `< ${TARGET_SHARE * 100}%: **met**` : `< ${TARGET_SHARE * 100}%: **not met**`) : '(for scale)';
  lines.push(`| \`${m.dir}\` | ${m.batch1Ms.toFixed(1)} | ${m.batchedMs.toFixed(1)} | ${pct(share(m.batch1Ms))} | ${pct(share(m.batchedMs))} | ${target} |`);
}
lines.push('');
lines.push('### Guard retries and placeholder fallbacks (real service, `models/tiny`)');
lines.push('');
lines.push(
  `translateRequest over BatchedEngine over the ONNX engine (\`${rates.label}\`), one request per input, placeholders \`auto\`, the container's default beam size (${CONFIG.defaultBeamSize}). Each of the service's engine calls is recorded: call 1 holds every sentence; a sentence counts as retried when the guard's own rule (suspicions(), not cut by the request's max_new_tokens, finerPlan() can cut it) picks it, and the next call is checked to hold exactly those pieces; a later call is repairMasks' and its rows are matched to the sentences whose pieces between masks they are (a placeholder fallback). "Unexplained" counts calls that did not match (should be 0). Items flagged = items whose result still carries possible_omission, truncated or repetition. Spans changed = the output's protected spans (findSpans, as a multiset of texts) are not the input's.`,
);
lines.push('');
lines.push('| inputs | texts | sentences | suspicious (first pass) | retried | retries / sentences | placeholder fallbacks | fallbacks / sentences | items still flagged | items with placeholder_fallback | items whose spans changed | unexplained calls |');
lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const row = (name: string, s: KindStats) =>
  `| ${name} | ${s.inputs} | ${s.sentences} | ${s.suspicious} | ${s.retried} | ${pct(s.retried / s.sentences)} | ${s.fallbacks} | ${pct(s.fallbacks / s.sentences)} | ${s.flaggedItems} | ${s.fallbackItems} | ${s.changedSpans} | ${s.unexplained} |`;
for (const [kind, s] of rates.byKind) lines.push(row(kind, s));
lines.push(row('**all**', totals));
if (rates.examples.length) {
  lines.push('');
  lines.push('Examples (the first inputs with a guard retry, and with a placeholder fallback or changed spans):');
  lines.push('');
  for (const e of rates.examples) lines.push(`- ${e.replace(/\|/g, '\\|')}`);
}
lines.push('');
const section = lines.join('\n');
console.log(section);
if (!values['no-write']) {
  await writeResultsSection(join(ROOT, 'bench/RESULTS.md'), '## Trust', section);
  log('wrote the "## Trust" section of bench/RESULTS.md');
}
