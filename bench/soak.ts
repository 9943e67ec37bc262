/**
 * Load-and-soak through the whole stack (`npx tsx bench/soak.ts [--seconds 90] [--rate 25]`): starts the
 * container (tiny fixture) and the edge under `wrangler dev` on 127.0.0.1, sends mixed traffic at a fixed
 * rate through the edge (70% repeated texts, 30% new texts, some bad inputs), then reports req/s,
 * p50/p95/p99, status and error-code counts, and the container's RSS after warm-up and at the end.
 * Bounded: at most --seconds (≤ 120) of traffic and at most 128 requests in flight. Writes "## Soak" of
 * bench/RESULTS.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EDGE_SECRET_HEADER } from '../shared/contract/headers.js';
import { freePort, startContainerProcess, startEdgeProcess, stopService, waitForReady } from '../scripts/lib/stack.js';
import { formatLoad, loadAverage, machineInfo } from './lib/machine.js';
import { writeResultsSection } from './lib/results.js';
import { percentile } from './lib/stats.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '90' }, rate: { type: 'string', default: '25' }, warmup: { type: 'string', default: '15' } } });
const seconds = Math.min(120, Math.max(10, Number(values.seconds)));
const rate = Math.min(200, Math.max(1, Number(values.rate)));
const warmupSeconds = Math.min(seconds / 2, Number(values.warmup));
const MAX_IN_FLIGHT = 128;

const SUBJECTS = ['the child', 'the teacher', 'the farmer', 'the doctor', 'the mother', 'the father', 'the friend', 'the student'];
const VERBS = ['eats the bread', 'drinks the water', 'reads the book', 'buys the fish', 'sees the car', 'likes the music', 'cooks the rice'];
const REPEATED = SUBJECTS.flatMap((s) => VERBS.map((v) => `${s} ${v}`)).slice(0, 40); // a small "UI strings" set
const BAD_BODIES: { body: string; expected: string }[] = [
  { body: '{"text": ', expected: 'INVALID_JSON' },
  { body: JSON.stringify({ text: '', target_language: 'swh_Latn' }), expected: 'VALIDATION_FAILED' },
  { body: JSON.stringify({ text: 'hello', target_language: 'xx_Yyyy' }), expected: 'UNSUPPORTED_LANGUAGE' },
  { body: JSON.stringify({ text: 'a'.repeat(5001), target_language: 'swh_Latn' }), expected: 'TEXT_TOO_LONG' },
];

function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

const secret = randomBytes(24).toString('hex');
const loadBefore = loadAverage();
const container = startContainerProcess({ port: await freePort(), secret, env: { HF_HOME: mkdtempSync(join(tmpdir(), 'sema-soak-hf-')), REVISION_CHECK_INTERVAL_MS: '0', LOG_LEVEL: 'warn' } });
let edge: ReturnType<typeof startEdgeProcess> | undefined;
try {
  await waitForReady(container, '/health');
  const status = (await (await waitForReady(container, '/status', { [EDGE_SECRET_HEADER]: secret })).json()) as { model: { label: string } };
  edge = startEdgeProcess({
    port: await freePort(),
    originUrls: [container.url],
    modelId: status.model.label,
    secret,
    // The soak measures the stack, not the per-IP limiter (which has its own tests): lift the budget.
    vars: { RATE_LIMIT_PER_MINUTE: '1000000' },
    persistTo: mkdtempSync(join(tmpdir(), 'sema-soak-wrangler-')),
  });
  await waitForReady(edge, '/health');
  const edgeUrl = edge.url;

  interface Sample { at: number; ms: number; status: number; code: string | undefined; bad: boolean }
  const samples: Sample[] = [];
  let inFlight = 0;
  let skipped = 0;
  let newCounter = 0;
  let rssAfterWarmup = 0;
  const rssStart = rssOf(container.child.pid!);

  async function one(started: number): Promise<void> {
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
      const json = (await res.json()) as { error?: { code: string } };
      code = json.error?.code;
    } catch (err) {
      code = `client:${(err as Error).name}`;
    }
    samples.push({ at: started, ms: performance.now() - t0, status, code, bad });
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

  const latencies = samples.filter((s) => !s.bad && s.status === 200).map((s) => s.ms);
  const byStatus = new Map<string, number>();
  for (const s of samples) byStatus.set(`${s.status}${s.code ? ` ${s.code}` : ''}`, (byStatus.get(`${s.status}${s.code ? ` ${s.code}` : ''}`) ?? 0) + 1);
  const serverErrors = samples.filter((s) => s.status >= 500 || s.status === 0).length;
  const badAnsweredRight = samples.filter((s) => s.bad && s.status >= 400 && s.status < 500).length;
  const badTotal = samples.filter((s) => s.bad).length;
  const growth = rssAfterWarmup > 0 ? (rssEnd - rssAfterWarmup) / rssAfterWarmup : 0;
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
    `| container RSS at start / after warm-up / end | ${mib(rssStart)} / ${mib(rssAfterWarmup)} / ${mib(rssEnd)} | |`,
    `| RSS growth after warm-up | ${(growth * 100).toFixed(1)}% | < 10%: ${growth < 0.1 ? 'met' : 'NOT met'} |`,
  ].join('\n');
  const codes = ['| status and code | count |', '| --- | ---: |', ...[...byStatus.entries()].sort().map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  console.log(`\n${table}\n\n${codes}\n`);

  const section = [
    '## Soak',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${m.nproc} CPUs (nproc), ${m.cpuModel}, ${m.ramGiB} GiB RAM, Node ${m.node}; load average before ${formatLoad(loadBefore)}, after ${formatLoad(loadAverage())}.`,
    '',
    `Command: \`npx tsx bench/soak.ts --seconds ${seconds} --rate ${rate} --warmup ${warmupSeconds}\` — container (tiny fixture) and \`wrangler dev --log-level warn\` on 127.0.0.1, open-loop traffic at a fixed rate through the edge: 67% repeated texts (40 UI-like strings), 28% new texts, 5% bad inputs (malformed JSON, empty text, unknown language, 5001 characters), client IPs spread over 200 addresses, the per-IP budget lifted so the limiter runs but never refuses. Everything shares the same 2 cores.`,
    '',
    table,
    '',
    codes,
  ].join('\n');
  await writeResultsSection(join(import.meta.dirname, 'RESULTS.md'), '## Soak', section);
  console.log('wrote the "## Soak" section of bench/RESULTS.md');
} finally {
  if (edge) await stopService(edge);
  await stopService(container);
}
