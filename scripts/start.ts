/**
 * `npm start`: the whole API on this machine. Starts the inference container (the real model when it is
 * in the cache, else the tiny fixture, said loudly) and the edge under `wrangler dev` in front of it with
 * a freshly generated shared secret and admin token, waits until both answer, prints the URLs and curl
 * examples, and stops both cleanly on Ctrl-C. PORT (container, 7860) and EDGE_PORT (edge, 8787) override
 * the ports. The secrets reach the container in its environment and wrangler in a generated .dev.vars
 * file (scripts/lib/stack.ts), never on a command line, where `ps` would show them.
 */
import { randomBytes } from 'node:crypto';
import { EDGE_SECRET_HEADER } from '../shared/contract/headers.js';
import { HOST, isPortFree, startContainerProcess, startEdgeProcess, stopService, waitForReady, type Service } from './lib/stack.js';

function fail(message: string): never {
  console.error(`\nnpm start: ${message}\n`);
  process.exit(1);
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name} must be a port number from 1 to 65535, got '${raw}'`);
  return port;
}

const services: Service[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  stopping = true;
  await Promise.all(services.map((service) => stopService(service)));
  process.exit(code);
}

function watch(service: Service): Service {
  services.push(service);
  void service.exited.then((code) => {
    if (stopping) return;
    console.error(`\n${service.name} stopped unexpectedly (exit ${code}). Its last lines:\n${service.output.slice(-15).join('\n')}`);
    void stopAll(1);
  });
  return service;
}

async function ready(service: Service, path: string, headers: Record<string, string> = {}): Promise<Response> {
  try {
    return await waitForReady(service, path, headers);
  } catch (err) {
    stopping = true;
    await Promise.all(services.map((s) => stopService(s)));
    fail((err as Error).message);
  }
}

const containerPort = portFromEnv('PORT', 7860);
const edgePort = portFromEnv('EDGE_PORT', 8787);
if (containerPort === edgePort) fail(`PORT and EDGE_PORT are both ${edgePort}; choose two different ports`);
for (const [name, port, what] of [['PORT', containerPort, 'container'], ['EDGE_PORT', edgePort, 'edge']] as const) {
  if (!(await isPortFree(port))) fail(`port ${port} (${what}) is already in use on ${HOST}: stop what uses it, or set ${name}=<another port>`);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const echo = process.env.START_VERBOSE === '1';
const secret = randomBytes(24).toString('hex');
const adminToken = process.env.ADMIN_TOKEN || randomBytes(24).toString('hex');

console.log('Starting the inference container…');
const container = watch(startContainerProcess({ port: containerPort, secret, echo }));
await ready(container, '/health');
const status = (await (await ready(container, '/status', { [EDGE_SECRET_HEADER]: secret })).json()) as {
  model: { label: string; fixture: boolean; fixture_reason?: string };
};

console.log('Starting the edge (wrangler dev)…');
const edge = watch(startEdgeProcess({ port: edgePort, originUrls: [container.url], modelId: status.model.label, secret, adminToken, echo }));
await ready(edge, '/health');

const rule = '='.repeat(78);
if (status.model.fixture) {
  console.log(
    `\n${rule}\n  NOTICE: no NLLB-200 model in the cache, so the container serves the TINY TEST FIXTURE.\n` +
      `  It knows a few English/Swahili/French sentences and nothing else.\n  ${status.model.fixture_reason ?? ''}\n` +
      `  Get the real model (about 1 GB) with:   npm run models:fetch\n${rule}`,
  );
}
console.log(`
Sema Edge is running.
  edge (the public API):  ${edge.url}   docs: ${edge.url}/   OpenAPI: ${edge.url}/openapi.json
  inference container:    ${container.url}   (needs the shared secret; the edge has it)
  model:                  ${status.model.label}

Try it:
  curl -s ${edge.url}/api/v1/translate -H 'content-type: application/json' \\
       -d '{"text": "the child eats the bread", "source_language": "eng_Latn", "target_language": "swh_Latn"}'
  curl -s ${edge.url}/api/v1/detect-language -H 'content-type: application/json' -d '{"text": "Bonjour tout le monde"}'
  curl -s ${edge.url}/api/v1/languages/african
  curl -s ${edge.url}/health -H 'authorization: Bearer ${adminToken}'   (origin details; ADMIN_TOKEN sets it)

Ctrl-C stops both.`);
