import { DETECT_COST, estimateCost, type CostRequest } from '../../shared/cost.js';

/** The translate routes; every other limited route costs DETECT_COST. */
const TRANSLATE_PATHS = new Set(['/api/v1/translate', '/translate']);

function isCostRequest(input: unknown): input is CostRequest {
  return typeof input === 'object' && input !== null && 'texts' in input && 'options' in input;
}

/**
 * The request's estimated model work (shared/cost.ts, the edge's number), from the request as the
 * route's own validation left it (`c.var.input`, shared/http/validated-body.ts): the body is read and
 * parsed once, by the route, and a request that fails validation is refused with its own code before it
 * is charged, as at the edge (edge/ratelimit/middleware.ts).
 */
export function requestCost(path: string, input: unknown): number {
  return TRANSLATE_PATHS.has(path) && isCostRequest(input) ? estimateCost(input) : DETECT_COST;
}
