// Injectable time. The test clock is wall time plus an offset that only moves forward, so real
// transition delays still elapse while expiry (7 days) can be reached with one advance call.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class TestClock implements Clock {
  constructor(private offsetMs = 0) {}
  now(): number {
    return Date.now() + this.offsetMs;
  }
  get offset(): number {
    return this.offsetMs;
  }
  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }
}
