import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import { type Harness, startHarness, TEST_WEBHOOK_SECRET } from "@/test/payments-harness";
import { orderOutcome } from "@/test/pipeline";
import type { placeLinkOrder as PlaceLinkOrder } from "./link-orders";
import type { settleNextGroup as SettleNextGroup } from "./settle";

// A payment link's events delivered late, twice and out of order: deliveries are paused at the
// emulator and handed to the webhook route here, in the order each test chooses.
let harness: Harness;
let stripe: Stripe;
let placeLinkOrder: typeof PlaceLinkOrder;
let settleNextGroup: typeof SettleNextGroup;
const db = openTestDb(5);

beforeAll(async () => {
  harness = await startHarness({ workers: false });
  stripe = new Stripe(harness.emulator.apiKey, harness.emulator.stripeClientOptions());
  ({ placeLinkOrder } = await import("./link-orders"));
  ({ settleNextGroup } = await import("./settle"));
  harness.emulator.configure({ pause: true });
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

/** An order of 2 × €12.50 sent as a payment link; returns its ids. */
async function linkOrder() {
  const product = await createTestProduct(db, { stockOnHand: 5, unitAmount: 1250, currency: "eur" });
  const { orderId } = await placeLinkOrder({
    items: [{ productId: product.id, quantity: 2 }],
    email: "customer@example.com",
    note: null,
  });
  const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  return { orderId, linkId: order.stripePaymentLinkId ?? "" };
}

/** Every event about the link, its sessions or their payments, oldest first. */
async function eventsAbout(ids: string[]): Promise<Stripe.Event[]> {
  const all: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) all.push(event);
  return all
    .filter((e) => {
      const object = e.data.object as { id?: string; payment_link?: unknown; payment_intent?: unknown };
      return [object.id, object.payment_link, object.payment_intent].some(
        (v) => typeof v === "string" && ids.includes(v),
      );
    })
    .reverse();
}

async function deliver(event: Stripe.Event) {
  const payload = JSON.stringify(event);
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  return harness.deliver(payload, signature);
}

async function drain() {
  while (await settleNextGroup());
}

/** Pays a session a customer opened from the link; answers it and its payment intent. */
async function pay(sessionId: string) {
  harness.emulator.pay(sessionId, "card_success", "customer@example.com");
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  return { sessionId, intentId: session.payment_intent as string };
}

describe("payment link events out of order", () => {
  test("the link's events newest first and each twice: paid once, stock committed once, one confirmation", async () => {
    const { orderId, linkId } = await linkOrder();
    const { sessionId, intentId } = await pay(harness.emulator.openPaymentLink(linkId).id);
    const events = await eventsAbout([linkId, sessionId, intentId]);
    expect(events.map((e) => e.type)).toEqual([
      "payment_link.created",
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
      "payment_link.updated",
    ]);
    for (const event of [...events].reverse()) {
      expect((await deliver(event)).status).toBe(200);
      expect((await deliver(event)).status).toBe(200);
      await drain();
    }
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      status: "PAID",
      stripeCheckoutSessionId: sessionId,
      stripePaymentIntentId: intentId,
      paymentMethod: "CARD",
      amountReceived: 2500,
      needsReview: false,
    });
    expect(await orderOutcome(db, orderId)).toMatchObject({
      reserved: 0,
      onHand: 3,
      ledger: ["CHARGE:2500:succeeded"],
      emails: ["ORDER_CONFIRMATION", "PAYMENT_LINK"],
    });
  });

  test("two paid sessions of one link, their completions delivered in either order and twice: paid once, flagged once", async () => {
    for (const order of ["first-then-second", "second-then-first"] as const) {
      const { orderId, linkId } = await linkOrder();
      // Both tabs open the link before either pays: Stripe lets both complete.
      const [firstOpened, secondOpened] = [linkId, linkId].map((id) => harness.emulator.openPaymentLink(id).id);
      const first = await pay(firstOpened ?? "");
      const second = await pay(secondOpened ?? "");
      const completed = (await eventsAbout([first.sessionId, second.sessionId])).filter(
        (e) => e.type === "checkout.session.completed",
      );
      expect(completed).toHaveLength(2);
      const sequence = order === "first-then-second" ? completed : [...completed].reverse();
      for (const event of [...sequence, ...sequence]) expect((await deliver(event)).status).toBe(200);
      await drain();
      const settled = await db.order.findUniqueOrThrow({ where: { id: orderId } });
      const [paidBy, twice] =
        order === "first-then-second" ? [first.intentId, second.intentId] : [second.intentId, first.intentId];
      expect(settled).toMatchObject({
        status: "PAID",
        stripePaymentIntentId: paidBy,
        needsReview: true,
        reviewReason: `Paid twice: ${paidBy} and ${twice}; refund one`,
      });
      expect(await orderOutcome(db, orderId)).toMatchObject({
        reserved: 0,
        onHand: 3,
        ledger: ["CHARGE:2500:succeeded", "CHARGE:2500:succeeded"],
        emails: ["ORDER_CONFIRMATION", "PAYMENT_LINK"],
      });
    }
  });
});
