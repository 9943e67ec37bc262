import type { Clock } from '../clock.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

/** The first wait before an opened circuit is probed; it doubles after every failed probe, up to the cool-down. */
export const FIRST_PROBE_AFTER_MS = 1000;

/**
 * A probe that failed this fast (a refused connection, an immediate error answer) cost the request that
 * made it next to nothing, so the wait does not grow: a container restarting on its port refuses
 * connections until it listens, and is then found within FIRST_PROBE_AFTER_MS. Only slow failures (a
 * hung origin: the probe ran into its timeout) double the wait.
 */
export const CHEAP_FAILURE_MS = 250;

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** The longest an open circuit refuses calls before a half-open probe (the backoff's cap). */
  cooldownMs: number;
  /** The first, shortest wait before a probe. Default FIRST_PROBE_AFTER_MS (never more than cooldownMs). */
  firstProbeAfterMs?: number;
}

/**
 * A circuit breaker for one origin, per isolate.
 * closed → (failureThreshold consecutive failures) → open → (wait elapsed) → half_open: exactly one
 * probe call; its success closes the circuit, its failure re-opens it.
 *
 * The wait is a backoff, not one fixed cool-down: firstProbeAfterMs (1 s) after the circuit opens,
 * doubling after each slow failed probe up to cooldownMs (a cheap one, CHEAP_FAILURE_MS, keeps 1 s),
 * reset when a probe succeeds. A container that
 * restarts is back within seconds, and a fixed 10 s cool-down kept answering 503 for most of it after
 * it was ready (the soak measured up to 4.8 s); a dead one is still asked ever more rarely. Probing is
 * cheap because the pool's probe is GET /health with a short timeout (edge/origin/pool.ts), not a
 * client's request. A Worker has no timers between requests, so a probe is made by the first request
 * that finds the wait over.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  /** How long the circuit stays open this time (the backoff's current step). */
  private openForMs = 0;
  private probeInFlight = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  /** The state as /health reports it (an open circuit past its wait reads as half_open). */
  get circuit(): CircuitState {
    if (this.state === 'open' && this.cooldownRemainingMs() === 0) return 'half_open';
    return this.state;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  /** Milliseconds until an open circuit admits a probe; 0 when not open or already due. */
  cooldownRemainingMs(): number {
    if (this.state !== 'open') return 0;
    return Math.max(0, this.openedAt + this.openForMs - this.clock.now());
  }

  /** Whether a call may go to this origin now, without reserving anything. */
  isAvailable(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') return this.cooldownRemainingMs() === 0;
    return !this.probeInFlight;
  }

  /** Whether the call tryAcquire() just allowed is the half-open probe (the pool checks /health first). */
  get probing(): boolean {
    return this.state === 'half_open' && this.probeInFlight;
  }

  /** Reserves a call: true when allowed; in half-open only one probe at a time is allowed. */
  tryAcquire(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.cooldownRemainingMs() > 0) return false;
      this.state = 'half_open';
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.state = 'closed';
    this.consecutiveFailures = 0;
    this.openForMs = 0;
    this.probeInFlight = false;
  }

  /** `elapsedMs`: how long the failed call took (a probe that failed within CHEAP_FAILURE_MS keeps the shortest wait). */
  onFailure(elapsedMs = Number.POSITIVE_INFINITY): void {
    this.consecutiveFailures++;
    if (this.state === 'half_open') {
      // The probe failed: a slow failure waits twice as long (up to the cool-down), a cheap one as little as at first.
      const first = Math.min(this.options.firstProbeAfterMs ?? FIRST_PROBE_AFTER_MS, this.options.cooldownMs);
      this.open(elapsedMs <= CHEAP_FAILURE_MS ? first : Math.min(this.options.cooldownMs, this.openForMs * 2));
    } else if (this.state === 'closed' && this.consecutiveFailures >= this.options.failureThreshold) {
      this.open(Math.min(this.options.firstProbeAfterMs ?? FIRST_PROBE_AFTER_MS, this.options.cooldownMs));
    }
    // Open already: calls that were in flight when it opened fail too; they neither extend nor restart the wait.
    this.probeInFlight = false;
  }

  private open(forMs: number): void {
    this.state = 'open';
    this.openForMs = Math.max(0, forMs);
    this.openedAt = this.clock.now();
  }

  /** A call that ended without saying anything about the origin's health (e.g. the client went away). */
  release(): void {
    this.probeInFlight = false;
  }
}
