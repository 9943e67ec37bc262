import { describe, expect, it } from 'vitest';
import { DRAIN_LIMIT_BYTES } from '../../edge/middleware/body.js';
import { DEFAULT_LIMITS } from '../../shared/limits.js';
import { errorOf, harness } from './harness.js';

/**
 * What the body limit does with the rest of an oversized body (edge/middleware/body.ts): the rules that
 * keep a client's kept-alive connection usable (test/e2e/keep-alive.test.ts checks that end to end
 * under wrangler dev). Through the harness (app.fetch): a stream body reaches the app as it is.
 */
const LIMIT = DEFAULT_LIMITS.MAX_BODY_BYTES;
const CHUNK = 4096;

/** `total` bytes of a JSON string body in CHUNK-sized pulls, recording what the edge pulled and whether it cancelled. */
function countedBody(total: number): { body: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  const [head, tail] = ['{"text":"', '","target_language":"en"}'];
  const bytes = new TextEncoder().encode(head + 'a'.repeat(total - head.length - tail.length) + tail);
  let offset = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + CHUNK));
        offset += CHUNK;
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 }, // pulled only when read
  );
  return { body, pulled: () => Math.min(offset, bytes.length), cancelled: () => cancelled };
}

async function post(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const h = harness();
  const response = await h.request('/api/v1/translate', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  expect(response.status).toBe(413);
  expect((await errorOf(response)).code).toBe('BODY_TOO_LARGE');
  expect(h.origins.a!.calls.total).toBe(0);
}

describe('the rest of an oversized body', () => {
  it('with Content-Length over the limit: refused without reading or cancelling it (the runtime discards it)', async () => {
    const { body, pulled, cancelled } = countedBody(LIMIT + 10_000);
    await post(body, { 'content-length': String(LIMIT + 10_000) });
    expect(pulled()).toBe(0);
    expect(cancelled()).toBe(false);
  });

  it('chunked, a little over the limit: read to its end before the 413, so the connection can carry the next request', async () => {
    const total = LIMIT + 10_000;
    const { body, pulled, cancelled } = countedBody(total);
    await post(body);
    expect(pulled()).toBe(total);
    expect(cancelled()).toBe(false);
  });

  it('chunked and huge: reading stops (the stream is cancelled) after DRAIN_LIMIT_BYTES past the limit', async () => {
    const total = LIMIT + DRAIN_LIMIT_BYTES * 3;
    const { body, pulled, cancelled } = countedBody(total);
    await post(body);
    expect(cancelled()).toBe(true);
    expect(pulled()).toBeGreaterThan(LIMIT + DRAIN_LIMIT_BYTES);
    expect(pulled()).toBeLessThanOrEqual(LIMIT + DRAIN_LIMIT_BYTES + 2 * CHUNK);
  });
});
