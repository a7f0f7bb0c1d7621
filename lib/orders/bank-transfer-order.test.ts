import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness, TEST_WEBHOOK_SECRET } from "@/test/payments-harness";
import { buy, orderOutcome } from "@/test/pipeline";
import type { placeOrder as PlaceOrder } from "./place-order";
import type { settleNextGroup as SettleNextGroup } from "./settle";
import type { runPaymentDeadlines as RunPaymentDeadlines } from "./deadlines";

// A bank transfer's events delivered late, twice and out of order: the deliveries are paused
// at the emulator and handed to the webhook route here, in the order each test chooses.
let harness: Harness;
let stripe: Stripe;
let placeOrder: typeof PlaceOrder;
let settleNextGroup: typeof SettleNextGroup;
let runPaymentDeadlines: typeof RunPaymentDeadlines;
const db = openTestDb(5);

beforeAll(async () => {
  process.env.BANK_TRANSFERS = "true";
  harness = await startHarness({ workers: false });
  stripe = new Stripe(harness.emulator.apiKey, harness.emulator.stripeClientOptions());
  ({ placeOrder } = await import("./place-order"));
  ({ settleNextGroup } = await import("./settle"));
  ({ runPaymentDeadlines } = await import("./deadlines"));
  harness.emulator.configure({ pause: true });
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

/** A bank transfer order of €25.00 the shopper chose on Checkout; its events are held back. */
async function transferOrder() {
  const bought = await buy(db, (input) => placeOrder({ ...input, method: "bank_transfer" }), { quantity: 2 });
  const session = harness.emulator.pay(bought.sessionId, "bank_transfer");
  const intent = await stripe.paymentIntents.retrieve(session.payment_intent ?? "");
  const reference = intent.next_action?.display_bank_transfer_instructions?.reference ?? "";
  return { ...bought, intent, customerId: intent.customer as string, reference };
}

async function fund(customerId: string, reference: string, amount: number) {
  await stripe.testHelpers.customers.fundCashBalance(customerId, { amount, currency: "eur", reference });
}

/** Every event about the order's session, payment intent or customer, oldest first. */
async function eventsOf(ids: { sessionId: string; intentId: string; customerId: string }): Promise<Stripe.Event[]> {
  const related = new Set(Object.values(ids));
  const all: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) all.push(event);
  return all
    .filter((e) => {
      const object = e.data.object as { id?: string; customer?: unknown; payment_intent?: unknown };
      return [object.id, object.customer, object.payment_intent].some((v) => typeof v === "string" && related.has(v));
    })
    .reverse();
}

async function deliver(event: Stripe.Event) {
  const payload = JSON.stringify(event, null, 2);
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  return harness.deliver(payload, signature);
}

/** Runs the worker until nothing is due; then, as if time passed, what waits to be retried too. */
async function drain({ waited = false } = {}) {
  if (waited) await db.webhookEvent.updateMany({ where: { processedAt: null }, data: { availableAt: new Date() } });
  while (await settleNextGroup());
}

async function order(orderId: string) {
  return db.order.findUniqueOrThrow({ where: { id: orderId } });
}

describe("bank transfer events out of order", () => {
  test("newest first and each twice: the same paid order, surplus flagged, one confirmation, no instructions email after payment", async () => {
    const { orderId, sessionId, intent, customerId, reference } = await transferOrder();
    await fund(customerId, reference, 1000);
    await fund(customerId, reference, 2000);
    const events = await eventsOf({ sessionId, intentId: intent.id, customerId });
    expect(events.map((e) => e.type)).toEqual([
      "customer.created",
      "payment_intent.created",
      "payment_intent.requires_action",
      "checkout.session.completed",
      "customer_cash_balance_transaction.created",
      "customer_cash_balance_transaction.created",
      "payment_intent.partially_funded",
      "customer_cash_balance_transaction.created",
      "customer_cash_balance_transaction.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.async_payment_succeeded",
      "cash_balance.funds_available",
    ]);
    for (const event of [...events].reverse()) {
      expect((await deliver(event)).status).toBe(200);
      expect((await deliver(event)).status).toBe(200);
      await drain();
    }
    await drain({ waited: true });
    expect(await order(orderId)).toMatchObject({
      status: "PAID",
      paymentMethod: "BANK_TRANSFER",
      amountReceived: 2500,
      amountUnapplied: 500,
      needsReview: true,
      reviewReason: "Overpaid: €5.00 is left on the customer's Stripe cash balance; refund it to them",
      stripeCustomerId: customerId,
    });
    expect(await orderOutcome(db, orderId)).toMatchObject({
      reserved: 0,
      onHand: 8,
      ledger: ["CHARGE:2500:succeeded"],
      emails: ["ORDER_CONFIRMATION"],
    });
  });

  test("the partial funding after the completion, the completion after the instructions: amounts never go back", async () => {
    const { orderId, sessionId, intent, customerId, reference } = await transferOrder();
    await fund(customerId, reference, 600);
    await fund(customerId, reference, 900);
    const events = await eventsOf({ sessionId, intentId: intent.id, customerId });
    const byType = (type: string) => events.filter((e) => e.type === type);
    const [firstPart, secondPart] = byType("payment_intent.partially_funded");
    // The later part first, then the earlier one, then what announced the transfer.
    for (const event of [
      secondPart,
      firstPart,
      ...byType("checkout.session.completed"),
      ...byType("payment_intent.requires_action"),
    ]) {
      expect((await deliver(event as Stripe.Event)).status).toBe(200);
      await drain();
    }
    const pending = await order(orderId);
    expect(pending).toMatchObject({ status: "PENDING", paymentStatus: "AWAITING_PAYMENT", amountReceived: 1500 });
    expect(pending.transferInstructions).toMatchObject({ amountRemaining: 1000, reference });
    expect(await orderOutcome(db, orderId)).toMatchObject({ reserved: 2, emails: ["TRANSFER_INSTRUCTIONS"] });
    const instructions = await db.emailOutbox.findFirstOrThrow({ where: { orderId, kind: "TRANSFER_INSTRUCTIONS" } });
    expect(instructions.text).toContain("Amount to send: €10.00 (€15.00 of €25.00 received)");
  });

  test("the payment's own events lost: the session names the customer, so the surplus on their balance is flagged", async () => {
    const { orderId, sessionId, intent, customerId, reference } = await transferOrder();
    await fund(customerId, reference, 3000);
    const events = await eventsOf({ sessionId, intentId: intent.id, customerId });
    // Only what the session and the cash balance say: the payment intent's events never come.
    for (const event of events.filter((e) => !e.type.startsWith("payment_intent."))) {
      expect((await deliver(event)).status).toBe(200);
      await drain();
    }
    expect(await order(orderId)).toMatchObject({
      status: "PAID",
      amountReceived: 2500,
      amountUnapplied: 500,
      needsReview: true,
      stripeCustomerId: customerId,
    });
    const surplus = events.find((e) => e.type === "cash_balance.funds_available");
    expect(await db.webhookEvent.findUnique({ where: { stripeEventId: surplus?.id ?? "" } })).toMatchObject({
      outcome: "PROCESSED",
    });
  });

  test("a part whose news arrives after the deadline closed the order: it is back on the balance, flagged", async () => {
    const { orderId, sessionId, intent, customerId, reference } = await transferOrder();
    await fund(customerId, reference, 1000);
    const events = await eventsOf({ sessionId, intentId: intent.id, customerId });
    const late: Stripe.Event[] = events.filter((e) => e.type === "payment_intent.partially_funded");
    for (const event of events.filter((e) => !late.includes(e))) await deliver(event);
    await drain();
    await db.order.update({ where: { id: orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    expect(await runPaymentDeadlines()).toMatchObject({ closed: 1, failed: 0 });
    expect(await order(orderId)).toMatchObject({ status: "EXPIRED", amountReceived: 0, needsReview: false });
    for (const event of late) expect((await deliver(event)).status).toBe(200);
    await drain();
    expect(await order(orderId)).toMatchObject({
      status: "EXPIRED",
      stockState: "RELEASED",
      amountReceived: 1000,
      amountUnapplied: 1000,
      needsReview: true,
    });
  });

  test("the session's events lost: the payment's own events name it, so the deadline still closes the order", async () => {
    const { orderId, sessionId, intent, customerId, reference } = await transferOrder();
    await fund(customerId, reference, 1000);
    const events = await eventsOf({ sessionId, intentId: intent.id, customerId });
    for (const event of events.filter((e) => !e.type.startsWith("checkout.session."))) await deliver(event);
    await drain();
    expect(await order(orderId)).toMatchObject({ stripePaymentIntentId: intent.id, amountReceived: 1000 });
    await db.order.update({ where: { id: orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    expect(await runPaymentDeadlines()).toMatchObject({ closed: 1, failed: 0 });
    expect(await order(orderId)).toMatchObject({
      status: "EXPIRED",
      stockState: "RELEASED",
      amountUnapplied: 1000,
      needsReview: true,
    });
  });

  test("funds that race the deadline: Stripe keeps the paid payment, and the order turns paid", async () => {
    const { orderId, sessionId, intent, customerId, reference } = await transferOrder();
    for (const event of await eventsOf({ sessionId, intentId: intent.id, customerId })) await deliver(event);
    await drain();
    await fund(customerId, reference, 2500);
    await db.order.update({ where: { id: orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    expect(await runPaymentDeadlines()).toMatchObject({ closed: 0, kept: 1, failed: 0 });
    expect(await order(orderId)).toMatchObject({ status: "PENDING", stockState: "RESERVED" });
    for (const event of await eventsOf({ sessionId, intentId: intent.id, customerId })) await deliver(event);
    await drain();
    expect(await orderOutcome(db, orderId)).toMatchObject({ status: "PAID", reserved: 0, onHand: 8 });
  });
});
