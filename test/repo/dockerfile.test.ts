import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

/** Dockerfile instructions: continuation lines joined, comments dropped. */
function instructions(dockerfile: string): { op: string; args: string }[] {
  return dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const all = instructions(read('Dockerfile'));
const lastFrom = all.map((i) => i.op).lastIndexOf('FROM');
const runtime = all.slice(lastFrom);
const envOf = (stage: typeof all) => stage.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');

describe('Dockerfile', () => {
  it('is multi-stage on Node 22 slim', () => {
    const froms = all.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^node:22[\w.-]*-slim\b/);
  });

  it('installs production dependencies with npm ci, without onnxruntime-node\'s CUDA download', () => {
    const ci = all.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(ci).toBeGreaterThan(-1);
    expect(all[ci]!.args).toContain('--omit=dev');
    const stageStart = all.slice(0, ci).map((i) => i.op).lastIndexOf('FROM');
    const before = all.slice(stageStart, ci + 1).map((i) => i.args).join(' ');
    expect(before).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip/);
    // the lock file is what npm ci installs from
    expect(all.some((i) => i.op === 'COPY' && i.args.includes('package-lock.json'))).toBe(true);
  });

  it('runs as uid 1000 (Spaces) after the last root step', () => {
    const user = runtime.findIndex((i) => i.op === 'USER');
    expect(user).toBeGreaterThan(-1);
    expect(runtime[user]!.args).toMatch(/^(1000|node)(:\S+)?$/);
    expect(runtime.slice(user + 1).some((i) => i.op === 'USER' || i.op === 'RUN')).toBe(false);
  });

  it('listens on 7860 and checks /health without curl', () => {
    expect(runtime.some((i) => i.op === 'EXPOSE' && /\b7860\b/.test(i.args))).toBe(true);
    expect(envOf(runtime)).toMatch(/\bPORT=7860\b/);
    const health = runtime.find((i) => i.op === 'HEALTHCHECK');
    expect(health?.args).toMatch(/CMD .*node.*fetch\(.*\/health/);
  });

  it('has a writable model cache for the node user', () => {
    const env = envOf(runtime);
    const hfHome = /\bHF_HOME=(\S+)/.exec(env)?.[1];
    const home = /\bHOME=(\S+)/.exec(env)?.[1];
    // either HF_HOME is set, or the config's default ($HOME/.cache/huggingface, /data when mounted) applies
    const cacheDir = hfHome ?? `${home}/.cache/huggingface`;
    expect(cacheDir).toMatch(/^\/(home\/node|data)\b/);
    const runs = runtime.filter((i) => i.op === 'RUN').map((i) => i.args).join(' ; ');
    expect(runs).toContain(`mkdir -p ${cacheDir}`);
    expect(runs).toMatch(/chown -R (node:node|1000:1000) \/home\/node/);
  });

  it('ships the fixture model and the LID model, and starts the server with node as PID 1', () => {
    const copies = runtime.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies.some((c) => /\bmodels\/tiny\b/.test(c))).toBe(true);
    expect(copies.some((c) => /\bmodels\/lid\b/.test(c))).toBe(true);
    const cmd = runtime.find((i) => i.op === 'CMD')?.args ?? '';
    expect(cmd).toMatch(/^\["node",.*"inference\/server\.ts"\]$/);
  });

  it('has every runtime tool in dependencies, since dev dependencies are not installed', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const cmd = runtime.find((i) => i.op === 'CMD')?.args ?? '';
    if (cmd.includes('tsx')) expect(Object.keys(pkg.dependencies)).toContain('tsx');
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, git history, secrets and model downloads out of the build context', () => {
    const ignored = read('.dockerignore').split(/\r?\n/).map((l) => l.trim());
    for (const entry of ['node_modules', '.git', 'models/bench', '.wrangler', '.dev.vars']) expect(ignored).toContain(entry);
    expect(ignored).not.toContain('models/tiny');
    expect(ignored).not.toContain('models/lid');
  });
});

describe('README.md (the Space card)', () => {
  it('starts with the Spaces front matter for a Docker Space on port 7860', () => {
    const readme = read('README.md');
    const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(readme);
    expect(match).not.toBeNull();
    expect(match![1]).toMatch(/^sdk: docker$/m);
    expect(match![1]).toMatch(/^app_port: 7860$/m);
  });
});
