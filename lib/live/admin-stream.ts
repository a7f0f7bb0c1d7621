import "server-only";
import { ALL_ORDERS, orderHub, StreamLimitError } from "./hub";
import { HEARTBEAT_MS, trackStream } from "./streams";

const encoder = new TextEncoder();

/**
 * A Server-Sent Events stream that names every order as it changes (`event: order`, data
 * `{ "orderId": … }`), for the admin dashboard, which re-renders what it shows. After the
 * hub reconnects it sends `event: resync` so the page re-reads everything. The caller must
 * have checked that an admin is asking.
 */
export async function openAdminOrdersStream(
  signal: AbortSignal,
): Promise<{ kind: "busy"; message: string } | { kind: "stream"; body: ReadableStream<Uint8Array> }> {
  let push: (text: string) => void = () => undefined;
  let unsubscribe: () => void;
  try {
    unsubscribe = await orderHub().subscribe(ALL_ORDERS, (hubSignal, orderId) =>
      push(
        hubSignal === "resync"
          ? "event: resync\ndata: {}\n\n"
          : `event: order\ndata: ${JSON.stringify({ orderId })}\n\n`,
      ),
    );
  } catch (error) {
    if (error instanceof StreamLimitError) return { kind: "busy", message: error.message };
    throw error;
  }
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let end: () => void = () => undefined;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    untrack();
  };
  const untrack = trackStream(() => {
    cleanup();
    end();
  });
  signal.addEventListener("abort", cleanup, { once: true });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (text) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      end = () => {
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      push("retry: 2000\n\n");
      heartbeat = setInterval(() => push(": keep-alive\n\n"), HEARTBEAT_MS);
    },
    cancel: cleanup,
  });
  return { kind: "stream", body };
}
