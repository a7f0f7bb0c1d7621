import "server-only";
import { type HubStreamResult, openHubStream } from "@/lib/live/hub-stream";
import { findOrderForShopper, loadShopperOrder, type ShopperOrder } from "./read";

/** The version of an order's state, used as the SSE event id for Last-Event-ID resume. */
function versionOf(order: ShopperOrder): string {
  return String(new Date(order.updatedAt).getTime());
}

export type OrderStreamResult = { kind: "not_found" } | HubStreamResult;

/**
 * A Server-Sent Events stream of one order's status, for its shopper: a `status` frame on
 * connect (skipped when Last-Event-ID shows the client already has this version), then one on
 * every change, and a comment line every 15 s so proxies keep the connection open. The
 * subscription ends when the client goes away.
 */
export async function openOrderStream(
  orderId: string,
  token: string | null,
  lastEventId: string | null,
  signal: AbortSignal,
  /** The client's address: one client may hold only a few streams open. */
  client: string | null = null,
): Promise<OrderStreamResult> {
  const initial = await findOrderForShopper(orderId, token);
  if (!initial) return { kind: "not_found" };

  let lastSent = lastEventId;
  return openHubStream(orderId, client, signal, (write, isClosed) => {
    const send = (order: ShopperOrder) => {
      if (versionOf(order) === lastSent) return;
      lastSent = versionOf(order);
      write(`event: status\nid: ${lastSent}\ndata: ${JSON.stringify(order)}\n\n`);
    };
    let reading = Promise.resolve();
    const onChange = () => {
      // Re-reads run one after another so frames go out in the order changes happened.
      reading = reading.then(async () => {
        if (isClosed()) return;
        const order = await loadShopperOrder(orderId).catch(() => null);
        if (order) send(order);
      });
    };
    send(initial);
    // A change committed between the first read and the subscription is not lost.
    onChange();
    return onChange;
  });
}
