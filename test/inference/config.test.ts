import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig as parseEdgeConfig } from '../../edge/config.js';
import { ConfigError, defaultEngineThreads, defaultHfHome, loadConfig } from '../../inference/config.js';

const probe = { persistentDir: '/nonexistent-data', cpus: 4, home: '/home/test' };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env, probe);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({}, probe);
    expect(config).toMatchObject({
      port: 7860,
      host: '0.0.0.0',
      model: {
        dir: undefined,
        repo: 'Xenova/nllb-200-distilled-600M',
        revision: 'main',
        quantization: 'int8',
        autoDownload: false,
        hfHome: '/home/test/.cache/huggingface',
        hubUrl: 'https://huggingface.co',
        revisionCheckIntervalMs: 3_600_000,
      },
      auth: { edgeSharedSecret: undefined, metricsToken: undefined, adminToken: undefined },
      trustProxy: 0,
      log: { level: 'info', text: false },
      lid: { modelPath: undefined, labels: 'auto', minConfidence: 0.5 },
      engine: { workers: 1, intraOpThreads: 4 },
      batch: { maxWaitMs: 5, maxSize: 16, maxTokens: 4096 },
      queue: { maxRequests: 256, maxTokens: 65_536 },
      requestDeadlineMs: 25_000,
      shutdownGraceMs: 8_000,
      defaultBeamSize: 1,
    });
    expect(config.limits).toMatchObject({ MAX_CHARACTERS: 5000, RATE_LIMIT_PER_MINUTE: 60 });
  });

  it('takes every override from the environment', () => {
    const config = loadConfig(
      {
        PORT: '8080', HOST: '127.0.0.1', MODEL_DIR: 'models/tiny', MODEL_REPO: 'Xenova/nllb-200-distilled-1.3B',
        MODEL_REVISION: 'a'.repeat(40), MODEL_QUANTIZATION: 'fp32', MODEL_AUTO_DOWNLOAD: 'TRUE', HF_HOME: '/tmp/hf',
        HF_ENDPOINT: 'http://127.0.0.1:9999/', EDGE_SHARED_SECRET: 's'.repeat(32), TRUST_PROXY: '1',
        RATE_LIMIT_PER_MINUTE: '120', METRICS_TOKEN: 'm'.repeat(16), ADMIN_TOKEN: 'a'.repeat(16), LOG_LEVEL: 'debug',
        LOG_TEXT: 'yes', LID_MODEL_PATH: '/models/lid218e.bin', LID_LABELS: 'flores', LID_MIN_CONFIDENCE: '0.35',
        ENGINE_WORKERS: '2', ENGINE_INTRA_OP_THREADS: '3', BATCH_MAX_WAIT_MS: '10', BATCH_MAX_SIZE: '32',
        BATCH_MAX_TOKENS: '8192', QUEUE_MAX_REQUESTS: '100', QUEUE_MAX_TOKENS: '100000', REQUEST_DEADLINE_MS: '20000',
        SHUTDOWN_GRACE_MS: '5000', DEFAULT_BEAM_SIZE: '4', REVISION_CHECK_INTERVAL_MS: '0',
      },
      probe,
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      model: {
        dir: resolve('models/tiny'), repo: 'Xenova/nllb-200-distilled-1.3B', revision: 'a'.repeat(40), quantization: 'fp32',
        autoDownload: true, hfHome: '/tmp/hf', hubUrl: 'http://127.0.0.1:9999', revisionCheckIntervalMs: 0,
      },
      auth: { edgeSharedSecret: 's'.repeat(32), metricsToken: 'm'.repeat(16), adminToken: 'a'.repeat(16) },
      trustProxy: 1,
      log: { level: 'debug', text: true },
      lid: { modelPath: '/models/lid218e.bin', labels: 'flores', minConfidence: 0.35 },
      engine: { workers: 2, intraOpThreads: 3 },
      batch: { maxWaitMs: 10, maxSize: 32, maxTokens: 8192 },
      queue: { maxRequests: 100, maxTokens: 100_000 },
      requestDeadlineMs: 20_000,
      shutdownGraceMs: 5_000,
      defaultBeamSize: 4,
    });
    expect(config.limits.RATE_LIMIT_PER_MINUTE).toBe(120);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', MODEL_DIR: '', LID_MODEL_PATH: ' ' }, probe)).toMatchObject({ port: 7860, model: { dir: undefined }, lid: { modelPath: undefined } });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: expected an integer from 1 to 65535, got "eighty"/],
    [{ PORT: '70000' }, /PORT: expected an integer from 1 to 65535, got "70000"/],
    [{ PORT: '80.5' }, /PORT: expected an integer/],
    [{ MODEL_QUANTIZATION: 'int4' }, /MODEL_QUANTIZATION: expected one of int8, fp32, got "int4"/],
    [{ MODEL_AUTO_DOWNLOAD: 'maybe' }, /MODEL_AUTO_DOWNLOAD: expected true or false, got "maybe"/],
    [{ MODEL_REPO: 'just-a-name' }, /MODEL_REPO: expected a Hugging Face repo id like org\/name/],
    [{ MODEL_REVISION: '../../etc' }, /MODEL_REVISION: expected a branch, tag or commit hash/],
    [{ HF_ENDPOINT: 'ftp://mirror' }, /HF_ENDPOINT: expected an http\(s\) URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent/],
    [{ LID_LABELS: 'iso' }, /LID_LABELS: expected one of auto, lid176, flores/],
    [{ LID_MIN_CONFIDENCE: '1.5' }, /LID_MIN_CONFIDENCE: expected a number from 0 to 1, got "1.5"/],
    [{ TRUST_PROXY: '-1' }, /TRUST_PROXY: expected an integer from 0 to 10/],
    [{ ENGINE_WORKERS: '0' }, /ENGINE_WORKERS: expected an integer from 1 to 64/],
    [{ DEFAULT_BEAM_SIZE: '5' }, /DEFAULT_BEAM_SIZE: expected an integer from 1 to 4/],
    [{ BATCH_MAX_TOKENS: '9000', QUEUE_MAX_TOKENS: '8000' }, /BATCH_MAX_TOKENS: 9000 must not exceed QUEUE_MAX_TOKENS \(8000\)/],
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, /  - RATE_LIMIT_PER_MINUTE: expected an integer >= 1, got "lots"/],
    [{ RATE_LIMIT_WINDOW_SECONDS: '0' }, /  - RATE_LIMIT_WINDOW_SECONDS: expected an integer >= 1, got "0"/],
    [{ QUEUE_MAX_REQUESTS: '0' }, /  - QUEUE_MAX_REQUESTS: expected an integer >= 1, got "0"/],
    [{ ORIGIN_TIMEOUT_MS: '30s' }, /  - ORIGIN_TIMEOUT_MS: expected an integer >= 100, got "30s"/],
    [{ ORIGIN_TIMEOUT_MS: '20000', REQUEST_DEADLINE_MS: '20000' }, /  - REQUEST_DEADLINE_MS: 20000 must be below ORIGIN_TIMEOUT_MS \(20000\)/],
  ])('names the variable and the expected form: %o', (env, message) => {
    expect(problems(env as Record<string, string>)).toMatch(message);
  });

  it('never echoes a secret, even a bad one', () => {
    const message = problems({ EDGE_SHARED_SECRET: 'short-secret', ADMIN_TOKEN: 'has spaces in it, oh no' });
    expect(message).toMatch(/EDGE_SHARED_SECRET: expected at least 16 printable ASCII characters without spaces, got a value of 12 characters/);
    expect(message).toMatch(/ADMIN_TOKEN: expected at least 16/);
    expect(message).not.toContain('short-secret');
    expect(message).not.toContain('oh no');
  });

  it('derives the request deadline from the edge origin timeout, and refuses one that would outlast it', () => {
    expect(loadConfig({}, probe).requestDeadlineMs).toBe(25_000); // the edge's default 30 s minus 5 s
    expect(loadConfig({ ORIGIN_TIMEOUT_MS: '4000' }, probe).requestDeadlineMs).toBe(3_200);
    expect(loadConfig({ ORIGIN_TIMEOUT_MS: '4000', REQUEST_DEADLINE_MS: '3999' }, probe).requestDeadlineMs).toBe(3_999);
    // without the edge's value in this env nothing can be checked: the explicit deadline stands
    expect(loadConfig({ REQUEST_DEADLINE_MS: '40000' }, probe).requestDeadlineMs).toBe(40_000);
    expect(problems({ ORIGIN_TIMEOUT_MS: '4000', REQUEST_DEADLINE_MS: '5000' })).toMatch(/REQUEST_DEADLINE_MS: 5000 must be below ORIGIN_TIMEOUT_MS \(4000\)/);
  });

  it('takes the rate-limit window from RATE_LIMIT_WINDOW_SECONDS (default 60)', () => {
    expect(loadConfig({}, probe).limits.RATE_LIMIT_WINDOW_SECONDS).toBe(60);
    expect(loadConfig({ RATE_LIMIT_WINDOW_SECONDS: '10' }, probe).limits.RATE_LIMIT_WINDOW_SECONDS).toBe(10);
  });

  it('states a bad shared variable exactly as the edge does', () => {
    const env = { MAX_CHARACTERS: 'lots', EDGE_SHARED_SECRET: 'short-secret' };
    let edge = '';
    try {
      parseEdgeConfig(env);
    } catch (err) {
      edge = (err as Error).message;
    }
    const lines = (message: string) => message.split('\n').slice(1).sort();
    expect(edge.split('\n')[0]).toBe('invalid edge configuration:');
    expect(problems(env).split('\n')[0]).toBe('invalid inference configuration:');
    expect(lines(problems(env))).toEqual(lines(edge));
    expect(lines(edge)).toEqual([
      '  - EDGE_SHARED_SECRET: expected at least 16 printable ASCII characters without spaces, got a value of 12 characters',
      '  - MAX_CHARACTERS: expected an integer >= 1, got "lots"',
    ]);
  });

  it('reports every bad variable at once', () => {
    const message = problems({ PORT: 'x', LOG_LEVEL: 'y', LID_MIN_CONFIDENCE: 'z' });
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(3);
  });
});

describe('defaults that depend on the machine', () => {
  it('puts HF_HOME on /data when it is writable (a Space with persistent storage)', async () => {
    const data = await mkdtemp(join(tmpdir(), 'sema-data-'));
    try {
      expect(defaultHfHome({}, { persistentDir: data })).toBe(join(data, '.huggingface'));
      expect(loadConfig({}, { ...probe, persistentDir: data }).model.hfHome).toBe(join(data, '.huggingface'));
      if (process.getuid?.() !== 0) {
        // root writes anywhere, so the read-only case can only be checked as another user
        await chmod(data, 0o555);
        expect(defaultHfHome({}, { persistentDir: data, home: '/home/x' })).toBe('/home/x/.cache/huggingface');
      }
    } finally {
      await chmod(data, 0o755);
      await rm(data, { recursive: true });
    }
    expect(defaultHfHome({ XDG_CACHE_HOME: '/xdg' }, { persistentDir: '/nonexistent' })).toBe('/xdg/huggingface');
  });

  it('shares the cores between engine workers', () => {
    expect(defaultEngineThreads(1)).toEqual({ workers: 1, intraOpThreads: 1 });
    expect(defaultEngineThreads(2)).toEqual({ workers: 1, intraOpThreads: 2 });
    expect(defaultEngineThreads(16)).toEqual({ workers: 2, intraOpThreads: 8 });
  });
});

describe('configOrExit', () => {
  it('prints the problems without a stack trace and exits 1', () => {
    const script = "import('./inference/config.ts').then((m) => { m.configOrExit(process.env); console.log('unreachable'); })";
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env: { PATH: process.env.PATH, PORT: 'http', QUEUE_MAX_REQUESTS: '-3' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('invalid inference configuration:\n  - PORT: expected an integer from 1 to 65535, got "http"\n  - QUEUE_MAX_REQUESTS: expected an integer >= 1, got "-3"\n');
    expect(result.stderr).not.toMatch(/\bat \w+ \(/);
  });
});
