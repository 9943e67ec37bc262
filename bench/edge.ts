/**
 * Edge benchmark: `npx tsx bench/edge.ts [--origin URL] [--model ID] [--duration S] [--connections N]`
 *
 * Starts `wrangler dev --log-level warn` on 127.0.0.1 (free port, fresh --persist-to dir), and, unless
 * --origin is given, the fake origin of test/support/fake-origin.ts on 127.0.0.1. Then, with autocannon on
 * loopback (fixed connections, bounded duration per case):
 *   1. trivial: GET /__bench/constant (enabled by BENCH_TRIVIAL_ROUTE=1; the same middleware chain as
 *      every route, a constant body, no I/O);
 *   2. cache hit, one client IP: POST /api/v1/translate of one pre-warmed text (validation, one rate-limit
 *      Durable Object RPC, SHA-256 key, Cache API hit);
 *   3. cache hit, 64 client IPs (64 Durable Objects instead of one serialising everything);
 *   4. cache miss, 64 client IPs: a new text per request (everything above plus one origin call and the
 *      two cache writes after the response).
 * Simulator state (--persist-to) lives on /dev/shm when it exists.
 * Prints a table and writes the "## Edge" section of bench/RESULTS.md (other sections are kept).
 *
 * Options (or env): --origin (EDGE_BENCH_ORIGIN) an already running container; --model (EDGE_BENCH_MODEL_ID)
 * the model id the container reports (learned from one direct call when omitted); --duration seconds per
 * case (default 10); --connections (default 16); EDGE_SHARED_SECRET is passed to the edge when set.
 * Every request goes to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FAKE_MODEL_ID, startFakeOrigin, type FakeOrigin } from '../test/support/fake-origin.js';
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

async function learnModel(origin: string): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (process.env.EDGE_SHARED_SECRET) headers['x-sema-edge-secret'] = process.env.EDGE_SHARED_SECRET;
  const response = await fetch(`${origin}/api/v1/translate`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ text: ['Hello.'], source_language: SOURCE, target_language: TARGET }),
  });
  const body = (await response.json()) as { model?: string };
  if (!response.ok || typeof body.model !== 'string') throw new Error(`could not learn the origin's model (HTTP ${response.status}); pass --model`);
  return body.model;
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

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

async function measure(name: string, options: Omit<AutocannonOptions, 'duration' | 'connections'>): Promise<Row> {
  if (WARMUP > 0) await autocannon({ ...options, connections: CONNECTIONS, duration: WARMUP });
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION });
  const row = {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  console.log(`  ${name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms (${row.total} requests, ${row.non2xx} non-2xx, ${row.errors} errors)`);
  return row;
}

async function main(): Promise<void> {
  let fake: FakeOrigin | undefined;
  let origin = ORIGIN_ARG;
  if (!origin) {
    fake = await startFakeOrigin();
    origin = fake.url;
  }
  const model = args.model ?? process.env.EDGE_BENCH_MODEL_ID ?? (fake ? FAKE_MODEL_ID : await learnModel(origin));
  const port = await freePort();
  // simulator state (KV, Cache API, Durable Object SQLite) on tmpfs when there is one: disk fsyncs are not what we measure
  const persistTo = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sema-edge-bench-'));
  const vars: Record<string, string> = {
    ORIGIN_URLS: origin,
    MODEL_ID: model,
    BENCH_TRIVIAL_ROUTE: '1',
    // lift the budget so the limiter is exercised on every request but never refuses
    RATE_LIMIT_PER_MINUTE: '100000000',
  };
  if (process.env.EDGE_SHARED_SECRET) vars.EDGE_SHARED_SECRET = process.env.EDGE_SHARED_SECRET;
  const loadBefore = loadAverage();
  const wrangler = startWrangler(port, persistTo, vars);
  const base = `http://127.0.0.1:${port}`;
  const command = `npx tsx bench/edge.ts${ORIGIN_ARG ? ` --origin ${ORIGIN_ARG}` : ''} --duration ${DURATION} --connections ${CONNECTIONS}`;
  try {
    await waitFor(`${base}/health`, 60_000);
    console.log(`edge ${base} (wrangler dev --log-level warn) → origin ${origin}${fake ? ' (fake origin)' : ''}, model ${model}`);
    console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION} s per case (+${WARMUP} s warm-up)`);

    const headers = { 'content-type': 'application/json', 'cf-connecting-ip': '127.0.0.1' };
    const hitBody = JSON.stringify({ text: 'The weather is lovely today, and the market is busy.', source_language: SOURCE, target_language: TARGET });
    const warm = await fetch(`${base}/api/v1/translate`, { method: 'POST', headers, body: hitBody });
    if (!warm.ok) throw new Error(`warm-up translate failed: HTTP ${warm.status} ${await warm.text()}`);
    await new Promise((r) => setTimeout(r, 500)); // the cache write happens after the response
    const check = await fetch(`${base}/api/v1/translate`, { method: 'POST', headers, body: hitBody });
    if (check.headers.get('x-cache') !== 'HIT') throw new Error(`expected a cache hit, got X-Cache ${check.headers.get('x-cache')}`);
    const trivialCheck = await fetch(`${base}/__bench/constant`);
    if (!trivialCheck.ok) throw new Error('the trivial route is not enabled');

    const trivial = await measure('trivial (GET /__bench/constant)', { url: base, requests: [{ method: 'GET', path: '/__bench/constant' }] });
    const hit = await measure('cache hit, one client (POST /api/v1/translate)', { url: base, requests: [{ method: 'POST', path: '/api/v1/translate', headers, body: hitBody }] });
    let client = 0;
    const CLIENTS = 64;
    const hitMany = await measure(`cache hit, ${CLIENTS} client IPs`, {
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
    const miss = await measure(`cache miss → origin, ${CLIENTS} client IPs`, {
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
      '| case | req/s | p50 ms | p99 ms | requests | non-2xx | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[trivial, hit, hitMany, miss].map((r) => `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.total} | ${r.non2xx} | ${r.errors} |`),
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
The cache-hit cases are one pre-warmed text (validation, one rate-limit Durable Object RPC with a SQLite insert, SHA-256 key,
Cache API hit), once from one client IP (one Durable Object serialises every request) and once spread over 64 client IPs
(64 Durable Objects). The miss case sends a new text per request (plus one origin call; cache writes after the response). The budget is lifted
(RATE_LIMIT_PER_MINUTE=100000000) so the limiter runs but never refuses. Absolute numbers are local-simulator numbers
(KV, Cache API and Durable Objects are simulated by workerd/miniflare, their state on tmpfs, on the same cores as the load generator).

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
