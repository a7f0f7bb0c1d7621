/**
 * Virtual time: real time plus an offset that only moves forward, so tests can jump past
 * expiries and delayed payment outcomes without waiting while real timers keep working.
 */
export class Clock {
  constructor(private offset = 0) {}

  get offsetMs(): number {
    return this.offset;
  }

  nowMs(): number {
    return Date.now() + this.offset;
  }

  /** Unix seconds, the unit of every Stripe timestamp. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    this.offset += Math.round(seconds * 1000);
  }

  reset(offsetMs = 0): void {
    this.offset = offsetMs;
  }

  describe(): { now: number; now_ms: number; iso: string; offset_seconds: number } {
    const nowMs = this.nowMs();
    return {
      now: Math.floor(nowMs / 1000),
      now_ms: nowMs,
      iso: new Date(nowMs).toISOString(),
      offset_seconds: this.offset / 1000,
    };
  }
}
