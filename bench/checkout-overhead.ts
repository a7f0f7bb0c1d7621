/**
 * What POST /api/checkout costs on top of its Stripe call. Each round times one full checkout
 * through `next start` (validation, pricing, the stock reservation transaction, the Checkout
 * session, recording it) and one bare `checkout.sessions.create` sent straight to the same
 * emulator with the same client options and parameters as lib/payments/checkout-sessions.ts. The two
 * alternate, so drift on a busy machine hits both alike; `--rounds` (200) after 10 warm-up rounds.
 *
 *   npm run bench:checkout -- [--rounds 200]
 */
import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { z } from "zod";
import { arg, percentile } from "./lib";
import { startBenchStore } from "./store";

const ROUNDS = arg("rounds", 200);
const WARMUP = 10;

const placedSchema = z.object({ orderId: z.string(), url: z.url() });

const store = await startBenchStore(1);
try {
  const app = store.apps[0] as string;
  const base = new URL(store.emulator.url);
  // The app's client (lib/payments/client.ts): same retries, timeout and transport.
  const stripe = new Stripe(store.emulator.apiKey, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    telemetry: false,
    host: base.hostname,
    port: base.port,
    protocol: "http",
  });
  const product = await store.db.product.findUniqueOrThrow({ where: { id: store.productId } });

  async function viaStore(i: number): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${app}/api/checkout`, {
      method: "POST",
      // A distinct address per checkout keeps the per-address limit (20 a minute) out of the way.
      headers: { "content-type": "application/json", "x-forwarded-for": `bench-checkout-${i}` },
      body: JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] }),
    });
    const body: unknown = await response.json();
    const elapsed = performance.now() - started;
    if (!response.ok) throw new Error(`checkout answered ${response.status}: ${JSON.stringify(body)}`);
    placedSchema.parse(body);
    return elapsed;
  }

  /** The parameters createCheckoutSession sends for a one-line order. */
  async function direct(): Promise<number> {
    const orderId = randomUUID();
    const started = performance.now();
    await stripe.checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: product.currency,
              unit_amount: product.unitAmount,
              product_data: { name: product.name },
            },
          },
        ],
        client_reference_id: orderId,
        metadata: { orderId, attempt: "1" },
        payment_intent_data: { metadata: { orderId } },
        success_url: `${app}/checkout/success?session_id={CHECKOUT_SESSION_ID}&order=${orderId}`,
        cancel_url: `${app}/checkout/cancelled?order=${orderId}`,
        expires_at: Math.floor(Date.now() / 1000) + 60 * 60,
        allowed_payment_method_types: ["card", "sepa_debit"],
      },
      { idempotencyKey: `checkout-${orderId}-1` },
    );
    return performance.now() - started;
  }

  const full: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < WARMUP + ROUNDS; i += 1) {
    const a = await viaStore(i);
    const b = await direct();
    if (i >= WARMUP) {
      full.push(a);
      bare.push(b);
    }
  }
  full.sort((x, y) => x - y);
  bare.sort((x, y) => x - y);
  const f = (v: number) => `${v.toFixed(1)} ms`.padStart(9);
  const row = (name: string, p50: number, p95: number) =>
    console.log(`${name.padEnd(44)} p50 ${f(p50)}   p95 ${f(p95)}`);
  console.log(`${ROUNDS} sequential checkouts (after ${WARMUP} warm-up rounds), emulator in the bench process`);
  row("POST /api/checkout (full request)", percentile(full, 50), percentile(full, 95));
  row("checkout.sessions.create on the emulator", percentile(bare, 50), percentile(bare, 95));
  row(
    "our overhead (difference)",
    percentile(full, 50) - percentile(bare, 50),
    percentile(full, 95) - percentile(bare, 95),
  );
} finally {
  await store.stop();
}
