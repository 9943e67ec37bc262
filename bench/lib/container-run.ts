/**
 * The inference container as a deployer runs it, measured from outside over its HTTP API (for
 * bench/engine.ts --suite precision): `node --import tsx inference/server.ts` on a model folder and
 * a quantization, standalone (no edge), clients told apart by X-Forwarded-For (TRUST_PROXY=1).
 *
 *   - start-up: process spawned → the first 200 from GET /health (the server listens only once
 *     the model is loaded and warmed up, so this is the time to serve);
 *   - short sentence: `shortRequests` sequential POST /api/v1/translate of one < 50-character
 *     sentence, client-side latency (connection, JSON, queue, batcher, worker, response);
 *   - ms/token at batch 1: sequential requests of `longTokens` new tokens, wall time / generated
 *     tokens (sema_generated_tokens_total from /metrics before and after: the tokens really made);
 *   - concurrency 16: 16 closed-loop clients × `perClient` requests of `longTokens` new tokens,
 *     generated tokens / wall time;
 *   - RSS: /proc/<pid> VmRSS once ready (idle) and VmHWM (peak since start) at the end.
 * Every request is bounded (max_new_tokens, a client timeout), and so is the whole run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startContainerProcess, stopService, type Service } from '../../scripts/lib/stack.js';
import { cpuSecondsOf, rssOf } from './proc.js';
import { percentile } from './stats.js';

export interface ContainerRunOptions {
  modelDir: string;
  quantization: 'fp32' | 'int8';
  /**
   * Candidate < 50-character sentences, each with its max_new_tokens (about a real translation of
   * it). The first whose warm-up answer the service's guard leaves alone (no warning but
   * `truncated`) is measured: on random weights the guard often sees repetition and retries the
   * sentence split finer, a second model call a real model's answer would not need. When every
   * candidate is retried, the first is measured and the retries are in its latency.
   */
  shortCandidates: readonly { text: string; maxNewTokens: number }[];
  shortRequests: number;
  /** Sentences for the long requests (cycled). */
  texts: readonly string[];
  /** max_new_tokens of a long request (the language token included). */
  longTokens: number;
  batch1Requests: number;
  concurrency: number;
  perClient: number;
  src: string;
  tgt: string;
  startTimeoutMs: number;
  requestTimeoutMs: number;
  log: (message: string) => void;
}

export interface ContainerRunResult {
  quantization: 'fp32' | 'int8';
  /** The model label the container reported (its `model` field). */
  model: string;
  startMs: number;
  rssReady: number;
  vmHwm: number;
  /**
   * overheadP50Ms: p50 of (client latency − the response's inference_time): everything but model
   * time — HTTP, JSON, validation, segmentation, the batcher's wait, the guard, the worker round trip.
   */
  short: { text: string; requests: number; p50Ms: number; p95Ms: number; chars: number; maxNewTokens: number; warnings: Record<string, number>; tokensPerRequest: number; guardRetriesInWarmUp: boolean; overheadP50Ms: number; inferenceP50Ms: number };
  /** cpuMsPerToken: the container's CPU time (all its threads) per generated token: less sensitive to other load than wall time. */
  batch1: { requests: number; tokens: number; msPerToken: number; p50Ms: number; cpuMsPerToken: number };
  concurrent: { concurrency: number; requests: number; tokens: number; wallMs: number; tokensPerSecond: number; p50Ms: number; p95Ms: number; failures: number; cpuMsPerToken: number };
}

interface TranslateAnswer {
  ms: number;
  ok: boolean;
  /** The response's inference_time (model time attributed to the request, every call of it), ms. */
  inferenceMs?: number;
  model?: string;
  warnings: string[];
}

function vmHwmOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

async function waitReady(service: Service, timeoutMs: number): Promise<number> {
  const started = performance.now();
  const deadline = started + timeoutMs;
  while (performance.now() < deadline && service.child.exitCode === null) {
    try {
      const res = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return performance.now();
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${service.name} not ready: ${service.child.exitCode === null ? `no /health 200 within ${timeoutMs} ms` : `exited ${service.child.exitCode}`}. Last lines:\n${service.output.slice(-15).join('\n')}`);
}

async function generatedTokens(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const m = /^sema_generated_tokens_total(?:\{\})?\s+([\d.e+]+)$/m.exec(text);
  if (!m) throw new Error('/metrics has no sema_generated_tokens_total');
  return Number(m[1]);
}

async function translate(url: string, client: number, text: string, maxNewTokens: number, o: ContainerRunOptions): Promise<TranslateAnswer> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/api/v1/translate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${client + 1}` },
      body: JSON.stringify({ text, source_language: o.src, target_language: o.tgt, options: { max_new_tokens: maxNewTokens } }),
      signal: AbortSignal.timeout(o.requestTimeoutMs),
    });
    const body = (await res.json()) as { model?: string; warnings?: string[]; inference_time?: number };
    const ms = performance.now() - t0;
    return {
      ms,
      ok: res.ok,
      ...(body.model ? { model: body.model } : {}),
      ...(typeof body.inference_time === 'number' ? { inferenceMs: body.inference_time * 1000 } : {}),
      warnings: body.warnings ?? [],
    };
  } catch {
    return { ms: performance.now() - t0, ok: false, warnings: [] };
  }
}

export async function runContainer(o: ContainerRunOptions): Promise<ContainerRunResult> {
  const hfHome = mkdtempSync(join(tmpdir(), 'sema-bench-hf-'));
  const t0 = performance.now();
  const service = startContainerProcess({
    port: await freePort(),
    env: {
      MODEL_DIR: o.modelDir,
      MODEL_QUANTIZATION: o.quantization,
      TRUST_PROXY: '1',
      HF_HOME: hfHome,
      REVISION_CHECK_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    const ready = await waitReady(service, o.startTimeoutMs);
    const startMs = ready - t0;
    const pid = service.child.pid!;
    const rssReady = rssOf(pid);
    o.log(`${o.quantization}: ready in ${(startMs / 1000).toFixed(1)} s, RSS ${(rssReady / 2 ** 30).toFixed(2)} GiB`);
    const url = service.url;
    // Warm-up: the short candidates, a long request, and one batch of `concurrency` (new shapes are slow the first time).
    let short = o.shortCandidates[0]!;
    let retried = true;
    for (const candidate of o.shortCandidates) {
      const a = await translate(url, 0, candidate.text, candidate.maxNewTokens, o);
      if (a.ok && a.warnings.every((w) => w === 'truncated')) {
        short = candidate;
        retried = false;
        break;
      }
    }
    await translate(url, 0, o.texts[0]!, o.longTokens, o);
    await Promise.all(Array.from({ length: o.concurrency }, (_, c) => translate(url, c, o.texts[c % o.texts.length]!, o.longTokens, o)));

    const shorts: TranslateAnswer[] = [];
    const shortTokensBefore = await generatedTokens(url);
    for (let i = 0; i < o.shortRequests; i++) shorts.push(await translate(url, 0, short.text, short.maxNewTokens, o));
    const shortTokens = (await generatedTokens(url)) - shortTokensBefore;
    const warnings: Record<string, number> = {};
    for (const a of shorts) for (const w of a.warnings) warnings[w] = (warnings[w] ?? 0) + 1;
    const shortMs = shorts.filter((a) => a.ok).map((a) => a.ms);
    o.log(`${o.quantization}: short sentence p50 ${percentile(shortMs, 50).toFixed(0)} ms over ${shortMs.length}`);

    let before = await generatedTokens(url);
    let cpuBefore = cpuSecondsOf(pid);
    const b1: number[] = [];
    for (let i = 0; i < o.batch1Requests; i++) b1.push((await translate(url, 0, o.texts[i % o.texts.length]!, o.longTokens, o)).ms);
    const b1Tokens = (await generatedTokens(url)) - before;
    const b1Cpu = cpuSecondsOf(pid) - cpuBefore;
    const b1Ms = b1.reduce((a, b) => a + b, 0);
    o.log(`${o.quantization}: batch 1 ${(b1Ms / b1Tokens).toFixed(1)} ms/token`);

    before = await generatedTokens(url);
    cpuBefore = cpuSecondsOf(pid);
    const latencies: number[] = [];
    let failures = 0;
    const tc = performance.now();
    await Promise.all(
      Array.from({ length: o.concurrency }, async (_, c) => {
        for (let k = 0; k < o.perClient; k++) {
          const a = await translate(url, c, o.texts[(c * o.perClient + k) % o.texts.length]!, o.longTokens, o);
          if (a.ok) latencies.push(a.ms);
          else failures++;
        }
      }),
    );
    const wallMs = performance.now() - tc;
    const cTokens = (await generatedTokens(url)) - before;
    const cCpu = cpuSecondsOf(pid) - cpuBefore;
    o.log(`${o.quantization}: concurrency ${o.concurrency}: ${(cTokens / (wallMs / 1000)).toFixed(1)} tokens/s`);
    return {
      quantization: o.quantization,
      model: shorts.find((a) => a.model)?.model ?? 'unknown',
      startMs,
      rssReady,
      vmHwm: vmHwmOf(pid),
      short: {
        text: short.text,
        requests: shortMs.length,
        p50Ms: percentile(shortMs, 50),
        p95Ms: percentile(shortMs, 95),
        chars: [...short.text].length,
        maxNewTokens: short.maxNewTokens,
        warnings,
        tokensPerRequest: shortTokens / o.shortRequests,
        guardRetriesInWarmUp: retried,
        overheadP50Ms: percentile(shorts.filter((a) => a.ok && a.inferenceMs !== undefined).map((a) => a.ms - a.inferenceMs!), 50),
        inferenceP50Ms: percentile(shorts.filter((a) => a.ok && a.inferenceMs !== undefined).map((a) => a.inferenceMs!), 50),
      },
      batch1: { requests: b1.length, tokens: b1Tokens, msPerToken: b1Ms / b1Tokens, p50Ms: percentile(b1, 50), cpuMsPerToken: (1000 * b1Cpu) / b1Tokens },
      concurrent: {
        concurrency: o.concurrency,
        requests: latencies.length + failures,
        tokens: cTokens,
        wallMs,
        tokensPerSecond: cTokens / (wallMs / 1000),
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        failures,
        cpuMsPerToken: (1000 * cCpu) / cTokens,
      },
    };
  } finally {
    await stopService(service);
    rmSync(hfHome, { recursive: true, force: true });
  }
}
