import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

/** Offline env for wrangler/miniflare (no metrics, no cf.json download). */
export const OFFLINE_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** Bundles the Worker exactly as `wrangler deploy` would (offline, --dry-run) into a temp dir. */
export async function bundleWorker(): Promise<{ scriptPath: string; dispose(): Promise<void> }> {
  const outdir = await mkdtemp(join(tmpdir(), 'sema-edge-bundle-'));
  await run(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir, '--config', join(ROOT, 'wrangler.toml')], {
    cwd: ROOT,
    env: OFFLINE_ENV,
    timeout: 90_000,
  });
  return { scriptPath: join(outdir, 'index.js'), dispose: () => rm(outdir, { recursive: true, force: true }) };
}

/** The bundled Worker in Miniflare with in-memory KV, the SQLite-backed limiter and the given vars. */
export async function startEdge(scriptPath: string, bindings: Record<string, string>): Promise<Miniflare> {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    // module names are relative to this root; the bundle lives in a temp dir outside the cwd
    modulesRoot: dirname(scriptPath),
    compatibilityDate: '2026-04-20',
    compatibilityFlags: ['nodejs_compat'],
    kvNamespaces: ['TRANSLATION_CACHE', 'API_KEYS'],
    durableObjects: { RATE_LIMITER: { className: 'RateLimiterDurableObject', useSQLite: true } },
    bindings,
    host: '127.0.0.1',
  });
  await mf.ready;
  return mf;
}
