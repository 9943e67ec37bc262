/**
 * Starting the stack's processes on this machine: the inference container (node + tsx) and the edge
 * (wrangler dev), and both together (startStack). Used by `npm start`, the end-to-end tests and the
 * benchmarks, so all of them run the stack the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EDGE_SECRET_HEADER } from '../../shared/contract/headers.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HOST = '127.0.0.1';
const WRANGLER = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));

export interface Service {
  name: string;
  url: string;
  child: ChildProcess;
  /** The last lines the process printed (stdout and stderr). */
  output: string[];
  exited: Promise<number | null>;
}

export interface LaunchOptions {
  /** Echo the process's lines as `[name] line`. */
  echo?: boolean;
}

function launch(name: string, url: string, args: string[], env: Record<string, string>, options: LaunchOptions): Service {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 500) output.shift();
      if (options.echo) console.log(`[${name}] ${line}`);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, url, child, output, exited };
}

export interface ContainerProcessOptions extends LaunchOptions {
  port: number;
  /** Shared secret the edge sends; unset = standalone mode. */
  secret?: string;
  env?: Record<string, string>;
}

export function startContainerProcess(options: ContainerProcessOptions): Service {
  const env: Record<string, string> = { PORT: String(options.port), HOST, ...options.env };
  if (options.secret) env.EDGE_SHARED_SECRET = options.secret;
  return launch(`container:${options.port}`, `http://${HOST}:${options.port}`, ['--import', 'tsx', 'inference/server.ts'], env, options);
}

export interface EdgeProcessOptions extends LaunchOptions {
  port: number;
  originUrls: string[];
  modelId: string;
  /** EDGE_SHARED_SECRET; handed over in the secrets file, never on the command line. */
  secret?: string;
  /** ADMIN_TOKEN (GET /health details); handed over like the secret. */
  adminToken?: string;
  /** More wrangler vars (RATE_LIMIT_PER_MINUTE, ORIGIN_TIMEOUT_MS, …). */
  vars?: Record<string, string>;
  /** Where wrangler keeps KV/DO state; a fresh folder gives an empty cache. */
  persistTo?: string;
}

/** A dotenv line; values that are not plain tokens are double-quoted (dotenv's escapes). */
function dotenvLine(name: string, value: string): string {
  return /^[\w.:/,@+=-]*$/.test(value) ? `${name}=${value}` : `${name}=${JSON.stringify(value)}`;
}

/**
 * Writes `secrets` as a `.dev.vars` file (dotenv syntax, what `wrangler dev` reads secrets from) in a
 * fresh private folder outside the repository (0700, file 0600), so the values never appear on a
 * command line (`ps` shows argv to every user) nor in a file git could pick up. Returns its path and a
 * clean-up that deletes the folder.
 */
export function writeSecretsFile(secrets: Record<string, string>): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sema-edge-secrets-'));
  const path = join(dir, '.dev.vars');
  writeFileSync(path, `${Object.entries(secrets).map(([name, value]) => dotenvLine(name, value)).join('\n')}\n`, { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `wrangler dev` for the edge. Plain vars go on the command line (`--var`); the secrets
 * (EDGE_SHARED_SECRET, ADMIN_TOKEN) go through a generated `.dev.vars` file (`--env-file`, see
 * writeSecretsFile), deleted when the process exits. With `--env-file`, wrangler does not read the
 * repository's own .dev.vars.
 */
export function startEdgeProcess(options: EdgeProcessOptions): Service {
  const vars: Record<string, string> = { ORIGIN_URLS: options.originUrls.join(','), MODEL_ID: options.modelId, ...options.vars };
  const secrets: Record<string, string> = {};
  if (options.secret) secrets.EDGE_SHARED_SECRET = options.secret;
  if (options.adminToken) secrets.ADMIN_TOKEN = options.adminToken;
  const args = [WRANGLER, 'dev', '--ip', HOST, '--port', String(options.port), '--log-level', 'warn', '--show-interactive-dev-session=false'];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  const secretsFile = Object.keys(secrets).length > 0 ? writeSecretsFile(secrets) : undefined;
  if (secretsFile) args.push('--env-file', secretsFile.path);
  if (options.persistTo) args.push('--persist-to', options.persistTo);
  const service = launch(`edge:${options.port}`, `http://${HOST}:${options.port}`, args, { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }, options);
  if (secretsFile) void service.exited.then(secretsFile.remove);
  return service;
}

export interface StackOptions extends LaunchOptions {
  /** EDGE_SHARED_SECRET; a random one when not given. */
  secret?: string;
  /** ADMIN_TOKEN for the edge's GET /health details. */
  adminToken?: string;
  /** Free ports when not given. */
  containerPort?: number;
  edgePort?: number;
  /** The container's environment (model, queue, deadline, …) besides PORT, HOST and the secret. */
  containerEnv?: Record<string, string>;
  /** More wrangler vars (RATE_LIMIT_PER_MINUTE, ORIGIN_TIMEOUT_MS, …). */
  edgeVars?: Record<string, string>;
  /** Where wrangler keeps KV/DO state; a fresh folder under the temp dir when not given (an empty cache). */
  persistTo?: string;
  /** How long the container may take to answer /status (a big model loads for minutes). Default 120 s. */
  containerReadyMs?: number;
}

/** A running stack: the container behind the edge, and how to restart the container or stop both. */
export interface Stack {
  /** The container now (restartContainer replaces it). */
  container: Service;
  edge: Service;
  secret: string;
  /** The model label the container reported and the edge was started with (its cache keys). */
  modelLabel: string;
  /** Stops the container (SIGTERM) and starts it again with the same options on the same port; resolves when it is ready. */
  restartContainer(): Promise<Service>;
  /** Stops the edge and the container. */
  stop(): Promise<void>;
}

/**
 * The whole stack on 127.0.0.1, as `npm start` runs it: the container (ready when /status answers with
 * the secret), then the edge pointed at it with the model label the container reported, ready when its
 * /health answers. Used by the end-to-end tests and the benchmarks; if the edge fails to start, the
 * container is stopped before the error is thrown.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const secret = options.secret ?? randomBytes(24).toString('hex');
  const containerOptions: ContainerProcessOptions = {
    port: options.containerPort ?? (await freePort()),
    secret,
    ...(options.containerEnv ? { env: options.containerEnv } : {}),
    ...(options.echo ? { echo: true } : {}),
  };
  const readyMs = options.containerReadyMs ?? 120_000;
  const startContainer = async (): Promise<Service> => {
    const service = startContainerProcess(containerOptions);
    try {
      await waitForReady(service, '/status', { [EDGE_SECRET_HEADER]: secret }, readyMs);
    } catch (err) {
      await stopService(service);
      throw err;
    }
    return service;
  };
  let container = await startContainer();
  let edge: Service | undefined;
  try {
    const status = (await (await fetch(`${container.url}/status`, { headers: { [EDGE_SECRET_HEADER]: secret } })).json()) as { model: { label: string } };
    edge = startEdgeProcess({
      port: options.edgePort ?? (await freePort()),
      originUrls: [container.url],
      modelId: status.model.label,
      secret,
      ...(options.adminToken ? { adminToken: options.adminToken } : {}),
      ...(options.edgeVars ? { vars: options.edgeVars } : {}),
      persistTo: options.persistTo ?? mkdtempSync(join(tmpdir(), 'sema-stack-wrangler-')),
      ...(options.echo ? { echo: true } : {}),
    });
    await waitForReady(edge, '/health');
    const started: Service = edge;
    const stack: Stack = {
      container,
      edge: started,
      secret,
      modelLabel: status.model.label,
      restartContainer: async () => {
        await stopService(container);
        container = await startContainer();
        stack.container = container;
        return container;
      },
      stop: async () => {
        await Promise.all([stopService(started), stopService(stack.container)]);
      },
    };
    return stack;
  } catch (err) {
    await Promise.all([edge ? stopService(edge) : undefined, stopService(container)]);
    throw err;
  }
}

/** Polls `path` until it answers 2xx; throws with the process's last lines when it exits or times out. */
export async function waitForReady(service: Service, path: string, headers: Record<string, string> = {}, timeoutMs = 120_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && service.child.exitCode === null) {
    try {
      const res = await fetch(`${service.url}${path}`, { headers, signal: AbortSignal.timeout(2000) });
      if (res.ok) return res;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const why = service.child.exitCode === null ? `did not answer ${path} within ${timeoutMs} ms` : `exited (${service.child.exitCode})`;
  throw new Error(`${service.name} ${why}. Its last lines:\n${service.output.slice(-20).join('\n')}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopService(service: Service, graceMs = 10_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  child.kill('SIGTERM');
  await service.exited;
  clearTimeout(force);
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
