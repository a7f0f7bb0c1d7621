import "server-only";

/**
 * The store's one way to run background work: each task is a step that claims its own rows
 * in PostgreSQL (FOR UPDATE SKIP LOCKED or an advisory lock), so any number of loops on any
 * number of instances can run it. A loop repeats the step while it finds work, then sleeps
 * until its interval passes or it is woken.
 */
export type Task = {
  name: string;
  /** One unit of work; true if it found something to do (the loop goes again at once). */
  step: () => Promise<boolean>;
  /** Pause when there was nothing to do. */
  idleMs: number;
  /** Loops of this task on this instance. */
  concurrency?: number;
};

export type RunningTasks = {
  /** Wakes the sleeping loops of one task. */
  wake(name: string): void;
  stop(): Promise<void>;
};

export function runTasks(tasks: readonly Task[], log: (line: string) => void = console.error): RunningTasks {
  let stopped = false;
  const sleepers = new Map<string, Set<() => void>>();
  const loops: Array<Promise<void>> = [];

  const sleep = (name: string, ms: number) =>
    new Promise<void>((resolve) => {
      const set = sleepers.get(name) ?? new Set<() => void>();
      sleepers.set(name, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      set.add(done);
    });

  for (const task of tasks) {
    for (let i = 0; i < (task.concurrency ?? 1); i++) {
      loops.push(
        (async () => {
          while (!stopped) {
            let worked = false;
            try {
              worked = await task.step();
            } catch (error) {
              log(`[jobs] ${task.name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
            }
            if (!worked && !stopped) await sleep(task.name, task.idleMs);
          }
        })(),
      );
    }
  }
  return {
    wake(name) {
      for (const wake of [...(sleepers.get(name) ?? [])]) wake();
    },
    async stop() {
      stopped = true;
      for (const set of sleepers.values()) for (const wake of [...set]) wake();
      await Promise.all(loops);
    },
  };
}
