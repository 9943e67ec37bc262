import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DropConnection, FakeOriginLogic } from './fake-origin-core.js';

export * from './fake-origin-core.js';

/**
 * A small real HTTP origin on 127.0.0.1 implementing the inference container's contract
 * deterministically (see fake-origin-core.ts), with fault-injection knobs (`origin.logic.knobs`:
 * delay, status, garbage body, close socket, model, partial answers) and counters of the calls it
 * received (`origin.logic.calls`, `origin.logic.received`).
 *
 *   const origin = await startFakeOrigin();
 *   origin.url            // http://127.0.0.1:<port>
 *   await origin.kill();  // stop listening and drop every open connection (connect refused afterwards)
 *   await origin.restart(); // listen again on the same port
 */
export interface FakeOrigin {
  readonly url: string;
  readonly port: number;
  readonly logic: FakeOriginLogic;
  kill(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeOrigin(options: { port?: number; name?: string; logic?: FakeOriginLogic } = {}): Promise<FakeOrigin> {
  const logic = options.logic ?? new FakeOriginLogic(options.name);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = options.port ?? 0;

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const aborter = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborter.abort(new Error('client went away'));
    });
    try {
      const body = await readBody(req);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
        else if (Array.isArray(value)) headers.set(name, value.join(', '));
      }
      const request = new Request(`http://127.0.0.1:${port}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
      });
      const response = await logic.handle(request, aborter.signal);
      const payload = Buffer.from(await response.arrayBuffer());
      const outHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (outHeaders[name] = value));
      outHeaders['content-length'] = String(payload.length);
      res.writeHead(response.status, outHeaders);
      res.end(payload);
    } catch (err) {
      if (err instanceof DropConnection || aborter.signal.aborted) {
        req.socket.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((req, res) => void handler(req, res));
      next.keepAliveTimeout = 1_000;
      next.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as AddressInfo).port;
        server = next;
        resolve();
      });
    });

  const kill = () =>
    new Promise<void>((resolve) => {
      const current = server;
      server = undefined;
      if (!current) return resolve();
      current.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });

  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    logic,
    kill,
    restart: async () => {
      if (!server) await listen();
    },
    close: kill,
  };
}
