/**
 * Edge benchmark: `npx tsx bench/edge.ts [--origin URL] [--model ID] [--duration S] [--connections N]`
 *
 * Starts `wrangler dev --log-level warn` on 127.0.0.1 (free port, fresh --persist-to dir), and, unless
 * --origin is given, the fake origin of test/support/fake-origin.ts on 127.0.0.1. Then, with autocannon on
 * loopback (fixed connections, bounded duration per case):
 *   1. trivial: GET /__bench/constant (enabled by BENCH_TRIVIAL_ROUTE=1; the same middleware chain as
 *      every route, a constant body, no I/O);
 *   2. cache hit, one client IP: POST /api/v1/translate of one pre-warmed text (validation, one rate-limit
 *      Durable Object RPC deciding in memory, SHA-256 key, Cache API hit);
 *   3. cache hit, 64 client IPs (64 Durable Objects instead of one serialising everything);
 *   4. cache miss, 64 client IPs: a new text per request (everything above plus one origin call and the
 *      two cache writes after the response).
 * Simulator state (--persist-to) lives on /dev/shm when it exists.
 * Prints a table and writes the "## Edge" section of bench/RESULTS.md (other sections are kept).
 *
 * The edge runs with the committed defaults: no MODEL_ID, so the cache keys by the label the origin reports
 * (the warm-up checks that the second request is a HIT).
 *
 * Options (or env): --origin (EDGE_BENCH_ORIGIN) an already running container; --model (EDGE_BENCH_MODEL_ID)
 * sets the optional MODEL_ID override; --duration seconds per case (default 10); --connections (default 16);
 * EDGE_SHARED_SECRET is passed to the edge when set.
 * Every request goes to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeOrigin, type FakeOrigin } from '../test/support/fake-origin.js';
import { formatLoad, loadAverage, machineInfo } from './lib/machine.js';
import { writeResultsSection } from './lib/results.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type AutocannonOptions = {
  url: string;
  connections: number;
  duration: number;
  requests?: Array<{ method: string; path: string; headers?: Record<string, string>; body?: string; setupRequest?: (request: Record<string, unknown>) => Record<string, unknown> }>;
};
const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

const ROOT = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    origin: { type: 'string' },
    model: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '2' },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const WARMUP = Number(args.warmup);
const ORIGIN_ARG = args.origin ?? process.env.EDGE_BENCH_ORIGIN;
const SOURCE = 'eng_Latn';
const TARGET = 'swh_Latn';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

function startWrangler(port: number, persistTo: string, vars: Record<string, string>): ChildProcess {
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]);
  const child = spawn(
    join(ROOT, 'node_modules/.bin/wrangler'),
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn', '--persist-to', persistTo, '--show-interactive-dev-session=false', ...varArgs],
    {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so stopping it stops workerd too
    },
  );
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (/error/i.test(text) && !/origin_failure|request_failed/.test(text)) process.stderr.write(`[wrangler] ${text}`);
  });
  return child;
}

function stopWrangler(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.pid === undefined) return done();
    child.once('exit', () => done());
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      done();
    }, 5_000).unref();
  });
}

/**
 * CPU time (clock ticks) used so far by each workerd process of wrangler's process group: the Worker, and the
 * simulated Durable Objects, Cache API and KV, which run in the same processes. Divided by the requests
 * of a case it is an upper bound on the Worker's CPU per request (COST.md prices CPU time from it).
 */
function workerdCpuTicks(processGroup: number): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15
    if (Number(fields[2]) !== processGroup || !comm.includes('workerd')) continue;
    ticks.set(entry, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

/** CPU ms between two readings; a process that exited in between is not counted (an undercount). */
function cpuMsBetween(before: Map<string, number>, after: Map<string, number>): number {
  const MS_PER_TICK = 10; // USER_HZ is 100 on Linux
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks * MS_PER_TICK;
}

interface Row {
  name: string;
  /** workerd CPU ms per request over the measured run (after the warm-up). */
  cpuMs: number;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

async function measure(name: string, processGroup: number, options: Omit<AutocannonOptions, 'duration' | 'connections'>): Promise<Row> {
  if (WARMUP > 0) await autocannon({ ...options, connections: CONNECTIONS, duration: WARMUP });
  const cpuBefore = workerdCpuTicks(processGroup);
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION });
  const cpuMs = cpuMsBetween(cpuBefore, workerdCpuTicks(processGroup)) / Math.max(1, result.requests.total);
  const row = {
    name,
    cpuMs,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  console.log(`  ${name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, workerd CPU ${row.cpuMs.toFixed(2)} ms/request (${row.total} requests, ${row.non2xx} non-2xx, ${row.errors} errors)`);
  return row;
}

async function main(): Promise<void> {
  let fake: FakeOrigin | undefined;
  let origin = ORIGIN_ARG;
  if (!origin) {
    fake = await startFakeOrigin();
    origin = fake.url;
  }
  const modelOverride = args.model ?? process.env.EDGE_BENCH_MODEL_ID;
  const port = await freePort();
  // simulator state (KV, Cache API, Durable Object SQLite) on tmpfs when there is one: disk fsyncs are not what we measure
  const persistTo = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sema-edge-bench-'));
  const vars: Record<string, string> = {
    ORIGIN_URLS: origin,
    ...(modelOverride ? { MODEL_ID: modelOverride } : {}),
    BENCH_TRIVIAL_ROUTE: '1',
    // lift both budgets so the limiter is exercised on every request but never refuses
    RATE_LIMIT_PER_MINUTE: '100000000',
    COST_BUDGET_PER_MINUTE: '100000000000',
  };
  if (process.env.EDGE_SHARED_SECRET) vars.EDGE_SHARED_SECRET = process.env.EDGE_SHARED_SECRET;
  const loadBefore = loadAverage();
  const wrangler = startWrangler(port, persistTo, vars);
  const base = `http://127.0.0.1:${port}`;
  const command = `npx tsx bench/edge.ts${ORIGIN_ARG ? ` --origin ${ORIGIN_ARG}` : ''}${modelOverride ? ` --model ${modelOverride}` : ''} --duration ${DURATION} --connections ${CONNECTIONS}`;
  try {
    await waitFor(`${base}/health`, 60_000);
    console.log(`edge ${base} (wrangler dev --log-level warn) → origin ${origin}${fake ? ' (fake origin)' : ''}, MODEL_ID ${modelOverride ?? 'unset (the default)'}`);
    console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION} s per case (+${WARMUP} s warm-up)`);

    const headers = { 'content-type': 'application/json', 'cf-connecting-ip': '127.0.0.1' };
    const hitBody = JSON.stringify({ text: 'The weather is lovely today, and the market is busy.', source_language: SOURCE, target_language: TARGET });
    const warm = await fetch(`${base}/api/v1/translate`, { method: 'POST', headers, body: hitBody });
    if (!warm.ok) throw new Error(`warm-up translate failed: HTTP ${warm.status} ${await warm.text()}`);
    const model = ((await warm.json()) as { model: string }).model;
    await new Promise((r) => setTimeout(r, 500)); // the cache write happens after the response
    const check = await fetch(`${base}/api/v1/translate`, { method: 'POST', headers, body: hitBody });
    if (check.headers.get('x-cache') !== 'HIT') throw new Error(`expected a cache hit, got X-Cache ${check.headers.get('x-cache')}`);
    const trivialCheck = await fetch(`${base}/__bench/constant`);
    if (!trivialCheck.ok) throw new Error('the trivial route is not enabled');

    const group = wrangler.pid!;
    const trivial = await measure('trivial (GET /__bench/constant)', group, { url: base, requests: [{ method: 'GET', path: '/__bench/constant' }] });
    const hit = await measure('cache hit, one client (POST /api/v1/translate)', group, { url: base, requests: [{ method: 'POST', path: '/api/v1/translate', headers, body: hitBody }] });
    let client = 0;
    const CLIENTS = 64;
    const hitMany = await measure(`cache hit, ${CLIENTS} client IPs`, group, {
      url: base,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/translate',
          body: hitBody,
          setupRequest: (request) => {
            client = (client + 1) % CLIENTS;
            return { ...request, headers: { ...headers, 'cf-connecting-ip': `10.0.0.${client + 1}` } };
          },
        },
      ],
    });
    let counter = 0;
    const run = Date.now().toString(36);
    const miss = await measure(`cache miss → origin, ${CLIENTS} client IPs`, group, {
      url: base,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/translate',
          headers,
          setupRequest: (request) => {
            client = (client + 1) % CLIENTS;
            return {
              ...request,
              headers: { ...headers, 'cf-connecting-ip': `10.0.0.${client + 1}` },
              body: JSON.stringify({ text: `Market day number ${run}-${counter++} is busy.`, source_language: SOURCE, target_language: TARGET }),
            };
          },
        },
      ],
    });

    const ratio = hit.rps / trivial.rps;
    const ratioMany = hitMany.rps / trivial.rps;
    const missOverHit = miss.p50 / Math.max(hitMany.p50, 0.001);
    const table = [
      '| case | req/s | p50 ms | p99 ms | workerd CPU ms/request | requests | non-2xx | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[trivial, hit, hitMany, miss].map(
        (r) => `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.cpuMs.toFixed(2)} | ${r.total} | ${r.non2xx} | ${r.errors} |`,
      ),
    ].join('\n');
    const summary = [
      `- cache hit / trivial throughput: **${ratio.toFixed(2)}** with one client IP, **${ratioMany.toFixed(2)}** with ${CLIENTS} client IPs (target ≥ 0.7)`,
      `- cache miss / cache hit p50 latency (both over 64 client IPs): **${missOverHit.toFixed(1)}×** (origin: ${fake ? 'the fake origin of test/support/fake-origin.ts' : origin}, model \`${model}\`)`,
    ].join('\n');
    console.log(`\n${table}\n\n${summary}\n`);

    const info = machineInfo();
    const section = `## Edge

Measured ${new Date().toISOString().slice(0, 10)} on ${info.nproc} CPUs (nproc), ${info.cpuModel}, ${info.ramGiB.toFixed(0)} GiB RAM, Node ${info.node};
load average (1/5/15 min) before: ${formatLoad(loadBefore)}, after: ${formatLoad(loadAverage())}. One run; the load generator, wrangler dev
and the origin share these cores, so expect run-to-run spread when the machine is busy.

Command: \`${command}\` — \`wrangler dev --log-level warn\` on 127.0.0.1, autocannon on loopback, ${CONNECTIONS} connections,
${DURATION} s per case after a ${WARMUP} s warm-up. The trivial route is \`GET /__bench/constant\` (only with
BENCH_TRIVIAL_ROUTE=1): the same middleware chain (request id, config, CORS, body limit), a constant body, no I/O.
The edge keeps the committed defaults (${modelOverride ? `except MODEL_ID=${modelOverride}` : 'no MODEL_ID: the cache keys by the label the origin reports'}).
The cache-hit cases are one pre-warmed text (validation, one rate-limit Durable Object RPC deciding in memory with its
state written behind — no storage write per request —, SHA-256 key, Cache API hit), once from one client IP (one Durable Object serialises every request) and once spread over 64 client IPs
(64 Durable Objects). The miss case sends a new text per request (plus one origin call; cache writes after the response). Both budgets are lifted
(RATE_LIMIT_PER_MINUTE=100000000, COST_BUDGET_PER_MINUTE=100000000000) so the limiter runs but never refuses. Absolute numbers are local-simulator numbers
(KV, Cache API and Durable Objects are simulated by workerd/miniflare, their state on tmpfs, on the same cores as the load generator).
"workerd CPU ms/request" is the user + system CPU time of wrangler's workerd processes during the case divided by its requests:
the Worker plus the simulated bindings, so an upper bound on the Worker's own CPU time (bench/COST.md prices it).

${table}

${summary}
`;
    await writeResultsSection(join(ROOT, 'bench/RESULTS.md'), '## Edge', section);
    console.log('wrote the "## Edge" section of bench/RESULTS.md');
  } finally {
    await stopWrangler(wrangler);
    await fake?.close();
    await rm(persistTo, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
