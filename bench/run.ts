/**
 * `npm run bench [-- [NAME] [ARGS…]]`: runs one benchmark, the engine benchmark by default.
 *
 *   npm run bench                      # = npx tsx bench/engine.ts
 *   npm run bench -- engine --quick    # = npx tsx bench/engine.ts --quick
 *   npm run bench -- edge              # = npx tsx bench/edge.ts
 *   npm run bench -- trust             # = npx tsx bench/trust.ts
 *   npm run bench -- fairness          # = npx tsx bench/fairness.ts
 *   npm run bench -- --list            # lists the benchmarks
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

const BENCHES: Record<string, { file: string; about: string }> = {
  engine: {
    file: 'bench/engine.ts',
    about: 'NLLB engine on the bench preset (600M dimensions): batching, KV cache, vs transformers.js, memory, threading → "## Engine" of bench/RESULTS.md',
  },
  'engine-kv': { file: 'bench/engine-kv.ts', about: 'quick decoder ms/token with and without the KV cache (any model folder, default models/tiny)' },
  soak: { file: 'bench/soak.ts', about: 'load and soak through edge + container (≤ 2 min, fixed rate, mixed traffic) → "## Soak" of bench/RESULTS.md' },
  html: { file: 'bench/html.ts', about: 'HTML parse + reassembly overhead per KB vs model time (bench preset) → "## HTML" of bench/RESULTS.md' },
  trust: { file: 'bench/trust.ts', about: 'placeholder masking, segmentation and omission-guard cost per sentence vs the model (bench preset), guard retry rate on the tiny corpus → "## Trust" of bench/RESULTS.md' },
  fairness: { file: 'bench/fairness.ts', about: 'noisy neighbour: light clients alone vs beside one heavy client at its budget, through the edge (tiny) and at the container (bench preset) → "## Fairness" of bench/RESULTS.md' },
  edge: { file: 'bench/edge.ts', about: 'edge worker under wrangler dev: trivial route, cache hit, cache miss → "## Edge" of bench/RESULTS.md' },
};

function list(): string {
  return Object.entries(BENCHES)
    .filter(([, b]) => existsSync(join(ROOT, b.file)))
    .map(([name, b]) => `  npx tsx ${b.file.padEnd(20)} ${name === 'engine' ? '(default) ' : ''}${b.about}`)
    .join('\n');
}

const argv = process.argv.slice(2);
if (argv[0] === '--list' || argv[0] === 'list') {
  console.log(`benchmarks (npm run bench -- NAME [ARGS]):\n${list()}`);
  process.exit(0);
}
const name = argv[0] !== undefined && argv[0] in BENCHES ? argv.shift()! : 'engine';
const bench = BENCHES[name]!;
console.error(`running ${bench.file}${argv.length ? ` ${argv.join(' ')}` : ''}; other benchmarks:\n${list()}\n`);
const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, bench.file), ...argv], { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
