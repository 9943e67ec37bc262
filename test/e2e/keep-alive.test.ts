import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, TranslationResultSchema } from '../../shared/contract/index.js';
import { DEFAULT_LIMITS } from '../../shared/limits.js';
import { launchStack, type Service, type Stack } from './harness.js';

/**
 * An early 413 leaves the client's kept-alive connection usable: an oversized body and then a valid
 * request on ONE connection (Agent keepAlive, maxSockets 1) through `wrangler dev` in front of the
 * real container. Both must be answered by the Worker with the JSON envelope; cancelling the unread
 * body made wrangler's proxy answer the second one with its own text/plain 503 "Your worker restarted
 * mid-request" (edge/middleware/body.ts says what is done instead).
 */
let stack: Stack | undefined;
let container: Service;
let edge: Service;

beforeAll(async () => {
  stack = await launchStack();
  ({ container, edge } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

interface Answer {
  status: number;
  contentType: string;
  body: string;
  socket: Socket;
}

/** One POST on `agent`; `chunked` sends the body in pieces without Content-Length. */
function post(agent: Agent, path: string, body: Buffer, chunked = false): Promise<Answer> {
  const { hostname, port } = new URL(edge.url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.77' };
    if (!chunked) headers['content-length'] = String(body.length);
    const req = request({ hostname, port, path, method: 'POST', agent, headers, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks).toString('utf8'), socket: req.socket as Socket }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${path} timed out`)));
    if (chunked) {
      for (let offset = 0; offset < body.length; offset += 16 * 1024) req.write(body.subarray(offset, offset + 16 * 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

const oversized = Buffer.from(JSON.stringify({ text: 'a'.repeat(DEFAULT_LIMITS.MAX_BODY_BYTES + 10_000), target_language: 'swh_Latn' }));
const valid = Buffer.from(JSON.stringify({ text: 'the child eats the bread', source_language: 'eng_Latn', target_language: 'swh_Latn' }));

describe('an oversized body, then a valid request, on one kept-alive connection', () => {
  it.each([
    ['with Content-Length', false],
    ['chunked (no Content-Length)', true],
  ])('%s: 413 BODY_TOO_LARGE, then 200, both JSON from the Worker, on the same socket', async (_name, chunked) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await post(agent, '/api/v1/translate', oversized, chunked);
      expect(refused.status, refused.body).toBe(413);
      expect(refused.contentType).toContain('application/json');
      expect(ErrorBodySchema.parse(JSON.parse(refused.body)).error.code).toBe('BODY_TOO_LARGE');

      const next = await post(agent, '/api/v1/translate', valid);
      expect(next.status, next.body).toBe(200);
      expect(next.contentType).toContain('application/json');
      expect(TranslationResultSchema.parse(JSON.parse(next.body)).translated_text).toBe('mtoto anakula mkate');
      expect(next.socket).toBe(refused.socket);
    } finally {
      agent.destroy();
    }
  });
});
