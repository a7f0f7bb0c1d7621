/**
 * Wakes this instance's settle workers the moment a delivery is recorded, so an event is
 * settled right after its 2xx instead of at the next poll. Other instances find it by polling.
 */
type Listener = () => void;

const listeners = new Set<Listener>();

/** Registers a worker to wake; returns the function that unregisters it. */
export function onRecorded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells this instance's workers that an event is waiting. */
export function announceRecorded(): void {
  for (const listener of listeners) listener();
}
