// Entry of every inference worker thread. Registers tsx's ESM loader in this thread, then imports
// the TypeScript worker (workerData.entry). Node 20 does not apply a parent's `--import tsx` to the
// main module of a worker, and vitest runs tests without tsx at all: registering here works under
// tsx, vitest and plain node alike, whatever the current directory ('tsx/esm/api' resolves from
// this file's node_modules).
import { workerData } from 'node:worker_threads';

const entry = workerData && workerData.entry;
if (typeof entry !== 'string') throw new Error('worker-bootstrap.mjs needs workerData.entry');
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
