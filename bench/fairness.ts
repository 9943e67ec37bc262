/**
 * Noisy neighbour (`npx tsx bench/fairness.ts [--part a|b|both] [--seconds 30] [--bench-seconds 45] [--bench-light-rate 0.025]`):
 * light clients alone, then the same light clients beside one heavy client sending at (and past) its
 * cost budget, in one run, side by side:
 *   (a) through the edge (`wrangler dev`) in front of the container on the tiny fixture (models/tiny);
 *       clients told apart by CF-Connecting-IP; the edge's admin /health is polled for circuits;
 *   (b) at a standalone container on the bench preset (models/bench, NLLB-600M dimensions, random
 *       weights); clients told apart by X-Forwarded-For with TRUST_PROXY=1.
 * Light: short fixture sentences (a new text per request, so the edge cache never answers), open loop
 * at a moderate rate over several client IPs. Heavy: 5000-character texts of many short sentences,
 * beam 4, open loop faster than its budget allows (429s expected), at most 4 in flight.
 * Reports light p50/p95 alone vs with heavy, heavy's status counts, the container's CPU (from
 * /proc/<pid>/stat) and whether any circuit left 'closed'. Loopback only; bounded in time and in
 * requests (open loop with an in-flight cap). Writes "## Fairness" of bench/RESULTS.md.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startContainerProcess, startStack, stopService, waitForReady } from '../scripts/lib/stack.js';
import { formatLoad, loadAverage, machineInfo } from './lib/machine.js';
import { openLoop } from './lib/open-loop.js';
import { cpuSecondsOf } from './lib/proc.js';
import { writeResultsSection } from './lib/results.js';
import { percentile } from './lib/stats.js';

/**
 * (b)'s default light rate per client (4 clients): 0.1 req/s in all. At 0.2 req/s the light load alone
 * saturated the bench preset on this 2-core machine (p95 21 s alone, one 8-token greedy sentence takes
 * ~4 s at batch 1), so the comparison measured the machine's backlog, not the heavy client's effect.
 */
const BENCH_LIGHT_RATE = 0.025;

const { values } = parseArgs({
  options: {
    part: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '30' },
    'bench-seconds': { type: 'string', default: '45' },
    /** (b): requests per second per light client. */
    'bench-light-rate': { type: 'string', default: String(BENCH_LIGHT_RATE) },
  },
});
const PART = values.part === 'a' || values.part === 'b' ? values.part : 'both';
const EDGE_SECONDS = Math.min(60, Math.max(5, Number(values.seconds)));
const BENCH_SECONDS = Math.min(60, Math.max(10, Number(values['bench-seconds'])));
const BENCH_LIGHT = Math.min(1, Math.max(0.005, Number(values['bench-light-rate'])));
const SRC = 'eng_Latn';
const TGT = 'swh_Latn';
/** Heavy requests in flight at most: the heavy client is one client, not a flood of connections. */
const HEAVY_MAX_IN_FLIGHT = 4;
const CLIENT_TIMEOUT_MS = 40_000;

const SUBJECTS = ['The child', 'The teacher', 'The farmer', 'The doctor', 'The mother', 'The father', 'The friend', 'The student'];
const VERBS = ['eats the bread', 'drinks the water', 'reads the book', 'buys the fish', 'sees the car', 'likes the music', 'cooks the rice'];

/** A short fixture sentence, new for every n (a number in it), so no cache or single-flight answers it. */
function lightText(n: number): string {
  return `${SUBJECTS[n % SUBJECTS.length]} ${VERBS[Math.floor(n / SUBJECTS.length) % VERBS.length]} ${n}.`;
}

/** Many short fixture sentences, as close to 5000 characters as they fit; different for every n. */
function heavyText(n: number): string {
  let text = `Day ${n}.`;
  for (let i = n; ; i++) {
    const next = ` ${SUBJECTS[i % SUBJECTS.length]} ${VERBS[(i * 3) % VERBS.length]}.`;
    if (text.length + next.length > 5000) return text;
    text += next;
  }
}

interface Sample {
  ms: number;
  status: number;
  code?: string;
}

interface Target {
  label: string;
  url: string;
  /** Headers that make `ip` the client: CF-Connecting-IP at the edge, X-Forwarded-For at the container. */
  clientHeaders: (ip: string) => Record<string, string>;
  containerPid: number;
  /** The edge's origins' circuits (admin /health); undefined when there is no edge. */
  circuits?: () => Promise<string[]>;
}

interface Workload {
  seconds: number;
  lightClients: number;
  /** Requests per second per light client. */
  lightRate: number;
  heavyRate: number;
  /** The request's `options` (beam_size, max_new_tokens on the random-weight preset). */
  lightOptions: Record<string, unknown>;
  heavyOptions: Record<string, unknown>;
}

interface PhaseResult {
  light: Sample[];
  heavy: Sample[];
  lightSkipped: number;
  heavySkipped: number;
  wallSeconds: number;
  containerCpuSeconds: number;
  circuitPolls: number;
  /** Circuit states other than 'closed' seen while polling, with their counts. */
  circuitsNotClosed: Map<string, number>;
}

async function send(target: Target, ip: string, body: Record<string, unknown>): Promise<Sample> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${target.url}/api/v1/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.clientHeaders(ip) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    return { ms: performance.now() - t0, status: res.status, code: json.error?.code };
  } catch (err) {
    return { ms: performance.now() - t0, status: 0, code: `client:${(err as Error).name}` };
  }
}

let textCounter = 0;

async function runPhase(target: Target, workload: Workload, withHeavy: boolean): Promise<PhaseResult> {
  const light: Sample[] = [];
  const heavy: Sample[] = [];
  const circuitsNotClosed = new Map<string, number>();
  let circuitPolls = 0;
  const done = new AbortController();
  const poller = (async () => {
    if (!target.circuits) return;
    while (!done.signal.aborted) {
      try {
        for (const state of await target.circuits()) if (state !== 'closed') circuitsNotClosed.set(state, (circuitsNotClosed.get(state) ?? 0) + 1);
        circuitPolls++;
      } catch {
        circuitsNotClosed.set('health unreachable', (circuitsNotClosed.get('health unreachable') ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  const cpu0 = cpuSecondsOf(target.containerPid);
  const t0 = performance.now();
  const lightRun = openLoop(
    { rate: workload.lightClients * workload.lightRate, seconds: workload.seconds, maxInFlight: workload.lightClients * 8 },
    async (i) => {
      const body = { text: lightText(textCounter++), source_language: SRC, target_language: TGT, options: workload.lightOptions };
      light.push(await send(target, `198.51.100.${(i % workload.lightClients) + 1}`, body));
    },
  );
  const heavyRun = withHeavy
    ? openLoop({ rate: workload.heavyRate, seconds: workload.seconds, maxInFlight: HEAVY_MAX_IN_FLIGHT }, async () => {
        const body = { text: heavyText(textCounter++), source_language: SRC, target_language: TGT, options: { ...workload.heavyOptions, beam_size: 4 } };
        heavy.push(await send(target, '203.0.113.7', body));
      })
    : Promise.resolve({ started: 0, skipped: 0 });
  const [l, h] = await Promise.all([lightRun, heavyRun]);
  const wallSeconds = (performance.now() - t0) / 1000;
  const containerCpuSeconds = cpuSecondsOf(target.containerPid) - cpu0;
  done.abort();
  await poller;
  if (target.circuits) {
    // once more after the last answer: a circuit opened by the last failures shows only now
    for (const state of await target.circuits()) if (state !== 'closed') circuitsNotClosed.set(state, (circuitsNotClosed.get(state) ?? 0) + 1);
    circuitPolls++;
  }
  return { light, heavy, lightSkipped: l.skipped, heavySkipped: h.skipped, wallSeconds, containerCpuSeconds, circuitPolls, circuitsNotClosed };
}

function statusCounts(samples: Sample[]): string {
  const counts = new Map<string, number>();
  for (const s of samples) {
    const key = `${s.status}${s.code && s.status !== 200 ? ` ${s.code}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].sort().map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
}

interface PartReport {
  title: string;
  rows: string[];
  verdict: string;
  notes: string;
}

function report(title: string, alone: PhaseResult, mixed: PhaseResult, hasEdge: boolean, notes: string): PartReport {
  const ok = (s: Sample) => s.status === 200;
  const p = (r: PhaseResult, q: number) => percentile(r.light.filter(ok).map((s) => s.ms), q);
  // The target is judged over every light request, a refused or timed-out one counting as never
  // answered: a p95 of the few that succeeded would hide exactly the unfairness this looks for.
  const pAll = (r: PhaseResult, q: number) => percentile(r.light.map((s) => (ok(s) ? s.ms : Number.POSITIVE_INFINITY)), q);
  const ratio = pAll(mixed, 95) / pAll(alone, 95);
  const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '∞');
  const circuits = (r: PhaseResult) => (hasEdge ? (r.circuitsNotClosed.size === 0 ? `none (${r.circuitPolls} polls)` : [...r.circuitsNotClosed].map(([k, v]) => `${k} × ${v}`).join(', ')) : 'no edge');
  const cores = (r: PhaseResult) => `${r.containerCpuSeconds.toFixed(1)} s (${(r.containerCpuSeconds / r.wallSeconds).toFixed(2)} cores over ${r.wallSeconds.toFixed(0)} s)`;
  const row = (name: string, r: PhaseResult) =>
    `| ${name} | ${r.light.length} | ${ms(p(r, 50))} | ${ms(p(r, 95))} | ${ms(pAll(r, 95))} | ${statusCounts(r.light)} | ${r.heavy.length ? statusCounts(r.heavy) : '—'} | ${cores(r)} | ${circuits(r)} |`;
  const opened = hasEdge && (alone.circuitsNotClosed.size > 0 || mixed.circuitsNotClosed.size > 0);
  const rows = [
    '| phase | light requests | light p50 ms (200s) | light p95 ms (200s) | light p95 ms (all; non-200 = ∞) | light statuses | heavy statuses | container CPU | circuits not closed |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- |',
    row('light alone', alone),
    row('light + heavy', mixed),
  ];
  const verdict = [
    `- light p95 with heavy / alone, over all light requests (non-200 = never answered): **${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '∞'}** (target ≤ 2×: ${ratio <= 2 ? 'met' : '**NOT met**'})`,
    hasEdge ? `- circuits opened: **${opened ? 'yes' : 'none'}** (target none: ${opened ? '**NOT met**' : 'met'})` : '- circuits: no edge in this part (the container sheds load itself: 429/503 above)',
    `- skipped at the in-flight cap: light ${alone.lightSkipped} / ${mixed.lightSkipped}, heavy ${mixed.heavySkipped}`,
  ].join('\n');
  return { title, rows, verdict, notes };
}

async function warm(target: Target, body: Record<string, unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Sample | undefined;
  while (Date.now() < deadline) {
    last = await send(target, '192.0.2.1', body);
    if (last.status === 200) return;
    // a refused request (400, 413, …) will not start working by being repeated; only a 429/503/5xx may
    if (last.status >= 400 && last.status < 500 && last.status !== 429) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`warm-up failed: last answer ${last?.status} ${last?.code ?? ''}`);
}

function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** (a): container (tiny fixture) behind wrangler dev; default budgets. */
async function partEdge(): Promise<PartReport> {
  const adminToken = randomBytes(24).toString('hex');
  const stack = await startStack({
    adminToken,
    containerEnv: { HF_HOME: mkdtempSync(join(tmpdir(), 'sema-fair-hf-')), REVISION_CHECK_INTERVAL_MS: '0', LOG_LEVEL: 'warn' },
    persistTo: mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sema-fair-wrangler-')),
  });
  const { container, edge } = stack;
  try {
    const status = { model: { label: stack.modelLabel } };
    const edgeUrl = edge.url;
    const target: Target = {
      label: 'edge',
      url: edgeUrl,
      clientHeaders: (ip) => ({ 'cf-connecting-ip': ip }),
      containerPid: container.child.pid!,
      circuits: async () => {
        const res = await fetch(`${edgeUrl}/health`, { headers: { authorization: `Bearer ${adminToken}` }, signal: AbortSignal.timeout(5000) });
        const body = (await res.json()) as { details?: { origins: { circuit: string }[] } };
        if (!body.details) throw new Error('no details: admin token not accepted');
        return body.details.origins.map((o) => o.circuit);
      },
    };
    await warm(target, { text: lightText(textCounter++), source_language: SRC, target_language: TGT }, 60_000);
    await warm(target, { text: lightText(textCounter++), source_language: SRC, target_language: TGT, options: { beam_size: 4 } }, 60_000);
    const workload: Workload = { seconds: EDGE_SECONDS, lightClients: 8, lightRate: 0.5, heavyRate: 1, lightOptions: {}, heavyOptions: {} };
    log(`(a) edge ${edgeUrl} → container ${container.url} (${status.model.label}): light alone, ${EDGE_SECONDS} s`);
    const alone = await runPhase(target, workload, false);
    log(`(a) light + heavy, ${EDGE_SECONDS} s`);
    const mixed = await runPhase(target, workload, true);
    return report(
      `### (a) Through the edge, tiny fixture (\`models/tiny\`)`,
      alone,
      mixed,
      true,
      `Container on the tiny fixture behind \`wrangler dev --log-level warn\`, default budgets (RATE_LIMIT_PER_MINUTE 60, COST_BUDGET_PER_MINUTE 20000 per client) and default queue. Light: ${workload.lightClients} client IPs (CF-Connecting-IP) × ${workload.lightRate} req/s, one new short sentence each, greedy. Heavy: one client IP, ${workload.heavyRate} req/s open loop (at most ${HEAVY_MAX_IN_FLIGHT} in flight) of a new ${heavyText(0).length}-character text of ${heavyText(0).split('. ').length} short sentences, beam 4 (its budget admits about two a minute; the rest are refused 429). ${EDGE_SECONDS} s per phase; the edge's admin /health polled every second for \`details.origins[].circuit\`.`,
    );
  } finally {
    await stack.stop();
  }
}

/** (b): standalone container on the bench preset; clients by X-Forwarded-For (TRUST_PROXY=1). */
async function partBench(): Promise<PartReport> {
  const container = startContainerProcess({
    port: await freePort(),
    env: { MODEL_DIR: join(import.meta.dirname, '..', 'models', 'bench'), TRUST_PROXY: '1', HF_HOME: mkdtempSync(join(tmpdir(), 'sema-fair-hf-')), REVISION_CHECK_INTERVAL_MS: '0', LOG_LEVEL: 'warn' },
  });
  try {
    await waitForReady(container, '/health', {}, 300_000);
    const target: Target = { label: 'container', url: container.url, clientHeaders: (ip) => ({ 'x-forwarded-for': ip }), containerPid: container.child.pid! };
    // Random weights rarely emit </s>: without a cap every sentence runs to the length bound (~16 + 2 ×
    // source tokens). 8 new tokens is about a real translation of these sentences.
    const cap = { max_new_tokens: 8 };
    await warm(target, { text: lightText(textCounter++), source_language: SRC, target_language: TGT, options: cap }, 300_000);
    // Beam 4 too, on a full batch (16 sentences, BATCH_MAX_SIZE): admission then knows that key's rate at
    // the batch size heavy work runs in (measured on one sentence, it scales the rate as if batching were
    // free, and would let the first heavy request run into its deadline).
    const fullBatch = Array.from({ length: 16 }, () => lightText(textCounter++)).join(' ');
    await warm(target, { text: fullBatch, source_language: SRC, target_language: TGT, options: { ...cap, beam_size: 4 } }, 300_000);
    const workload: Workload = { seconds: BENCH_SECONDS, lightClients: 4, lightRate: BENCH_LIGHT, heavyRate: 0.5, lightOptions: cap, heavyOptions: cap };
    log(`(b) container ${container.url} (models/bench): light alone, ${BENCH_SECONDS} s`);
    const alone = await runPhase(target, workload, false);
    log(`(b) light + heavy, ${BENCH_SECONDS} s`);
    const mixed = await runPhase(target, workload, true);
    // for the reader of the console: what the container said about its workers (stuck, replaced, …)
    for (const line of container.output.filter((l) => /worker|stuck|deadline|cancel/i.test(l)).slice(-15)) log(`  [container] ${line.slice(0, 300)}`);
    return report(
      `### (b) Standalone container, bench preset (\`models/bench\`)`,
      alone,
      mixed,
      false,
      `Standalone container (no edge) on \`models/bench\` (random weights, NLLB-200-distilled-600M dimensions, fp32), default engine threads, default budgets and queue, TRUST_PROXY=1 so X-Forwarded-For names the client. Every request sets max_new_tokens 8 (random weights rarely stop on their own). Light: ${workload.lightClients} client IPs × ${workload.lightRate} req/s (\`--bench-light-rate\`; ${(workload.lightClients * workload.lightRate).toFixed(2)} req/s in all, a rate this machine serves alone: twice that saturated it), one new short sentence each, greedy. Heavy: one client IP, ${workload.heavyRate} req/s open loop (at most ${HEAVY_MAX_IN_FLIGHT} in flight), the same 5000-character texts, beam 4. Both keys are warmed first (one greedy sentence; 16 beam-4 sentences in one request, a full batch). ${BENCH_SECONDS} s per phase. A heavy request here is far more model work than its deadline (REQUEST_DEADLINE_MS, 25 s by default) allows at the measured beam-4 rate, so admission refuses it up front (413 WORK_TOO_LARGE) instead of running it into a 504; its cost is still charged (the budget charges validated requests before any model runs), so past its cost budget it gets 429.`,
    );
  } finally {
    await stopService(container);
  }
}

const loadBefore = loadAverage();
const parts: PartReport[] = [];
const missing: string[] = [];
if (PART !== 'b') parts.push(await partEdge());
else missing.push('(a) was not run in this run (`--part b`).');
if (PART !== 'a') parts.push(await partBench());
else missing.push('(b), the bench preset at a standalone container, was not run in this run (`--part a`).');

const m = machineInfo();
const command = `npx tsx bench/fairness.ts --part ${PART} --seconds ${EDGE_SECONDS} --bench-seconds ${BENCH_SECONDS}${BENCH_LIGHT !== BENCH_LIGHT_RATE ? ` --bench-light-rate ${BENCH_LIGHT}` : ''}`;
const body = parts.flatMap((part) => [part.title, '', part.notes, '', ...part.rows, '', part.verdict, '']);
console.log(`\n${body.join('\n')}`);
const section = [
  '## Fairness',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${m.nproc} CPUs (nproc), ${m.cpuModel}, ${m.ramGiB.toFixed(1)} GiB RAM, Node ${m.node}; load average (1/5/15 min) ${formatLoad(loadBefore)} at the start, ${formatLoad(loadAverage())} at the end (shared machine). One run; loopback only.`,
  '',
  `Command: \`${command}\` (\`npm run bench -- fairness …\`). Noisy neighbour: light clients alone, then the same light traffic beside one heavy client sending faster than its cost budget allows, in the same run. Latencies are of the light requests answered 200, client side (open loop: requests start on schedule whatever the answers take). Container CPU = user + system time of the container process (its worker threads included) from /proc/<pid>/stat over the phase.`,
  ...(missing.length ? ['', ...missing] : []),
  '',
  ...body,
].join('\n');
await writeResultsSection(join(import.meta.dirname, 'RESULTS.md'), '## Fairness', section);
console.log('wrote the "## Fairness" section of bench/RESULTS.md');
