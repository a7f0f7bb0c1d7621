/**
 * Integration harness: a real Stripe emulator in this process, delivering real signed
 * webhooks to the app's real route handler (served on a loopback port), with the app's
 * modules loaded only after the payment configuration is in place.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator, type RunningEmulator } from "@/stripe-emulator";

export const TEST_WEBHOOK_SECRET = "whsec_pipeline_tests";
export const ASYNC_DELAY_S = 0.3;

export type Harness = {
  emulator: RunningEmulator;
  webhookUrl: string;
  /** POSTs a raw body with headers to the app's webhook route, as Stripe would. */
  deliver(body: string, signature: string | null): Promise<{ status: number; body: unknown }>;
  /** Waits until the inbox holds no event due to be settled (the settle workers run in this process). */
  drainInbox(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

async function toRequest(req: http.IncomingMessage, url: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
  return new Request(url, { method: req.method, headers, body: Buffer.concat(chunks) });
}

/** Starts the emulator and an HTTP server in front of app/api/webhook/route.ts. */
export async function startHarness(
  options: { retrySchedule?: number[]; /** Run the store's settle workers (default true). */ workers?: boolean } = {},
): Promise<Harness> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const { POST } = await import("@/app/api/webhook/route");
      const response = await POST(await toRequest(req, webhookUrl));
      res.writeHead(response.status, { "content-type": "application/json" });
      res.end(await response.text());
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhook`;
  const emulator = await startEmulator({
    port: 0,
    webhookEndpoints: [{ url: webhookUrl, secret: TEST_WEBHOOK_SECRET }],
    // Delayed (bank debit) outcomes arrive after a short real delay; the virtual clock is left
    // alone so Checkout expiry times computed by the app stay valid.
    asyncDelaySeconds: ASYNC_DELAY_S,
    retrySchedule: options.retrySchedule ?? [0.05, 0.1, 0.2],
  });
  process.env.STRIPE_SECRET_KEY = emulator.apiKey;
  process.env.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET;
  process.env.STRIPE_API_BASE = emulator.url;
  process.env.APP_URL = "http://localhost:3999";
  process.env.CHECKOUT_DELAYED_PAYMENTS = "true";
  // The store's own settle workers, as every app instance runs them.
  const { startSettleWorkers } = await import("@/lib/jobs");
  const { pendingEventCount } = await import("@/lib/orders/inbox");
  const workers = options.workers === false ? null : startSettleWorkers();

  return {
    emulator,
    webhookUrl,
    async deliver(body, signature) {
      const response = await fetch(webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...(signature ? { "stripe-signature": signature } : {}) },
        body,
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    async drainInbox(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!workers) throw new Error("this harness runs no settle workers");
        workers.wake("settle");
        // Rows waiting out a retry delay are not waited for: a test that needs them fails visibly.
        if ((await pendingEventCount({ dueOnly: true })) === 0) return;
        if (Date.now() > deadline) throw new Error(`events still waiting in the inbox after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await workers?.stop();
      await emulator.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
