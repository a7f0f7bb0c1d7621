/**
 * Fires time-based transitions (session expiry, delayed debit outcomes) when they fall due on
 * the virtual clock: a real timer covers the passage of time, `runDue` covers clock jumps and
 * is also called before each request. Due work is derived from the state, so it survives
 * restarts without bookkeeping.
 */
import type { Clock } from "./clock";

export interface DueSource {
  /** Earliest due time in virtual ms, or Infinity; called often, so it must not allocate. */
  nextDueAt: () => number;
  /** Runs everything due at or before `nowMs`. */
  fireDue: (nowMs: number) => void;
}

const MAX_TIMER_MS = 2_147_483_647;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private rearmQueued = false;

  constructor(
    private readonly clock: Clock,
    private readonly source: DueSource,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Coalesces bursts of changes into one re-plan after the current synchronous work. */
  rearmSoon(): void {
    if (this.rearmQueued) return;
    this.rearmQueued = true;
    queueMicrotask(() => {
      this.rearmQueued = false;
      this.rearm();
    });
  }

  rearm(): void {
    if (this.running || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.source.nextDueAt();
    if (next === Infinity) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - this.clock.nowMs()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.runDue();
    }, delay);
    this.timer.unref();
  }

  runDue(): void {
    if (this.running || this.stopped) return;
    if (this.source.nextDueAt() > this.clock.nowMs()) return;
    this.running = true;
    try {
      for (let round = 0; round < 100 && this.source.nextDueAt() <= this.clock.nowMs(); round++) {
        this.source.fireDue(this.clock.nowMs());
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
    this.rearm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
