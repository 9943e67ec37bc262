import type { Clock } from '../clock.js';

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one half-open probe is let through. */
  cooldownMs: number;
}

/**
 * A circuit breaker for one origin, per isolate.
 * closed → (failureThreshold consecutive failures) → open → (cool-down elapsed) → half_open: exactly one
 * probe call; its success closes the circuit, its failure re-opens it for another cool-down.
 */
export class CircuitBreaker {
  private state: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  /** The state as /health reports it (an open circuit past its cool-down reads as half_open). */
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
    return Math.max(0, this.openedAt + this.options.cooldownMs - this.clock.now());
  }

  /** Whether a call may go to this origin now, without reserving anything. */
  isAvailable(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') return this.cooldownRemainingMs() === 0;
    return !this.probeInFlight;
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
    this.probeInFlight = false;
  }

  onFailure(): void {
    this.consecutiveFailures++;
    if (this.state === 'half_open' || this.consecutiveFailures >= this.options.failureThreshold) {
      this.state = 'open';
      this.openedAt = this.clock.now();
    }
    this.probeInFlight = false;
  }

  /** A call that ended without saying anything about the origin's health (e.g. the client went away). */
  release(): void {
    this.probeInFlight = false;
  }
}
