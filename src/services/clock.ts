// Every rule reads time from a Clock, so tests can set "now". Session expiry does not: it
// follows the real clock (API.md).
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Starts at the real time and moves only when set (TAMARACK_TEST_CLOCK=1). */
export class SettableClock implements Clock {
  private current: Date;
  constructor(start: Date = new Date()) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date): void {
    this.current = new Date(at.getTime());
  }
}
