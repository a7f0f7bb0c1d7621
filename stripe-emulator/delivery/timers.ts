/**
 * Retry timers, plus retries that fell due while delivery was paused ("parked"), which are
 * released when the pause ends.
 */
export class RetryTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly parked = new Set<string>();

  get pending(): number {
    return this.timers.size;
  }

  schedule(id: string, delayMs: number, fire: (id: string) => void): void {
    this.cancel(id);
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        fire(id);
      }, delayMs),
    );
  }

  park(id: string): void {
    this.parked.add(id);
  }

  releaseParked(): string[] {
    const ids = [...this.parked];
    this.parked.clear();
    return ids;
  }

  cancel(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.parked.delete(id);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.parked.clear();
  }
}
