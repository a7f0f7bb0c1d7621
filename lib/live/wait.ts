import "server-only";
import { orderHub, StreamLimitError } from "./hub";

/**
 * Waits up to `timeoutMs` for an order to change (its NOTIFY, through this instance's hub), if
 * `stillWaiting` says it has not already. Costs a database read, never a Stripe call. Returns
 * at once when the hub cannot take another listener: the caller then shows what it has.
 */
export async function waitForOrderChange(
  orderId: string,
  timeoutMs: number,
  stillWaiting: () => Promise<boolean>,
): Promise<void> {
  let wake: () => void = () => undefined;
  const changed = new Promise<void>((resolve) => (wake = resolve));
  let unsubscribe: () => void;
  try {
    unsubscribe = await orderHub().subscribe(orderId, () => wake());
  } catch (error) {
    if (error instanceof StreamLimitError) return;
    throw error;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // Subscribed first, then checked: a change in between is not missed.
    if (!(await stillWaiting())) return;
    await Promise.race([changed, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}
