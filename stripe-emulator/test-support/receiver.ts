/**
 * A webhook receiver for tests: verifies every delivery with the official SDK's
 * `constructEvent` and answers with whatever status the test chooses.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export interface Delivery {
  event: Stripe.Event;
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAtMs: number;
}

export interface ReceiverOptions {
  /** Status to answer with; `attempt` counts deliveries of the same event id, from 1. */
  respond?: (event: Stripe.Event, attempt: number) => number;
}

export interface Receiver {
  url: string;
  secret: string;
  deliveries: Delivery[];
  /** Signature or parsing failures; tests expect this to stay empty. */
  rejected: string[];
  types(filter?: (event: Stripe.Event) => boolean): string[];
  clear(): void;
  close(): Promise<void>;
}

const verifier = new Stripe("sk_test_receiver_only");

export async function startReceiver(secret: string, options: ReceiverOptions = {}): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const rejected: string[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let event: Stripe.Event;
      try {
        event = verifier.webhooks.constructEvent(body, req.headers["stripe-signature"] ?? "", secret);
      } catch (error) {
        rejected.push(error instanceof Error ? error.message : String(error));
        res.writeHead(400).end("bad signature");
        return;
      }
      const attempt = (attempts.get(event.id) ?? 0) + 1;
      attempts.set(event.id, attempt);
      deliveries.push({ event, headers: req.headers, body, receivedAtMs: Date.now() });
      const status = options.respond?.(event, attempt) ?? 200;
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ received: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    secret,
    deliveries,
    rejected,
    types: (filter = () => true) =>
      deliveries
        .map((d) => d.event)
        .filter(filter)
        .map((e) => e.type),
    clear: () => {
      deliveries.length = 0;
      rejected.length = 0;
      attempts.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
