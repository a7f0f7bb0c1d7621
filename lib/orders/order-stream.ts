import "server-only";
import { orderHub, StreamLimitError } from "@/lib/live/hub";
import { HEARTBEAT_MS, trackStream } from "@/lib/live/streams";
import { findOrderForShopper, loadShopperOrder, type ShopperOrder } from "./read";

const encoder = new TextEncoder();

/** The version of an order's state, used as the SSE event id for Last-Event-ID resume. */
function versionOf(order: ShopperOrder): string {
  return String(new Date(order.updatedAt).getTime());
}

export type OrderStreamResult =
  { kind: "not_found" } | { kind: "busy"; message: string } | { kind: "stream"; body: ReadableStream<Uint8Array> };

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

  let onChange: () => void = () => undefined;
  let unsubscribe: () => void;
  try {
    unsubscribe = await orderHub().subscribe(orderId, () => onChange(), client);
  } catch (error) {
    if (error instanceof StreamLimitError) return { kind: "busy", message: error.message };
    throw error;
  }

  let lastSent = lastEventId;
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let endStream = () => undefined as void;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    untrack();
  };
  const shutdown = () => {
    cleanup();
    endStream();
  };
  const untrack = trackStream(shutdown);
  signal.addEventListener("abort", cleanup, { once: true });

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const send = (order: ShopperOrder) => {
        if (versionOf(order) === lastSent) return;
        lastSent = versionOf(order);
        write(`event: status\nid: ${lastSent}\ndata: ${JSON.stringify(order)}\n\n`);
      };
      let reading = Promise.resolve();
      onChange = () => {
        // Re-reads run one after another so frames go out in the order changes happened.
        reading = reading.then(async () => {
          if (closed) return;
          const order = await loadShopperOrder(orderId).catch(() => null);
          if (order) send(order);
        });
      };
      write("retry: 2000\n\n");
      send(initial);
      // A change committed between the first read and the subscription is not lost.
      onChange();
      heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
      endStream = () => {
        try {
          controller.close();
        } catch {
          // the client already closed it
        }
      };
      signal.addEventListener("abort", endStream);
    },
    cancel: cleanup,
  });
  return { kind: "stream", body };
}
