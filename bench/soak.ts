/**
 * Load-and-soak through the whole stack (`npx tsx bench/soak.ts [--seconds 90] [--rate 25]`): starts the
 * container (tiny fixture) and the edge under `wrangler dev` on 127.0.0.1, sends mixed traffic at a fixed
 * rate through the edge (70% repeated texts, 30% new texts, some bad inputs), then reports req/s,
 * p50/p95/p99, status and error-code counts, and the container's RSS after warm-up and at the end.
 * Bounded: at most --seconds (≤ 120) of traffic and at most 128 requests in flight. Then, unless turned
 * off: an overload burst (--burst N, default 128, ≤ 128: N new 3000-character texts at once from N
 * client IPs, more queued work than the container admits, so it sheds load with 503 OVERLOADED / 429),
 * with the edge's admin /health polled for circuits; and a container restart (--restart yes|no, default
 * yes: steady traffic goes on while the container is stopped with SIGTERM and started again on the same
 * port). Targets: 0 unexpected 5xx (anything but shedding outside the restart window), 0 circuits opened
 * by the burst, container RSS growth after warm-up < 10%. Writes "## Soak" of bench/RESULTS.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startStack } from '../scripts/lib/stack.js';
import { formatLoad, loadAverage, machineInfo } from './lib/machine.js';
import { rssOf } from './lib/proc.js';
import { writeResultsSection } from './lib/results.js';
import { percentile } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '90' },
    rate: { type: 'string', default: '25' },
    warmup: { type: 'string', default: '15' },
    burst: { type: 'string', default: '128' },
    restart: { type: 'string', default: 'yes' },
  },
});
const seconds = Math.min(120, Math.max(10, Number(values.seconds)));
const rate = Math.min(200, Math.max(1, Number(values.rate)));
const warmupSeconds = Math.min(seconds / 2, Number(values.warmup));
const MAX_IN_FLIGHT = 128;
const burstSize = Math.min(MAX_IN_FLIGHT, Math.max(0, Math.floor(Number(values.burst))));
const restart = values.restart !== 'no';
/** Steady traffic around the restart: this long before the stop, and after the new container is ready. */
const RESTART_MARGIN_SECONDS = 10;
/** The restart phase ends by then even if the new container never becomes ready. */
const RESTART_MAX_MS = 120_000;
/** Codes that are load shedding (the service alive and saying "later"), expected in the burst. */
const SHED_CODES = new Set(['OVERLOADED', 'RATE_LIMITED']);

const SUBJECTS = ['the child', 'the teacher', 'the farmer', 'the doctor', 'the mother', 'the father', 'the friend', 'the student'];
const VERBS = ['eats the bread', 'drinks the water', 'reads the book', 'buys the fish', 'sees the car', 'likes the music', 'cooks the rice'];
const REPEATED = SUBJECTS.flatMap((s) => VERBS.map((v) => `${s} ${v}`)).slice(0, 40); // a small "UI strings" set
const BAD_BODIES: { body: string; expected: string }[] = [
  { body: '{"text": ', expected: 'INVALID_JSON' },
  { body: JSON.stringify({ text: '', target_language: 'swh_Latn' }), expected: 'VALIDATION_FAILED' },
  { body: JSON.stringify({ text: 'hello', target_language: 'xx_Yyyy' }), expected: 'UNSUPPORTED_LANGUAGE' },
  { body: JSON.stringify({ text: 'a'.repeat(5001), target_language: 'swh_Latn' }), expected: 'TEXT_TOO_LONG' },
];

const adminToken = randomBytes(24).toString('hex');
const loadBefore = loadAverage();
const stack = await startStack({
  adminToken,
  containerEnv: { HF_HOME: mkdtempSync(join(tmpdir(), 'sema-soak-hf-')), REVISION_CHECK_INTERVAL_MS: '0', LOG_LEVEL: 'warn' },
  // The soak measures the stack, not the per-IP limiter (which has its own tests): lift the budget.
  edgeVars: { RATE_LIMIT_PER_MINUTE: '1000000' },
  persistTo: mkdtempSync(join(tmpdir(), 'sema-soak-wrangler-')),
});
/** The first container: RSS is measured on it (the restart phase replaces it). */
const container = stack.container;
try {
  const edgeUrl = stack.edge.url;

  interface Sample { at: number; ms: number; status: number; code: string | undefined; bad: boolean }
  /**
   * Answers whose body is not JSON (not our envelope): what they said, so their source can be named
   * (e.g. wrangler dev's own text/plain 503 "Your worker restarted mid-request", edge/middleware/body.ts).
   */
  const nonJson = new Map<string, number>();
  async function codeOf(res: Response): Promise<string | undefined> {
    const text = await res.text();
    try {
      return ((JSON.parse(text) as { error?: { code: string } }).error?.code);
    } catch {
      const what = `${res.status} ${res.headers.get('content-type') ?? 'no content-type'}: ${JSON.stringify(text.slice(0, 80))}`;
      nonJson.set(what, (nonJson.get(what) ?? 0) + 1);
      return 'non-JSON body';
    }
  }
  const samples: Sample[] = [];
  const burstSamples: Sample[] = [];
  const restartSamples: Sample[] = [];
  let inFlight = 0;
  let skipped = 0;
  let newCounter = 0;
  let rssAfterWarmup = 0;
  const rssStart = rssOf(container.child.pid!);

  async function one(started: number, into: Sample[] = samples): Promise<void> {
    const pick = Math.random();
    let body: string;
    let bad = false;
    if (pick < 0.05) {
      bad = true;
      body = BAD_BODIES[Math.floor(Math.random() * BAD_BODIES.length)]!.body;
    } else if (pick < 0.72) {
      body = JSON.stringify({ text: REPEATED[Math.floor(Math.random() * REPEATED.length)], source_language: 'eng_Latn', target_language: 'swh_Latn' });
    } else {
      body = JSON.stringify({ text: `${SUBJECTS[newCounter % SUBJECTS.length]} ${VERBS[newCounter % VERBS.length]} ${newCounter++}`, source_language: 'eng_Latn', target_language: 'swh_Latn' });
    }
    const t0 = performance.now();
    let status = 0;
    let code: string | undefined;
    try {
      const res = await fetch(`${edgeUrl}/api/v1/translate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': `198.51.100.${Math.floor(Math.random() * 200)}` },
        body,
        signal: AbortSignal.timeout(35_000),
      });
      status = res.status;
      code = await codeOf(res);
    } catch (err) {
      code = `client:${(err as Error).name}`;
    }
    into.push({ at: started, ms: performance.now() - t0, status, code, bad });
  }

  /** The edge's origins' circuits, from its admin /health. */
  async function circuits(): Promise<string[]> {
    const res = await fetch(`${edgeUrl}/health`, { headers: { authorization: `Bearer ${adminToken}` }, signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { details?: { origins: { circuit: string }[] } };
    if (!body.details) throw new Error('the edge did not accept the admin token');
    return body.details.origins.map((o) => o.circuit);
  }

  console.log(`soak: ${seconds} s at ${rate} req/s through ${edgeUrl} (warm-up ${warmupSeconds} s)…`);
  const begin = performance.now();
  const pending = new Set<Promise<void>>();
  for (let i = 0; ; i++) {
    const due = begin + (i * 1000) / rate;
    const now = performance.now();
    if (due - begin > seconds * 1000) break;
    if (due > now) await new Promise((resolve) => setTimeout(resolve, due - now));
    if (!rssAfterWarmup && performance.now() - begin >= warmupSeconds * 1000) rssAfterWarmup = rssOf(container.child.pid!);
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    inFlight++;
    const p = one(performance.now() - begin).finally(() => {
      inFlight--;
      pending.delete(p);
    });
    pending.add(p);
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - begin) / 1000;
  const rssEnd = rssOf(container.child.pid!);

  // --- overload burst: more queued work at once than the container admits ------------------------
  let burstPolls = 0;
  const burstCircuits = new Map<string, number>();
  let rssAfterBurst = rssEnd;
  if (burstSize > 0) {
    console.log(`burst: ${burstSize} new 3000-character texts at once…`);
    const poll = async () => {
      try {
        for (const state of await circuits()) if (state !== 'closed') burstCircuits.set(state, (burstCircuits.get(state) ?? 0) + 1);
        burstPolls++;
      } catch {
        burstCircuits.set('health unreachable', (burstCircuits.get('health unreachable') ?? 0) + 1);
      }
    };
    const burstBegin = performance.now();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        await poll();
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    await Promise.all(
      Array.from({ length: burstSize }, async (_, i) => {
        let text = `Burst ${i}.`;
        for (let k = i; text.length < 2950; k++) text += ` ${SUBJECTS[k % SUBJECTS.length]} ${VERBS[(k * 3) % VERBS.length]}.`;
        const t0 = performance.now();
        let status = 0;
        let code: string | undefined;
        try {
          const res = await fetch(`${edgeUrl}/api/v1/translate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'cf-connecting-ip': `203.0.113.${i + 1}` },
            body: JSON.stringify({ text, source_language: 'eng_Latn', target_language: 'swh_Latn' }),
            signal: AbortSignal.timeout(35_000),
          });
          status = res.status;
          code = await codeOf(res);
        } catch (err) {
          code = `client:${(err as Error).name}`;
        }
        burstSamples.push({ at: performance.now() - burstBegin, ms: performance.now() - t0, status, code, bad: false });
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 2000)); // a circuit opened by the last answers shows now
    polling = false;
    await poller;
    await poll();
    rssAfterBurst = rssOf(container.child.pid!);
  }

  // --- container restart under steady traffic -------------------------------------------------------
  let restartWindow: [number, number] | undefined;
  let restartCircuits = new Set<string>();
  if (restart) {
    console.log(`restart: steady traffic, the container stopped after ${RESTART_MARGIN_SECONDS} s and started again on ${container.url}…`);
    const restartBegin = performance.now();
    const restartPending = new Set<Promise<void>>();
    let stopAt = Number.POSITIVE_INFINITY;
    let readyAt = Number.POSITIVE_INFINITY;
    const cycle = (async () => {
      await new Promise((resolve) => setTimeout(resolve, RESTART_MARGIN_SECONDS * 1000));
      stopAt = performance.now() - restartBegin;
      await stack.restartContainer(); // SIGTERM, then a new one on the same port, ready when /status answers
      readyAt = performance.now() - restartBegin;
    })();
    const watch = (async () => {
      while (performance.now() - restartBegin < Math.min(RESTART_MAX_MS, readyAt + RESTART_MARGIN_SECONDS * 1000)) {
        try {
          for (const state of await circuits()) restartCircuits.add(state);
        } catch {
          restartCircuits.add('health unreachable');
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    for (let i = 0; ; i++) {
      const due = restartBegin + (i * 1000) / rate;
      if (due - restartBegin > Math.min(RESTART_MAX_MS, readyAt + RESTART_MARGIN_SECONDS * 1000)) break;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (restartPending.size >= MAX_IN_FLIGHT) continue;
      const p: Promise<void> = one(performance.now() - restartBegin, restartSamples).finally(() => restartPending.delete(p));
      restartPending.add(p);
    }
    await Promise.all([cycle, watch, ...restartPending]);
    restartWindow = [stopAt, readyAt];
    restartCircuits = new Set([...restartCircuits].filter((state) => state !== 'closed'));
  }

  const latencies = samples.filter((s) => !s.bad && s.status === 200).map((s) => s.ms);
  const byStatus = new Map<string, number>();
  for (const s of samples) byStatus.set(`${s.status}${s.code ? ` ${s.code}` : ''}`, (byStatus.get(`${s.status}${s.code ? ` ${s.code}` : ''}`) ?? 0) + 1);
  const serverErrors = samples.filter((s) => s.status >= 500 || s.status === 0).length;
  // Burst: shedding is the expected answer; any other 5xx (or a dropped connection) is not.
  const isFailure = (s: Sample) => s.status >= 500 || s.status === 0;
  const burstUnexpected = burstSamples.filter((s) => isFailure(s) && !SHED_CODES.has(s.code ?? '')).length;
  const burstOpened = [...burstCircuits.keys()].filter((state) => state !== 'health unreachable');
  // Restart: 5xx while the container is down (and the second after it is back) is expected; after that, none.
  const afterRestart = restartWindow ? restartSamples.filter((s) => s.at > restartWindow![1] + 1000) : [];
  const restartUnexpected = afterRestart.filter((s) => isFailure(s) && !s.bad).length;
  const downtime = restartWindow ? restartSamples.filter((s) => s.at >= restartWindow![0] && s.at <= restartWindow![1] + 1000) : [];
  const firstOkAfterStop = restartWindow ? restartSamples.filter((s) => s.at >= restartWindow![0] && s.status === 200).map((s) => s.at).sort((a, b) => a - b)[0] : undefined;
  const rssLast = Math.max(rssEnd, rssAfterBurst);
  const badAnsweredRight = samples.filter((s) => s.bad && s.status >= 400 && s.status < 500).length;
  const badTotal = samples.filter((s) => s.bad).length;
  const growth = rssAfterWarmup > 0 ? (rssLast - rssAfterWarmup) / rssAfterWarmup : 0;
  const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  const m = machineInfo();

  const table = [
    '| measure | value | target |',
    '| --- | ---: | --- |',
    `| requests sent (skipped at the in-flight cap) | ${samples.length} (${skipped}) | |`,
    `| achieved rate | ${(samples.length / elapsed).toFixed(1)} req/s (target ${rate}) | |`,
    `| latency of good requests p50 / p95 / p99 | ${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 95).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms | |`,
    `| 5xx and failed connections | ${serverErrors} | 0: ${serverErrors === 0 ? 'met' : 'NOT met'} |`,
    `| bad inputs answered 4xx | ${badAnsweredRight} of ${badTotal} | all |`,
    `| container RSS at start / after warm-up / end of steady traffic${burstSize ? ' / after the burst' : ''} | ${mib(rssStart)} / ${mib(rssAfterWarmup)} / ${mib(rssEnd)}${burstSize ? ` / ${mib(rssAfterBurst)}` : ''} | |`,
    `| RSS growth after warm-up (to the higher of the last two) | ${(growth * 100).toFixed(1)}% | < 10%: ${growth < 0.1 ? 'met' : 'NOT met'} |`,
  ].join('\n');
  const codes = ['| status and code | count |', '| --- | ---: |', ...[...byStatus.entries()].sort().map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  const countBy = (list: Sample[]) => {
    const counts = new Map<string, number>();
    for (const s of list) counts.set(`${s.status}${s.code ? ` ${s.code}` : ''}`, (counts.get(`${s.status}${s.code ? ` ${s.code}` : ''}`) ?? 0) + 1);
    return [...counts.entries()].sort().map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  };
  const seconds1 = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '—' : `${(ms / 1000).toFixed(1)} s`);
  const stress = [
    '| phase | measure | value | target |',
    '| --- | --- | --- | --- |',
    ...(burstSize
      ? [
          `| burst | ${burstSize} requests at once: statuses | ${countBy(burstSamples)} | |`,
          `| burst | slowest answer | ${seconds1(Math.max(...burstSamples.map((s) => s.ms)))} | |`,
          `| burst | unexpected 5xx (not OVERLOADED/RATE_LIMITED) and failed connections | ${burstUnexpected} | 0: ${burstUnexpected === 0 ? 'met' : 'NOT met'} |`,
          `| burst | circuits not closed (${burstPolls} admin /health polls, 2/s) | ${burstCircuits.size ? [...burstCircuits].map(([k, v]) => `${k} × ${v}`).join(', ') : 'none'} | none opened: ${burstOpened.length === 0 ? 'met' : 'NOT met'} |`,
        ]
      : []),
    ...(restartWindow
      ? [
          `| restart | container stopped at / ready again at (from the phase start) | ${seconds1(restartWindow[0])} / ${seconds1(restartWindow[1])} | |`,
          `| restart | first 200 after the stop | ${seconds1(firstOkAfterStop)} | |`,
          `| restart | answers while down (stop → ready + 1 s) | ${countBy(downtime)} | |`,
          `| restart | circuit states other than closed seen | ${restartCircuits.size ? [...restartCircuits].join(', ') : 'none'} | (expected: the container was gone) |`,
          `| restart | answers after ready + 1 s | ${countBy(afterRestart)} | |`,
          `| restart | last 5xx after ready + 1 s, from ready | ${seconds1(afterRestart.filter(isFailure).map((s) => s.at - restartWindow![1]).sort((a, b) => b - a)[0])} | |`,
          `| restart | unexpected 5xx after ready + 1 s (good inputs) | ${restartUnexpected} of ${afterRestart.length} | 0: ${restartUnexpected === 0 ? 'met' : 'NOT met'} |`,
        ]
      : []),
  ].join('\n');
  const nonJsonRows = nonJson.size
    ? ['', 'Answers that were not JSON (status, content type, first 80 characters), all phases:', '', '| answer | count |', '| --- | ---: |', ...[...nonJson].map(([k, v]) => `| ${k.replaceAll('|', '\\|')} | ${v} |`)].join('\n')
    : '\nEvery answer, in every phase, was JSON.';
  console.log(`\n${table}\n\n${codes}\n${burstSize || restart ? `\n${stress}\n` : ''}${nonJsonRows}\n`);

  const section = [
    '## Soak',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${m.nproc} CPUs (nproc), ${m.cpuModel}, ${m.ramGiB} GiB RAM, Node ${m.node}; load average before ${formatLoad(loadBefore)}, after ${formatLoad(loadAverage())}.`,
    '',
    `Command: \`npx tsx bench/soak.ts --seconds ${seconds} --rate ${rate} --warmup ${warmupSeconds} --burst ${burstSize} --restart ${restart ? 'yes' : 'no'}\` — container (tiny fixture) and \`wrangler dev --log-level warn\` on 127.0.0.1, open-loop traffic at a fixed rate through the edge: 67% repeated texts (40 UI-like strings), 28% new texts, 5% bad inputs (malformed JSON, empty text, unknown language, 5001 characters), client IPs spread over 200 addresses, the per-IP budget lifted so the limiter runs but never refuses. Everything shares the same 2 cores.`,
    '',
    table,
    '',
    codes,
    ...(burstSize || restart
      ? [
          '',
          `Then${burstSize ? ` an overload burst: ${burstSize} requests at once, each a new ~3000-character text of short sentences (greedy) from its own client IP — more queued work than the container's queue admits (QUEUE_MAX_TOKENS), so the expected answers are 200 or load shedding (503 OVERLOADED, 429 RATE_LIMITED), which must never open the edge's circuit; admin /health (\`details.origins[].circuit\`) polled twice a second until 2 s after the last answer` : ''}${burstSize && restart ? '; then' : ''}${restart ? ` a container restart under the same steady traffic: after ${RESTART_MARGIN_SECONDS} s the container gets SIGTERM, a new one starts on the same port, traffic goes on until ${RESTART_MARGIN_SECONDS} s after it is ready (5xx while it is down are expected; after ready + 1 s none)` : ''}. RSS is the first container's.`,
          '',
          stress,
        ]
      : []),
    nonJsonRows,
  ].join('\n');
  await writeResultsSection(join(import.meta.dirname, 'RESULTS.md'), '## Soak', section);
  console.log('wrote the "## Soak" section of bench/RESULTS.md');
} finally {
  await stack.stop();
}
