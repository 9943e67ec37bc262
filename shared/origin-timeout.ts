import type { EnvVarSpec } from './env-var.js';
import { integerVar } from './env-var.js';

/**
 * ORIGIN_TIMEOUT_MS is the edge's bound on one origin call (a retry on another origin included). The
 * container's REQUEST_DEADLINE_MS must end before it, so that a slow request is answered by the
 * container itself (504 DEADLINE_EXCEEDED, its work cancelled) instead of being abandoned by the edge
 * mid-flight. The rule, shared by both configs:
 * - the container's default deadline is ORIGIN_TIMEOUT_MS minus a margin (see below), using the
 *   ORIGIN_TIMEOUT_MS of its own env when set there (same value as the edge's), else the edge's default;
 * - when the container's env sets both, a REQUEST_DEADLINE_MS >= ORIGIN_TIMEOUT_MS is refused at start.
 */
export const DEFAULT_ORIGIN_TIMEOUT_MS = 30_000;

/** Below ~100 ms no translation can finish; a smaller value is a typo (seconds meant as ms). */
export const ORIGIN_TIMEOUT_VAR: EnvVarSpec<number> = integerVar(100);

/** The margin: 5 s, or a fifth of a short timeout (so a 4 s timeout still leaves the container 3.2 s). */
export function defaultRequestDeadlineMs(originTimeoutMs: number): number {
  return originTimeoutMs - Math.min(5_000, Math.ceil(originTimeoutMs / 5));
}
