/** Promise plumbing for "wait until idle" and cancellable sleeps. */
export class Waiters {
  private readonly pending = new Set<{ condition: () => boolean; resolve: (met: boolean) => void }>();
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  wait(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const entry = {
        condition,
        resolve: (met: boolean) => {
          clearTimeout(timer);
          this.pending.delete(entry);
          resolve(met);
        },
      };
      const timer = setTimeout(() => entry.resolve(condition()), timeoutMs);
      this.pending.add(entry);
    });
  }

  /** Call after any change that might satisfy a waiter. */
  check(): void {
    for (const entry of [...this.pending]) if (entry.condition()) entry.resolve(true);
  }

  releaseAll(): void {
    for (const entry of [...this.pending]) entry.resolve(entry.condition());
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeps.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.sleeps.add(entry);
    });
  }

  cancelSleeps(): void {
    for (const entry of this.sleeps) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    this.sleeps.clear();
  }
}
