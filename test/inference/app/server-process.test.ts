import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../../shared/contract/index.js';
import { emptyHfHome, freePort, runTs, waitForOk, type RunningProcess } from '../../support/process.js';

let proc: RunningProcess | undefined;
afterEach(() => {
  if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
  proc = undefined;
});

const baseEnv = (port: number) => ({
  PORT: String(port),
  HOST: '127.0.0.1',
  HF_HOME: emptyHfHome(),
  REVISION_CHECK_INTERVAL_MS: '0',
  ENGINE_WORKERS: '1',
  ENGINE_INTRA_OP_THREADS: '1',
});

describe('the container process', () => {
  it('finishes in-flight requests on SIGTERM and exits 0', async () => {
    const port = await freePort();
    proc = runTs('inference/server.ts', baseEnv(port));
    await waitForOk(`http://127.0.0.1:${port}/health`, proc);
    const texts = Array.from({ length: 32 }, (_, i) => `the ${i % 2 ? 'child' : 'teacher'} eats the bread every day.`);
    const inFlight = Array.from({ length: 4 }, () =>
      fetch(`http://127.0.0.1:${port}/api/v1/translate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: texts, source_language: 'eng_Latn', target_language: 'swh_Latn' }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown })),
    );
    // SIGTERM only once the server is working on them (a request not yet accepted would be refused)
    for (let i = 0; i < 200; i++) {
      const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { batches: { count: number }; queue: { depth: number } };
      if (status.batches.count > 0 || status.queue.depth > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    proc.child.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    for (const result of results) {
      if (result.status !== 200) expect(ErrorBodySchema.parse(result.body).error.code).toMatch(/^(MODEL_UNAVAILABLE|OVERLOADED)$/);
    }
    expect(results.some((r) => r.status === 200)).toBe(true);
    expect(await proc.exited).toBe(0);
    expect(proc.output()).toContain('shutting down');
  });

  it('stops with a clear message on a bad setting', async () => {
    proc = runTs('inference/server.ts', { ...baseEnv(await freePort()), PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('PORT');
    expect(proc.output()).toContain('LOG_LEVEL');
    expect(proc.output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('says so clearly when the port is taken', async () => {
    const port = await freePort();
    const blocker = (await import('node:net')).createServer().listen(port, '127.0.0.1');
    try {
      proc = runTs('inference/server.ts', baseEnv(port));
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });
});
