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

export type PaidOrder = {
  orderId: string;
  token: string;
  sessionId: string;
  /** The Checkout session's first event (checkout.session.completed). */
  event: Stripe.Event;
  /** Every event about the session the store handles, oldest first. */
  events: Stripe.Event[];
};

export type PayScenario = "card_success" | "async_success";

export type BenchStore = {
  apps: string[];
  db: PrismaClient;
  emulator: RunningEmulator;
  /** A product made for the benchmark, with stock that never runs out. */
  productId: string;
  /**
   * Places and pays `count` orders (by card, or by a debit that settles half a second later);
   * their webhooks are held back for the benchmark to send.
   */
  placePaidOrders(count: number, scenario?: PayScenario): Promise<PaidOrder[]>;
  /** Stripe API requests since the last call, by endpoint (the emulator's counters, then reset). */
  takeStripeRequests(): Record<string, number>;
  /** Posts an event to an instance's webhook, signed as Stripe signs; resolves on 200. */
  deliver(app: string, event: Stripe.Event): Promise<void>;
  stop(): Promise<void>;
};

/** `instanceEnv[i]` adds to instance i's environment (e.g. WEBHOOK_WORKERS=0 for a receiver only). */
export async function startBenchStore(
  instances: number,
  firstPort = benchAppPort(),
  instanceEnv: ReadonlyArray<Record<string, string>> = [],
): Promise<BenchStore> {
  const databaseUrl = process.env.DATABASE_URL ?? "";
  const emulator = await startEmulator({ port: benchEmulatorPort(), webhookEndpoints: [], asyncDelaySeconds: 0.5 });
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
        ...instanceEnv[i],
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
    async placePaidOrders(count, scenario = "card_success") {
      const placed: Array<{ orderId: string; token: string; sessionId: string }> = [];
      await runPool([...Array(count).keys()], 8, async (i) => {
        const response = await fetch(`${apps[0]}/api/checkout`, {
          method: "POST",
          // A distinct address per order keeps the per-address checkout limit out of the way.
          headers: { "content-type": "application/json", "x-forwarded-for": `bench-${scenario}-${i}` },
          body: JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] }),
        });
        if (!response.ok) throw new Error(`checkout failed: ${response.status} ${await response.text()}`);
        const body = (await response.json()) as { orderId: string; url: string; statusUrl: string };
        const sessionId = body.url.split("/").pop() as string;
        emulator.pay(sessionId, scenario);
        placed.push({
          orderId: body.orderId,
          token: new URL(body.statusUrl).searchParams.get("token") ?? "",
          sessionId,
        });
      });
      const finalType =
        scenario === "card_success" ? "checkout.session.completed" : "checkout.session.async_payment_succeeded";
      const sessions = new Set(placed.map((p) => p.sessionId));
      const bySession = new Map<string, Stripe.Event[]>();
      const deadline = Date.now() + 60_000;
      for (;;) {
        bySession.clear();
        for await (const event of stripe.events.list({ limit: 100 })) {
          const id = (event.data.object as { id?: string }).id ?? "";
          if (sessions.has(id)) bySession.set(id, [event, ...(bySession.get(id) ?? [])]);
        }
        const settled = [...sessions].every((id) => bySession.get(id)?.some((e) => e.type === finalType));
        if (settled) break;
        if (Date.now() > deadline) throw new Error(`the emulator did not settle ${scenario} payments in 60 s`);
        await new Promise((r) => setTimeout(r, 250));
      }
      return placed.map((p) => {
        const events = (bySession.get(p.sessionId) ?? []).filter((e) => e.type.startsWith("checkout.session."));
        const event = events[0];
        if (!event) throw new Error(`no checkout.session.completed for ${p.sessionId}`);
        return { ...p, event, events };
      });
    },
    takeStripeRequests() {
      const counts = emulator.requestCounts().requests;
      emulator.resetRequestCounts();
      return counts;
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
