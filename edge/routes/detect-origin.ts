import type { Context } from 'hono';
import type { DetectResponse } from '../../shared/contract/detect.js';
import type { DetectRouteEnv } from './shared.js';

/**
 * The origin's detection of a validated detect request, with this request's id (both detect routes);
 * the origin call is aborted when the client goes away (detections are not shared, so nobody else waits).
 */
export async function detectAtOrigin(c: Context<DetectRouteEnv>): Promise<DetectResponse> {
  const input = c.get('input');
  const detection = await c.get('services').origin.detect(
    { text: input.text, top_k: input.topK },
    { requestId: c.get('requestId'), clientIp: c.get('clientIp'), signal: c.req.raw.signal },
  );
  return { ...detection, request_id: c.get('requestId') };
}
