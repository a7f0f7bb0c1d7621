/**
 * Fires time-based transitions (session expiry, delayed debit outcomes) when they fall due on
 * the virtual clock: a real timer handles the passage of time, `runDue` handles clock jumps.
 * Due work is derived from the state each time, so it survives restarts without bookkeeping.
 */
import type { Clock } from "./clock";

export interface DueItem {
  dueAtMs: number;
  run: () => void;
}

const MAX_TIMER_MS = 2_147_483_647;

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly collect: () => DueItem[],
    private readonly onError: (error: unknown) => void,
  ) {}

  rearm(): void {
    if (this.running || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let next = Infinity;
    for (const item of this.collect()) next = Math.min(next, item.dueAtMs);
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
    this.running = true;
    try {
      for (let round = 0; round < 100; round++) {
        const now = this.clock.nowMs();
        const due = this.collect()
          .filter((item) => item.dueAtMs <= now)
          .sort((a, b) => a.dueAtMs - b.dueAtMs);
        if (due.length === 0) break;
        for (const item of due) item.run();
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
