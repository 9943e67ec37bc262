/** Milliseconds since the epoch. Injected so tests can advance time instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
