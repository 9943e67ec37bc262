/**
 * Issue 14 (markup): what options.format "html" costs in text processing, per KB of HTML, next to
 * the model's time for the same page.
 *
 *   npx tsx bench/html.ts [--model models/bench] [--sentences 4] [--no-write]
 *
 * Pages: three typical pages built from the tiny fixture's English sentences (models/tiny/golden.json)
 * — a whole document with head, nav, an article of paragraphs with links, bold and code, a list, an
 * image, a form, a script and a style — of about 2, 8 and 25 KB. Per page, timed in this thread
 * (median of repeated passes after a warm-up): the shared validation's parse and count
 * (checkedHtmlPlan), the container's preparation (prepareHtml: parse, plan, masks), the nesting check
 * of every unit against an identity "translation" (checkMasks with roles), and reassembly (assemble).
 * Model time: the bench preset (`--model`, NLLB-600M dimensions, random weights) per sentence, batch 1
 * and in one batch, times the page's sentences (shared/cost.ts's sentence estimate over the model's
 * texts). Results go to the "## HTML" section of bench/RESULTS.md.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { estimateSentences } from '../shared/cost.js';
import { checkedHtmlPlan, htmlModelTexts } from '../shared/html/index.js';
import { prepareHtml } from '../inference/text/html/index.js';
import { checkMasks } from '../inference/text/protect/index.js';
import { formatLoad, machineInfo } from './lib/machine.js';
import { writeResultsSection } from './lib/results.js';
import { measureModelTime } from './lib/model-time.js';
import { median, sum } from './lib/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/bench' },
    sentences: { type: 'string', default: '4' },
    'no-write': { type: 'boolean', default: false },
  },
});
const TARGET_SHARE = 0.05;

function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// --- pages -------------------------------------------------------------------------------------------

const golden = JSON.parse(readFileSync(join(ROOT, 'models/tiny/golden.json'), 'utf8')) as { cases: Array<{ src_lang: string; inputs: string[] }> };
const SENTENCES = [...new Set(golden.cases.filter((c) => c.src_lang === 'eng_Latn').flatMap((c) => c.inputs))].filter((s) => !/\[\d+\]/.test(s));
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
let next = 0;
const sentence = () => capital(SENTENCES[next++ % SENTENCES.length]!) + '.';

/** A paragraph like an article's: two sentences, a link, bold text, sometimes code or a line break. */
function paragraph(i: number): string {
  const [a, b] = [sentence(), sentence()];
  const words = b.split(' ');
  const linked = `<a href="/article/${i}" title="${sentence()}">${words.slice(0, 2).join(' ')}</a> ${words.slice(2).join(' ')}`;
  const extra = i % 3 === 0 ? ' Run <code>npm install sema-edge</code> first.' : i % 3 === 1 ? '<br>\n      <em>' + sentence() + '</em>' : '';
  return `    <p class="body-text">${a.replace(/(\w+)\.$/, '<strong>$1</strong>.')} ${linked}${extra}</p>`;
}

function page(paragraphs: number): string {
  const items = Array.from({ length: Math.max(2, Math.round(paragraphs / 4)) }, () => `      <li>${sentence()}</li>`).join('\n');
  const body = Array.from({ length: paragraphs }, (_, i) => paragraph(i)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${sentence()}</title>
  <link rel="stylesheet" href="/site.css">
  <style>body { font-family: system-ui; } .body-text { line-height: 1.5; } nav a { margin-right: 1em; }</style>
</head>
<body>
  <nav class="top"><a href="/">Home</a> <a href="/news">News</a> <a href="/about" aria-label="About us">About</a></nav>
  <article>
    <h1>${sentence()}</h1>
    <img src="/hero.jpg" alt="${sentence()}" width="800" height="400">
${body}
    <ul>
${items}
    </ul>
  </article>
  <form action="/subscribe"><input type="email" name="email" placeholder="Your e-mail address"> <input type="submit" value="Subscribe now"></form>
  <footer translate="no">&copy; 2026 Sema Edge &middot; <a href="/privacy">Privacy</a></footer>
  <script>window.analytics = { id: "UA-1", enabled: true }; document.querySelectorAll("a").forEach(function (a) { a.rel = "noopener"; });</script>
</body>
</html>
`;
}

// --- text processing -------------------------------------------------------------------------------

/** Median µs of `fn` over passes filling ≥ 300 ms (≥ 10), after warm-up passes (≥ 100 ms, ≥ 3: the JIT settles). */
function timeIt(fn: () => void): number {
  const warm = performance.now() + 100;
  for (let i = 0; i < 3 || performance.now() < warm; i++) fn();
  const runs: number[] = [];
  const until = performance.now() + 300;
  while (runs.length < 10 || performance.now() < until) {
    const start = performance.now();
    fn();
    runs.push((performance.now() - start) * 1000);
  }
  return median(runs);
}

interface PageCost {
  kb: number;
  units: number;
  sentences: number;
  modelChars: number;
  validateUs: number;
  prepareUs: number;
  checkUs: number;
  assembleUs: number;
}

function pageCost(html: string): PageCost {
  const prepared = prepareHtml(html, 'auto');
  const plan = checkedHtmlPlan(html);
  const modelTexts = htmlModelTexts(plan);
  const validateUs = timeIt(() => void htmlModelTexts(checkedHtmlPlan(html)));
  const prepareUs = timeIt(() => void prepareHtml(html, 'auto'));
  // Identity outputs: every mask kept in place, so the check walks every tag.
  const checkUs = timeIt(() => {
    prepared.units.forEach((unit, i) => {
      if (!checkMasks(unit, unit, prepared.roles?.[i]).ok) throw new Error('identity output failed its check');
    });
  });
  const assembleUs = timeIt(() => void prepared.assemble(prepared.units));
  // Whitespace inside a sentence reaches the model collapsed to one space: compare modulo that.
  const collapse = (text: string) => text.replace(/[ \t\n\f\r]+/g, ' ');
  if (collapse(prepared.assemble(prepared.units)) !== collapse(html)) throw new Error('identity reassembly is not the page');
  return {
    kb: Buffer.byteLength(html) / 1024,
    units: prepared.units.length,
    sentences: sum(modelTexts.map((t) => estimateSentences(t).length)),
    modelChars: sum(modelTexts.map((t) => [...t].length)),
    validateUs,
    prepareUs,
    checkUs,
    assembleUs,
  };
}

// --- model time --------------------------------------------------------------------------------------

// --- run ---------------------------------------------------------------------------------------------

const started = new Date();
const machine = machineInfo();
const pages = [8, 40, 130].map((n) => page(n));
const costs = pages.map((html) => {
  const cost = pageCost(html);
  log(`page ${cost.kb.toFixed(1)} KB: ${cost.units} units, ${cost.sentences} sentences, ${(cost.validateUs + cost.prepareUs + cost.checkUs + cost.assembleUs).toFixed(0)} µs`);
  return cost;
});
const model = await measureModelTime(values.model, SENTENCES.slice(0, Number(values.sentences)).map(capital), log);
const end = machineInfo();

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const pct = (n: number) => `${(n * 100).toFixed(n < 0.0001 ? 5 : n < 0.01 ? 4 : 2)}%`;
const total = (c: PageCost) => c.validateUs + c.prepareUs + c.checkUs + c.assembleUs;
const worstBatched = Math.max(...costs.map((c) => total(c) / 1000 / (c.sentences * model.batchedMs)));

const section = `## HTML

Measured ${started.toISOString().slice(0, 10)} on ${machine.nproc} CPUs (nproc), ${machine.cpuModel}, ${machine.ramGiB.toFixed(1)} GiB RAM, Node ${machine.node}; load average (1/5/15 min) ${formatLoad(machine.load)} at the start, ${formatLoad(end.load)} at the end (shared machine). One run.

Command: \`npx tsx bench/html.ts\` (\`npm run bench -- html\`). Pages: whole documents built from the tiny fixture's English sentences (head with title, style and link; nav; an article of paragraphs with links carrying titles, bold, code, line breaks and emphasis; a list; an image with alt; a form with placeholder and a submit button; a translate="no" footer with entities; a script). Text processing timed in this thread, median of ≥ 10 passes (≥ 300 ms) after ≥ 100 ms of warm-up passes. The check sees an identity "translation" of every unit (every tag mask in place), so it walks every tag; the identity reassembly is checked to give the page back (byte for byte but for whitespace runs inside a sentence, which reach the model as one space).

Model time: \`${values.model}\` (the \`bench\` preset: random weights, NLLB-200-distilled-600M dimensions, fp32), 1 worker × 2 intra-op threads, eng_Latn → swh_Latn, greedy, ${values.sentences} corpus sentences of ${fmt(model.srcTokens)} source tokens on average, each capped at its source length: **${fmt(model.batch1Ms)} ms / sentence at batch 1, ${fmt(model.batchedMs)} ms / sentence batched**. A page's model time = its sentences (shared/cost.ts's estimate over the texts the model sees) × that.

| page | units (runs + attributes) | sentences | model characters | validate: parse + count (µs) | prepare: parse + plan + masks (µs) | check nesting (µs) | reassemble (µs) | **all (µs)** | µs / KB | share of model time, batch 1 | share, batched |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${costs
  .map(
    (c) =>
      `| ${fmt(c.kb)} KB | ${c.units} | ${c.sentences} | ${c.modelChars} | ${fmt(c.validateUs, 0)} | ${fmt(c.prepareUs, 0)} | ${fmt(c.checkUs, 0)} | ${fmt(c.assembleUs, 0)} | **${fmt(total(c), 0)}** | ${fmt(total(c) / c.kb, 0)} | ${pct(total(c) / 1000 / (c.sentences * model.batch1Ms))} | ${pct(total(c) / 1000 / (c.sentences * model.batchedMs))} |`,
  )
  .join('\n')}

Target: HTML parse + reassembly under ${TARGET_SHARE * 100}% of the model time for typical pages: **${worstBatched < TARGET_SHARE ? 'met' : 'not met'}** (worst page, batched: ${pct(worstBatched)}). The edge parses each html item once more to count its characters (the "validate" column; the container's own validation does too): both are in "all". The largest page's text (${costs[costs.length - 1]!.modelChars} characters) is already past MAX_CHARACTERS 5000: it is an upper bound of what one request may carry.
`;

process.stdout.write(section);
if (!values['no-write']) {
  await writeResultsSection(join(ROOT, 'bench/RESULTS.md'), '## HTML', section);
  log('wrote the "## HTML" section of bench/RESULTS.md');
}
