/** The time, read here only: services get a Clock in their options, core gets the time as an argument. */
export interface Clock {
  /** Milliseconds since the epoch: what is written down (a proof's `at`) and deadlines. */
  now(): number;
  /** A monotonic count of milliseconds, for how long something took (it never goes back when the wall clock is set). */
  elapsed(): number;
}

export const systemClock: Clock = { now: () => Date.now(), elapsed: () => performance.now() };
