import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { EdgeBindings } from '../../edge/env.js';
import type { Fetcher } from '../../edge/origin/pool.js';
import { createEdgeWorker, type EdgeOverrides, type EdgeWorker } from '../../edge/worker.js';
import { DropConnection, FAKE_MODEL_ID, FakeOriginLogic } from '../support/fake-origin-core.js';

/** A clock the tests move by hand ("advance time, do not sleep a minute"). */
export class FakeClock {
  constructor(public current = Date.now()) {}
  now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface HarnessOptions {
  /** Names of fake origins; each is reachable at http://<name>.origin.test (default: ['a']). */
  origins?: string[];
  /** Extra or overriding vars. */
  vars?: Record<string, string>;
  /** Collaborators to replace (the clock and fetch are the harness's unless given here). */
  deps?: EdgeOverrides;
}

export interface Harness {
  /** The Worker's fetch handler, as edge/index.ts exports it: the app is built on the first request. */
  worker: EdgeWorker;
  clock: FakeClock;
  env: EdgeBindings;
  /** Fake containers by name. */
  origins: Record<string, FakeOriginLogic>;
  /** Names of origins whose connections fail (as if the container were down): at once, as a refused connection. */
  down: Set<string>;
  /** Names of origins whose connections fail after SLOW_FAILURE_MS on the harness clock (a hung or unreachable host). */
  downSlowly: Set<string>;
  /** Every URL the injected fetch was asked for. */
  fetched: string[];
  request(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export const originUrl = (name: string) => `http://${name}.origin.test`;

/** How long a `downSlowly` origin takes to fail: longer than a cheap failure (edge/origin/breaker.ts CHEAP_FAILURE_MS). */
export const SLOW_FAILURE_MS = 300;

let counter = 0;
/** A value unique to this test run, to keep cache keys and rate-limit buckets of tests apart. */
export function unique(prefix = 'u'): string {
  counter++;
  return `${prefix}${counter}x${Math.random().toString(36).slice(2, 8)}`;
}

export function uniqueIp(): string {
  counter++;
  return `10.${(counter >> 8) & 255}.${counter & 255}.${Math.floor(Math.random() * 250) + 1}`;
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}

/**
 * The edge Worker exactly as edge/index.ts builds it (config parsed from the first request's env, the
 * app and its services built once), with its real middleware, cache (caches.default + the KV binding),
 * Durable Object limiter and origin pool, but with an injected clock and an injected fetch that routes
 * origin calls to in-process fake containers (the same contract as test/support/fake-origin.ts).
 * `env` may be changed before the first request (e.g. to drop a binding).
 */
export function harness(options: HarnessOptions = {}): Harness {
  const names = options.origins ?? ['a'];
  const origins: Record<string, FakeOriginLogic> = {};
  for (const name of names) origins[name] = new FakeOriginLogic(name);
  const down = new Set<string>();
  const downSlowly = new Set<string>();
  const fetched: string[] = [];
  const clock = new FakeClock();

  const fakeFetch: Fetcher = async (input, init) => {
    fetched.push(input);
    const url = new URL(input);
    const name = url.hostname.replace(/\.origin\.test$/, '');
    const logic = origins[name];
    if (!logic || down.has(name)) throw new TypeError('Network connection lost.');
    if (downSlowly.has(name)) {
      clock.advance(SLOW_FAILURE_MS);
      throw new TypeError('Network connection lost.');
    }
    const { signal, ...rest } = init;
    try {
      return await abortable(logic.handle(new Request(input, rest), signal ?? undefined), signal);
    } catch (err) {
      if (err instanceof DropConnection) throw new TypeError('Network connection lost.');
      throw err;
    }
  };

  const testEnv = {
    ...(env as unknown as EdgeBindings),
    ORIGIN_URLS: names.map(originUrl).join(','),
    MODEL_ID: FAKE_MODEL_ID,
    ORIGIN_TIMEOUT_MS: '2000',
    ...options.vars,
  } as EdgeBindings;

  const worker = createEdgeWorker({ clock, fetch: fakeFetch, ...options.deps });

  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`https://edge.test${path}`, init), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };

  return {
    worker,
    clock,
    env: testEnv,
    origins,
    down,
    downSlowly,
    fetched,
    request,
    post: (path, body, headers = {}) =>
      request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

export interface ErrorEnvelope {
  error: { code: string; message: string; status: number; request_id: string; details?: Record<string, unknown> };
}

export async function errorOf(response: Response): Promise<ErrorEnvelope['error']> {
  const body = (await response.json()) as ErrorEnvelope;
  return body.error;
}
