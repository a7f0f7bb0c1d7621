import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness, TEST_WEBHOOK_SECRET } from "@/test/payments-harness";
import { buy, orderOutcome, settle, settleDelayed, waitForSettlement } from "@/test/pipeline";
import type { placeOrder as PlaceOrder } from "./place-order";
import type { reconcile as Reconcile } from "./reconcile";

let harness: Harness;
let stripe: Stripe;
let placeOrder: typeof PlaceOrder;
let reconcile: typeof Reconcile;
const db = openTestDb(5);

beforeAll(async () => {
  harness = await startHarness();
  stripe = new Stripe(harness.emulator.apiKey, harness.emulator.stripeClientOptions());
  ({ placeOrder } = await import("./place-order"));
  ({ reconcile } = await import("./reconcile"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

/** The emulator's events about one Checkout session and its payment, oldest first. */
async function eventsFor(sessionId: string): Promise<Stripe.Event[]> {
  const session = await stripe.checkout.sessions.retrieve(sessionId);
  const pi = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
  const all: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) all.push(event);
  return all
    .filter((e) => {
      const object = e.data.object as { id?: string; payment_intent?: string | null };
      return object.id === sessionId || (pi && (object.id === pi || object.payment_intent === pi));
    })
    .reverse(); // Stripe lists newest first.
}

function sign(payload: string, timestamp = Math.floor(Date.now() / 1000), secret = TEST_WEBHOOK_SECRET): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

async function deliverSigned(event: Stripe.Event) {
  const payload = JSON.stringify(event, null, 2);
  return harness.deliver(payload, sign(payload));
}

/** Runs a scenario with deliveries held back, so the test decides what reaches the webhook. */
async function withDeliveriesPaused<T>(fn: () => Promise<T>): Promise<T> {
  harness.emulator.configure({ pause: true });
  try {
    return await fn();
  } finally {
    harness.emulator.configure({ pause: false, drop: 0, duplicate: 0 });
  }
}

describe("webhook deliveries", () => {
  test("50 parallel deliveries of one event are recorded once and applied exactly once", async () => {
    const { orderId, sessionId } = await buy(db, placeOrder, { stock: 10, quantity: 3 });
    await withDeliveriesPaused(async () => {
      harness.emulator.pay(sessionId, "card_success");
      const completed = (await eventsFor(sessionId)).find((e) => e.type === "checkout.session.completed");
      expect(completed).toBeDefined();
      const event = completed as Stripe.Event;
      const results = await Promise.all(Array.from({ length: 50 }, () => deliverSigned(event)));
      expect(results.every((r) => r.status === 200)).toBe(true);
      const outcomes = results.map((r) => (r.body as { outcome: string }).outcome);
      expect(outcomes.filter((o) => o === "recorded")).toHaveLength(1);
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(49);
      await harness.drainInbox();
      const inbox = await db.webhookEvent.findUniqueOrThrow({ where: { stripeEventId: event.id } });
      expect(inbox).toMatchObject({ outcome: "PROCESSED", attempts: 50, duplicates: 49, orderId, tries: 1 });
    });
    await settle(harness);
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "PAID",
      onHand: 7,
      reserved: 0,
      ledger: ["CHARGE:3750:succeeded"],
      emails: ["ORDER_CONFIRMATION"],
    });
  });

  test("duplicated deliveries of every event leave the same result as single ones", async () => {
    harness.emulator.configure({ duplicate: 1 });
    const { orderId, sessionId } = await buy(db, placeOrder, { stock: 10, quantity: 1 });
    harness.emulator.pay(sessionId, "async_success");
    await settleDelayed(harness, [sessionId]);
    harness.emulator.configure({ duplicate: 0 });
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "PAID",
      paymentStatus: "PAID",
      onHand: 9,
      reserved: 0,
      ledger: ["CHARGE:1250:succeeded"],
      emails: ["AWAITING_PAYMENT", "ORDER_CONFIRMATION"],
    });
    const inbox = await db.webhookEvent.findMany({ where: { orderId } });
    expect(inbox.length).toBeGreaterThan(0);
    for (const row of inbox) expect(row.attempts).toBe(2);
  });

  test("every pair of events swapped ends in the same state as Stripe's own order", async () => {
    // One order per delivery sequence: the canonical sequence and each sequence with one pair
    // swapped. All pay by delayed debit, with deliveries held back until the payment cleared.
    const orders = await Promise.all(Array.from({ length: 22 }, () => buy(db, placeOrder, { stock: 5, quantity: 1 })));
    const sequences = await withDeliveriesPaused(async () => {
      for (const o of orders) harness.emulator.pay(o.sessionId, "async_success");
      await waitForSettlement(
        harness,
        orders.map((o) => o.sessionId),
      );
      return Promise.all(orders.map((o) => eventsFor(o.sessionId)));
    });
    const canonical = sequences[0] as Stripe.Event[];
    expect(canonical.map((e) => e.type)).toEqual([
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "checkout.session.completed",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.async_payment_succeeded",
    ]);
    const pairs = canonical.flatMap((_, i) => canonical.slice(i + 1).map((__, k) => [i, i + 1 + k] as const));
    expect(pairs).toHaveLength(21);

    const outcomes = [];
    // The emulator's own deliveries stay held back, so only this order of events reaches the store.
    harness.emulator.configure({ pause: true });
    for (const [index, order] of orders.entries()) {
      const events = [...(sequences[index] as Stripe.Event[])];
      const pair = index === 0 ? undefined : pairs[index - 1];
      if (pair) [events[pair[0]], events[pair[1]]] = [events[pair[1]] as Stripe.Event, events[pair[0]] as Stripe.Event];
      for (const event of events) {
        expect((await deliverSigned(event)).status).toBe(200);
        // Settled one by one, so each event is decided from its own payload in this order.
        await harness.drainInbox();
      }
      const types = events.map((e) => e.type);
      const awaitingFirst =
        types.indexOf("checkout.session.completed") < types.indexOf("checkout.session.async_payment_succeeded");
      outcomes.push({ outcome: await orderOutcome(db, order.orderId), awaitingFirst, types });
    }
    harness.emulator.configure({ pause: false });
    await settle(harness);
    for (const { outcome, awaitingFirst, types } of outcomes) {
      expect(outcome).toMatchObject({
        status: "PAID",
        paymentStatus: "PAID",
        onHand: 4,
        reserved: 0,
        ledger: ["CHARGE:1250:succeeded"],
      });
      // The "awaiting your transfer" email goes only if the completion was learned before the payment.
      expect(outcome.emails, types.join(", ")).toEqual(
        awaitingFirst ? ["AWAITING_PAYMENT", "ORDER_CONFIRMATION"] : ["ORDER_CONFIRMATION"],
      );
    }
    expect(outcomes.filter((o) => !o.awaitingFirst).length).toBeGreaterThan(0);
  });

  test.each([
    ["a wrong secret", (p: string) => sign(p, undefined, "whsec_someone_else")],
    ["a stale timestamp", (p: string) => sign(p, Math.floor(Date.now() / 1000) - 301)],
    ["a timestamp a day ahead", (p: string) => sign(p, Math.floor(Date.now() / 1000) + 86_400)],
    ["a timestamp just past the tolerance ahead", (p: string) => sign(p, Math.floor(Date.now() / 1000) + 301)],
    ["no signature", () => null],
    ["a malformed header", () => "t=abc,v1="],
  ])("a delivery with %s is refused with 400 and stores nothing", async (_label, signer) => {
    const event = {
      id: `evt_forged_${Math.random().toString(36).slice(2)}`,
      object: "event",
      type: "checkout.session.completed",
      created: 1,
      data: { object: { id: "cs_test_x" } },
    };
    const payload = JSON.stringify(event);
    const response = await harness.deliver(payload, signer(payload));
    expect(response.status).toBe(400);
    expect(await db.webhookEvent.count({ where: { stripeEventId: event.id } })).toBe(0);
  });

  test("a body changed after signing is refused", async () => {
    const payload = JSON.stringify({
      id: "evt_tampered",
      object: "event",
      type: "charge.refunded",
      created: 1,
      data: { object: { amount: 100 } },
    });
    const header = sign(payload);
    const response = await harness.deliver(payload.replace("100", "999"), header);
    expect(response.status).toBe(400);
    expect(await db.webhookEvent.count({ where: { stripeEventId: "evt_tampered" } })).toBe(0);
  });

  test("unknown event types are recorded as ignored and answered 200", async () => {
    const event = {
      id: "evt_unknown_type",
      object: "event",
      type: "customer.created",
      api_version: null,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: "cus_1", object: "customer" } },
    };
    const payload = JSON.stringify(event);
    const response = await harness.deliver(payload, sign(payload));
    expect(response).toMatchObject({ status: 200, body: { outcome: "ignored" } });
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { stripeEventId: event.id } })).toMatchObject({
      outcome: "IGNORED",
    });
  });

  test("events about a session this store did not create are ignored with 200", async () => {
    const foreign = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [
        { quantity: 1, price_data: { currency: "eur", unit_amount: 500, product_data: { name: "Elsewhere" } } },
      ],
      success_url: "https://example.com/ok",
    });
    const before = await db.order.count();
    harness.emulator.pay(foreign.id, "card_success");
    await settle(harness);
    const completed = (await eventsFor(foreign.id)).find((e) => e.type === "checkout.session.completed");
    const inbox = await db.webhookEvent.findUniqueOrThrow({ where: { stripeEventId: completed?.id ?? "" } });
    expect(inbox).toMatchObject({ outcome: "IGNORED", orderId: null });
    expect(await db.order.count()).toBe(before);
  });

  test("partial then full refund: ledger rows, statuses, one refund email", async () => {
    const { orderId, sessionId } = await buy(db, placeOrder, { stock: 10, quantity: 2 });
    harness.emulator.pay(sessionId, "card_success");
    await settle(harness);
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId } });
    await stripe.refunds.create({ payment_intent: order.stripePaymentIntentId as string, amount: 500 });
    await settle(harness);
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "PAID",
      paymentStatus: "PARTIALLY_REFUNDED",
      amountRefunded: 500,
    });
    await stripe.refunds.create({ payment_intent: order.stripePaymentIntentId as string });
    await settle(harness);
    const outcome = await orderOutcome(db, orderId);
    expect(outcome).toMatchObject({ status: "REFUNDED", paymentStatus: "REFUNDED", amountRefunded: 2500, onHand: 8 });
    expect(outcome.ledger).toEqual(["CHARGE:2500:succeeded", "REFUND:2000:succeeded", "REFUND:500:succeeded"]);
    expect(outcome.emails).toEqual(["ORDER_CONFIRMATION", "REFUND_NOTICE"]);
  });

  test("a dispute flags the order and records it in the ledger; winning it clears the flag", async () => {
    const { orderId, sessionId } = await buy(db, placeOrder);
    harness.emulator.pay(sessionId, "card_success");
    await settle(harness);
    const paymentIntentId = (await db.transaction.findFirstOrThrow({ where: { orderId, kind: "CHARGE" } }))
      .stripeObjectId;
    const charge = (await stripe.paymentIntents.retrieve(paymentIntentId)).latest_charge as string;
    const opened = (await (
      await fetch(`${harness.emulator.url}/_emulator/charges/${charge}/dispute`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      })
    ).json()) as { id: string };
    await settle(harness);
    const disputed = await orderOutcome(db, orderId);
    expect(disputed).toMatchObject({ status: "PAID", disputed: true });
    expect(disputed.ledger).toContain("DISPUTE:1250:needs_response");
    await fetch(`${harness.emulator.url}/_emulator/disputes/${opened.id}/close`, {
      method: "POST",
      body: JSON.stringify({ status: "won" }),
      headers: { "content-type": "application/json" },
    });
    await settle(harness);
    const won = await orderOutcome(db, orderId);
    expect(won).toMatchObject({ status: "PAID", disputed: false });
    expect(won.ledger).toContain("DISPUTE:1250:won");
  });

  test("orders whose deliveries were all dropped are settled by the reconciler", async () => {
    harness.emulator.configure({ drop: 1 });
    const paid = await buy(db, placeOrder);
    const awaiting = await buy(db, placeOrder);
    harness.emulator.pay(paid.sessionId, "card_success");
    harness.emulator.pay(awaiting.sessionId, "async_failure");
    await settleDelayed(harness, [awaiting.sessionId]);
    harness.emulator.configure({ drop: 0 });
    expect((await orderOutcome(db, paid.orderId)).status).toBe("PENDING");
    expect((await orderOutcome(db, awaiting.orderId)).status).toBe("PENDING");

    const summary = await reconcile();
    expect(summary.events.failed).toBe(0);
    expect(summary.events.recorded).toBeGreaterThanOrEqual(2);
    expect(summary.events.settled).toBeGreaterThanOrEqual(2);
    expect(await orderOutcome(db, paid.orderId)).toMatchObject({ status: "PAID", emails: ["ORDER_CONFIRMATION"] });
    // Learned only after the debit failed, so the shopper gets the failure email alone.
    expect(await orderOutcome(db, awaiting.orderId)).toMatchObject({
      status: "FAILED",
      reserved: 0,
      emails: ["PAYMENT_FAILED"],
    });
    // A second pass finds nothing new to apply.
    expect((await reconcile()).events.recorded).toBe(0);
  });
});
