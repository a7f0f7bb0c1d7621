/**
 * A benchmark store: the Stripe emulator in this process (delivering nowhere, so the
 * benchmark decides when each webhook arrives) and one or more `next start` instances on the
 * launcher's database. Orders are placed through /api/checkout and paid on the emulator.
 */
import Stripe from "stripe";
import { createPrismaClient, type PrismaClient } from "@/lib/db/create-client";
import { startEmulator, type RunningEmulator } from "@/stripe-emulator";
import { benchAppPort, benchEmulatorPort, runPool, startNext } from "./lib";

const SECRET = "whsec_benchmark_store";

export type PaidOrder = { orderId: string; token: string; event: Stripe.Event };

export type BenchStore = {
  apps: string[];
  db: PrismaClient;
  emulator: RunningEmulator;
  /** A product made for the benchmark, with stock that never runs out. */
  productId: string;
  /** Places and pays `count` orders; their webhooks are held back for the benchmark to send. */
  placePaidOrders(count: number): Promise<PaidOrder[]>;
  /** Posts an event to an instance's webhook, signed as Stripe signs; resolves on 200. */
  deliver(app: string, event: Stripe.Event): Promise<void>;
  stop(): Promise<void>;
};

export async function startBenchStore(instances: number, firstPort = benchAppPort()): Promise<BenchStore> {
  const databaseUrl = process.env.DATABASE_URL ?? "";
  const emulator = await startEmulator({ port: benchEmulatorPort(), webhookEndpoints: [] });
  const stripe = new Stripe(emulator.apiKey, { ...emulator.stripeClientOptions(), telemetry: false });
  const servers: Array<Awaited<ReturnType<typeof startNext>>> = [];
  for (let i = 0; i < instances; i += 1) {
    const port = firstPort + i;
    servers.push(
      await startNext(port, {
        DATABASE_URL: databaseUrl,
        STRIPE_SECRET_KEY: emulator.apiKey,
        STRIPE_WEBHOOK_SECRET: SECRET,
        STRIPE_API_BASE: emulator.url,
        APP_URL: `http://localhost:${port}`,
      }),
    );
  }
  const apps = servers.map((s) => s.url);
  const db = createPrismaClient(databaseUrl, 2);
  const product = await db.product.create({
    data: {
      slug: `bench-${Date.now()}`,
      name: "Bench item",
      description: "Benchmark",
      image: "/products/brass-pen.svg",
      unitAmount: 1000,
      currency: "eur",
      stockOnHand: 1_000_000,
    },
  });

  return {
    apps,
    db,
    emulator,
    productId: product.id,
    async placePaidOrders(count) {
      const placed: Array<{ orderId: string; token: string; sessionId: string }> = [];
      await runPool([...Array(count).keys()], 8, async (i) => {
        const response = await fetch(`${apps[0]}/api/checkout`, {
          method: "POST",
          // A distinct address per order keeps the per-address checkout limit out of the way.
          headers: { "content-type": "application/json", "x-forwarded-for": `bench-${i}` },
          body: JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] }),
        });
        if (!response.ok) throw new Error(`checkout failed: ${response.status} ${await response.text()}`);
        const body = (await response.json()) as { orderId: string; url: string; statusUrl: string };
        const sessionId = body.url.split("/").pop() as string;
        emulator.pay(sessionId, "card_success");
        placed.push({
          orderId: body.orderId,
          token: new URL(body.statusUrl).searchParams.get("token") ?? "",
          sessionId,
        });
      });
      const events = new Map<string, Stripe.Event>();
      for await (const event of stripe.events.list({ type: "checkout.session.completed", limit: 100 })) {
        events.set((event.data.object as { id: string }).id, event);
      }
      return placed.map((p) => {
        const event = events.get(p.sessionId);
        if (!event) throw new Error(`no checkout.session.completed for ${p.sessionId}`);
        return { orderId: p.orderId, token: p.token, event };
      });
    },
    async deliver(app, event) {
      const payload = JSON.stringify(event, null, 2);
      const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
      const response = await fetch(`${app}/api/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signature },
        body: payload,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${text}`);
    },
    async stop() {
      await db.$disconnect();
      for (const server of servers) await server.stop();
      await emulator.stop();
    },
  };
}
