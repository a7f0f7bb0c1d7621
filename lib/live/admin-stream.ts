import "server-only";
import { ALL_ORDERS } from "./hub";
import { type HubStreamResult, openHubStream } from "./hub-stream";

/**
 * A Server-Sent Events stream that names every order as it changes (`event: order`, data
 * `{ "orderId": … }`), for the admin dashboard, which re-renders what it shows. After the
 * hub reconnects it sends `event: resync` so the page re-reads everything. The caller must
 * have checked that an admin is asking.
 */
export function openAdminOrdersStream(signal: AbortSignal): Promise<HubStreamResult> {
  return openHubStream(
    ALL_ORDERS,
    null,
    signal,
    (write) => (hubSignal, orderId) =>
      write(
        hubSignal === "resync"
          ? "event: resync\ndata: {}\n\n"
          : `event: order\ndata: ${JSON.stringify({ orderId })}\n\n`,
      ),
  );
}
