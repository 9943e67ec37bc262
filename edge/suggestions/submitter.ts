import type { Context } from 'hono';
import { AppError } from '../../shared/errors.js';
import type { EdgeEnv, EdgeServices } from '../context.js';
import { identifyClient } from '../ratelimit/client-key.js';
import type { Corrections, Submitter } from './corrections.js';

/** The corrections service, or 403 SUGGESTIONS_DISABLED in LibreTranslate's words while SUGGESTIONS is off. */
export function correctionsOf(services: EdgeServices): Corrections {
  const corrections = services.corrections;
  if (!corrections) throw new AppError('SUGGESTIONS_DISABLED', 'Suggestions are disabled on this server.');
  return corrections;
}

/**
 * Who sends a suggestion: the client's rate-limit bucket (API key hash, else IP group), by the rules of
 * edge/ratelimit/client-key.ts; an invalid API key is refused (401; LibreTranslate's routes say 403).
 */
export async function submitterOf<E extends EdgeEnv>(c: Context<E>, bodyApiKey: string | undefined): Promise<Submitter> {
  // A route's env only adds variables to the edge's; identifyClient reads none of them.
  const edgeContext = c as unknown as Context<EdgeEnv>;
  const { limits, ipv6PrefixBits } = edgeContext.get('services').config;
  const identity = await identifyClient(edgeContext, bodyApiKey, {
    requestsPerWindow: limits.RATE_LIMIT_PER_MINUTE,
    costPerWindow: limits.COST_BUDGET_PER_MINUTE,
    ipv6PrefixBits,
  });
  if (identity.refusal) throw identity.refusal;
  return { bucket: identity.bucket, kind: identity.kind };
}
