/**
 * Starting the stack's processes on this machine: the inference container (node + tsx) and the edge
 * (wrangler dev). Used by `npm start`, the end-to-end tests and the soak benchmark, so all three run
 * the stack the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
