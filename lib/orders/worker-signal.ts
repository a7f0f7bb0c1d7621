/**
 * How this instance's webhook route and settle workers share the event loop. The worker is
 * woken the moment a delivery is recorded, so an event is settled right after its 2xx instead
 * of at the next poll (other instances find it by polling). And the route goes first: a
 * delivery is what Stripe waits on, while a recorded event can wait a moment, so under a burst
 * each settle step waits for a gap between deliveries (bounded, so settling never stops).
 */
type Listener = () => void;

// On globalThis: Next bundles instrumentation (which starts the workers) and the route handlers
// separately, so a module-level variable would exist once per bundle, and the route would
// signal workers that are not listening.
const shared = globalThis as unknown as {
  storefrontWorkerSignal?: { listeners: Set<Listener>; quietWaiters: Set<Listener>; deliveriesInFlight: number };
};
const state = (shared.storefrontWorkerSignal ??= {
  listeners: new Set<Listener>(),
  quietWaiters: new Set<Listener>(),
  deliveriesInFlight: 0,
});
const { listeners, quietWaiters } = state;

/** Registers a worker to wake; returns the function that unregisters it. */
export function onRecorded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells this instance's workers that an event is waiting. */
export function announceRecorded(): void {
  for (const listener of listeners) listener();
}

/** Runs one webhook delivery's handling, counted as in flight while it runs. */
export async function asDelivery<T>(handle: () => Promise<T>): Promise<T> {
  state.deliveriesInFlight += 1;
  try {
    return await handle();
  } finally {
    state.deliveriesInFlight -= 1;
    if (state.deliveriesInFlight === 0) for (const wake of [...quietWaiters]) wake();
  }
}

/** Resolves when no delivery is being handled on this instance, or after `maxWaitMs`. */
export function deliveriesQuiet(maxWaitMs: number): Promise<void> {
  if (state.deliveriesInFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      quietWaiters.delete(done);
      resolve();
    };
    const timer = setTimeout(done, maxWaitMs);
    quietWaiters.add(done);
  });
}

/**
 * A settle step that lets deliveries go first while settling keeps up: it waits up to
 * `maxWaitMs` for a gap between deliveries, unless the last group it settled had been due for
 * `behindMs` or more, so a long burst of deliveries cannot starve settling. Shared by one
 * instance's workers. The step resolves to whether there was something to settle.
 */
export function yieldingSettleStep(
  settle: () => Promise<{ waitedMs: number } | null>,
  { maxWaitMs, behindMs }: { maxWaitMs: number; behindMs: number },
): () => Promise<boolean> {
  let behind = false;
  return async () => {
    if (!behind) await deliveriesQuiet(maxWaitMs);
    const step = await settle();
    behind = step !== null && step.waitedMs >= behindMs;
    return step !== null;
  };
}
