import type { Context } from 'hono';
import { DETECT_COST, estimateCost } from '../../shared/cost.js';
import { validateLtTranslateRequest, validateTranslateRequest } from '../../shared/contract/validate.js';
import { readLimited } from '../../shared/http/json-body.js';
import type { Limits } from '../../shared/limits.js';

/** The translate routes and the validator of each body; every other limited route costs DETECT_COST. */
const TRANSLATE_VALIDATORS: Record<string, typeof validateTranslateRequest> = {
  '/api/v1/translate': validateTranslateRequest,
  '/translate': validateLtTranslateRequest,
};

/** What a body that fails validation costs the work budget: it runs no model (its request still counts). */
const INVALID_COST = 0;

/**
 * The request's estimated model work (shared/cost.ts, the edge's number), read before the route runs:
 * from a clone of the body, so the route's own reader (shared/http/json-body.ts) still gets the whole
 * stream and still answers 415/413/400 itself. A body that is not valid JSON within MAX_BODY_BYTES, or
 * not a valid request, costs INVALID_COST: validation refuses it with its own code before any model runs.
 */
export async function requestCost(c: Context, path: string, limits: Limits): Promise<number> {
  const validate = TRANSLATE_VALIDATORS[path];
  if (!validate) return DETECT_COST;
  const text = await readClone(c.req.raw, limits.MAX_BODY_BYTES);
  if (text === undefined) return INVALID_COST;
  try {
    return estimateCost(validate(JSON.parse(text) as unknown, limits));
  } catch {
    return INVALID_COST;
  }
}

async function readClone(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readLimited(request.clone().body, maxBytes));
  } catch {
    return undefined; // over the limit or not UTF-8: the route's own reader answers it
  }
}
