import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EDGE_SECRET_HEADER } from '../../shared/contract/headers.js';
import { freePort, startContainerProcess, startEdgeProcess, startStack, stopService, waitForReady, type Service, type Stack } from '../../scripts/lib/stack.js';

/** The e2e container's environment: the tiny fixture (an empty model cache), one small engine worker, `env` on top. */
function containerEnv(env: Record<string, string>): Record<string, string> {
  return {
    HF_HOME: mkdtempSync(join(tmpdir(), 'sema-e2e-hf-')),
    REVISION_CHECK_INTERVAL_MS: '0',
    ENGINE_WORKERS: '1',
    ENGINE_INTRA_OP_THREADS: '1',
    SHUTDOWN_GRACE_MS: '5000',
    ...env,
  };
}

/** A container process on the tiny fixture with an empty model cache, logs at info. */
export async function launchContainer(secret: string, port?: number, env: Record<string, string> = {}): Promise<Service> {
  const service = startContainerProcess({ port: port ?? (await freePort()), secret, env: containerEnv(env) });
  await waitForReady(service, '/health');
  return service;
}

export interface LaunchStackOptions {
  containerEnv?: Record<string, string>;
  edgeVars?: Record<string, string>;
  adminToken?: string;
}

/**
 * The whole stack for a test file (scripts/lib/stack.ts startStack, as the benchmarks start it): the
 * e2e container behind wrangler dev with a fresh secret and an empty cache; checks that no secret is
 * on any command line.
 */
export async function launchStack(options: LaunchStackOptions = {}): Promise<Stack> {
  const stack = await startStack({
    secret: newSecret(),
    containerEnv: containerEnv(options.containerEnv ?? {}),
    ...(options.edgeVars ? { edgeVars: options.edgeVars } : {}),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    persistTo: mkdtempSync(join(tmpdir(), 'sema-e2e-wrangler-')),
  });
  try {
    assertNotInAnyCommandLine(options.adminToken ? [stack.secret, options.adminToken] : [stack.secret]);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}

export async function modelLabel(container: Service, secret: string): Promise<string> {
  const res = await fetch(`${container.url}/status`, { headers: { [EDGE_SECRET_HEADER]: secret } });
  return ((await res.json()) as { model: { label: string } }).model.label;
}

/**
 * Throws when any process's command line (what `ps` shows every user) contains one of `values`: the
 * stack hands secrets over in a generated .dev.vars file and the environment, never in argv.
 */
export function assertNotInAnyCommandLine(values: readonly string[]): void {
  const commandLines = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  for (const value of values) {
    if (commandLines.includes(value)) throw new Error(`a secret of ${value.length} characters is visible in ps`);
  }
}

/** The edge under wrangler dev the way `npm start` runs it (secrets through the .dev.vars file). */
export async function launchEdge(originUrls: string[], modelId: string, secret: string, vars: Record<string, string> = {}, adminToken?: string): Promise<Service> {
  const service = startEdgeProcess({
    port: await freePort(),
    originUrls,
    modelId,
    secret,
    ...(adminToken ? { adminToken } : {}),
    vars,
    persistTo: mkdtempSync(join(tmpdir(), 'sema-e2e-wrangler-')),
  });
  await waitForReady(service, '/health');
  assertNotInAnyCommandLine(adminToken ? [secret, adminToken] : [secret]);
  return service;
}

export const newSecret = () => randomBytes(24).toString('hex');

/** The container's Prometheus text (metrics need no secret). */
export async function metricsText(container: Service): Promise<string> {
  return (await fetch(`${container.url}/metrics`)).text();
}

/** Sum of a counter's samples in Prometheus text, optionally only lines containing `filter`. */
export function counter(text: string, name: string, filter = ''): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(filter))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
}

export { stopService, type Service, type Stack };
