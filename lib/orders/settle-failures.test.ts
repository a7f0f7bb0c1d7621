import Stripe from "stripe";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import { buy, orderOutcome, settle } from "@/test/pipeline";
import type { placeOrder as PlaceOrder } from "./place-order";
import type { replayStoredEvent as ReplayStoredEvent } from "./webhook-delivery";

let harness: Harness;
let stripe: Stripe;
let placeOrder: typeof PlaceOrder;
let replayStoredEvent: typeof ReplayStoredEvent;
const db = openTestDb(3);

beforeAll(async () => {
  process.env.WEBHOOK_MAX_TRIES = "3";
  harness = await startHarness();
  stripe = new Stripe(harness.emulator.apiKey, harness.emulator.stripeClientOptions());
  ({ placeOrder } = await import("./place-order"));
  ({ replayStoredEvent } = await import("./webhook-delivery"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

test("an event whose Stripe read keeps failing is retried with growing delays, marked failed, then replayed and settled", async () => {
  const { orderId, sessionId } = await buy(db, placeOrder, { quantity: 2 });
  harness.emulator.pay(sessionId, "card_success");
  await settle(harness);
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);

  // Stripe answers every request 429 while the refund's event is settled.
  harness.emulator.configure({ pause: true });
  await stripe.refunds.create({ payment_intent: order.stripePaymentIntentId as string, amount: 700 });
  harness.emulator.configure({ rateLimit: { inject429: 1 }, pause: false });
  try {
    const row = () =>
      db.webhookEvent.findFirstOrThrow({ where: { type: "charge.refunded", settleKey: order.stripePaymentIntentId } });
    const delays: number[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const current = await db.webhookEvent.findFirst({
        where: { type: "charge.refunded", settleKey: order.stripePaymentIntentId },
      });
      if (current?.outcome === "FAILED") break;
      if (Date.now() > deadline) throw new Error(`not failed in time: ${JSON.stringify(current)}`);
      if (current && current.tries > delays.length && current.claimedUntil === null && current.processedAt === null) {
        delays.push(current.availableAt.getTime() - Date.now());
        // Time passes: the retry delay is over.
        await db.webhookEvent.update({ where: { id: current.id }, data: { availableAt: new Date() } });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const failed = await row();
    expect(failed).toMatchObject({ outcome: "FAILED", tries: 3, processedAt: null });
    expect(failed.error).toMatch(/unavailable|rate/i);
    // Each failed try pushed the next one later than the one before.
    expect(delays.length).toBe(2);
    expect(delays[1] as number).toBeGreaterThan(delays[0] as number);
    // Nothing half-applied.
    expect(await orderOutcome(db, orderId)).toMatchObject({ status: "PAID", amountRefunded: 0 });

    // Stripe recovers; the admin replays the failed event.
    harness.emulator.configure({ rateLimit: { inject429: 0 } });
    expect(await replayStoredEvent(failed.stripeEventId)).toBe("processed");
    expect(await row()).toMatchObject({ outcome: "PROCESSED", replays: 1 });
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "PAID",
      paymentStatus: "PARTIALLY_REFUNDED",
      amountRefunded: 700,
      ledger: ["CHARGE:2500:succeeded", "REFUND:700:succeeded"],
    });
  } finally {
    harness.emulator.configure({ rateLimit: "off" });
    logged.mockRestore();
  }
}, 60_000);
