import "server-only";
import { type HubSignal, orderHub, StreamLimitError } from "./hub";
import { HEARTBEAT_MS, trackStream } from "./streams";

const encoder = new TextEncoder();

export type HubStreamResult = { kind: "busy"; message: string } | { kind: "stream"; body: ReadableStream<Uint8Array> };

/**
 * The plumbing of every live stream: a Server-Sent Events body subscribed to the order hub
 * for `channel` (one order, or ALL_ORDERS), with a `retry` hint first, a comment line every
 * 15 s so proxies keep it open, and an end when the client goes away or the server shuts
 * down. `start` writes the opening frames and returns what to do on each hub signal; `write`
 * drops text once the stream has closed. "busy" when the hub refuses another subscriber.
 */
export async function openHubStream(
  channel: string,
  client: string | null,
  signal: AbortSignal,
  start: (write: (text: string) => void, isClosed: () => boolean) => (signal: HubSignal, orderId: string) => void,
): Promise<HubStreamResult> {
  let onSignal: (hubSignal: HubSignal, orderId: string) => void = () => undefined;
  let unsubscribe: () => void;
  try {
    unsubscribe = await orderHub().subscribe(channel, (hubSignal, orderId) => onSignal(hubSignal, orderId), client);
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
      const write = (text: string) => {
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
          // the client already closed it
        }
      };
      signal.addEventListener("abort", end);
      write("retry: 2000\n\n");
      onSignal = start(write, () => closed);
      heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
    },
    cancel: cleanup,
  });
  return { kind: "stream", body };
}
