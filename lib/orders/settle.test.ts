import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness, TEST_WEBHOOK_SECRET } from "@/test/payments-harness";
import { buy, orderOutcome, waitForSettlement } from "@/test/pipeline";
import type { placeOrder as PlaceOrder } from "./place-order";
import type { settleNextGroup as SettleNextGroup } from "./settle";

// No settle workers here: each test runs the worker's step itself, to see what one step does.
let harness: Harness;
let stripe: Stripe;
let placeOrder: typeof PlaceOrder;
let settleNextGroup: typeof SettleNextGroup;
const db = openTestDb(5);

beforeAll(async () => {
  harness = await startHarness({ workers: false });
  stripe = new Stripe(harness.emulator.apiKey, harness.emulator.stripeClientOptions());
  ({ placeOrder } = await import("./place-order"));
  ({ settleNextGroup } = await import("./settle"));
  harness.emulator.configure({ pause: true });
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

async function sessionEvents(sessionId: string): Promise<Stripe.Event[]> {
  const all: Stripe.Event[] = [];
  for await (const event of stripe.events.list({ limit: 100 })) all.push(event);
  return all.filter((e) => (e.data.object as { id?: string }).id === sessionId).reverse();
}

async function deliver(event: object) {
  const payload = JSON.stringify(event, null, 2);
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET });
  return harness.deliver(payload, signature);
}

/** Runs worker steps until nothing is due; returns each step. */
async function drain() {
  const steps = [];
  for (let step = await settleNextGroup(); step; step = await settleNextGroup()) steps.push(step);
  return steps;
}

describe("the settle worker", () => {
  test("the webhook only records: the order changes when the worker settles", async () => {
    const { orderId, sessionId } = await buy(db, placeOrder, { stock: 5, quantity: 1 });
    harness.emulator.pay(sessionId, "card_success");
    const completed = (await sessionEvents(sessionId)).find((e) => e.type === "checkout.session.completed");
    expect(await deliver(completed as Stripe.Event)).toMatchObject({ status: 200, body: { outcome: "recorded" } });
    expect(await orderOutcome(db, orderId)).toMatchObject({ status: "PENDING", reserved: 1, ledger: [] });
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { stripeEventId: completed?.id } })).toMatchObject({
      outcome: "RECEIVED",
      processedAt: null,
      settleKey: sessionId,
    });

    const steps = await drain();
    expect(steps).toMatchObject([{ events: 1, applied: 1, ignored: 0, failed: 0, stripeReads: 0 }]);
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "PAID",
      reserved: 0,
      onHand: 4,
      ledger: ["CHARGE:1250:succeeded"],
      emails: ["ORDER_CONFIRMATION"],
    });
  });

  test("a step says how long its group had been due, which tells the workers they are behind", async () => {
    const { sessionId } = await buy(db, placeOrder, { stock: 5, quantity: 1 });
    harness.emulator.pay(sessionId, "card_success");
    const completed = (await sessionEvents(sessionId)).find((e) => e.type === "checkout.session.completed");
    expect((await deliver(completed as Stripe.Event)).status).toBe(200);
    await db.webhookEvent.update({
      where: { stripeEventId: completed?.id },
      data: { availableAt: new Date(Date.now() - 3_000) },
    });
    const [step] = await drain();
    expect(step?.waitedMs).toBeGreaterThanOrEqual(2_900);
    expect(step?.waitedMs).toBeLessThan(60_000);
  });

  test("three pending events of one session are settled in one step, with no Stripe read", async () => {
    const { orderId, sessionId } = await buy(db, placeOrder, { stock: 5, quantity: 2 });
    harness.emulator.pay(sessionId, "async_success");
    await waitForSettlement(harness, [sessionId]);
    const events = await sessionEvents(sessionId);
    expect(events.map((e) => e.type)).toEqual([
      "checkout.session.completed",
      "checkout.session.async_payment_succeeded",
    ]);
    // A third event about the same session: the completion as Stripe would send it again under
    // a new id (a resend from the Dashboard), signed like any delivery.
    const third = { ...(events[0] as Stripe.Event), id: `evt_resent_${Date.now()}` };
    for (const event of [...events, third]) expect((await deliver(event)).status).toBe(200);

    const steps = await drain();
    expect(steps).toMatchObject([{ events: 3, applied: 3, ignored: 0, failed: 0, stripeReads: 0 }]);
    // Settled together: paid at once, so the shopper is not told to await a transfer that arrived.
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "PAID",
      paymentStatus: "PAID",
      onHand: 3,
      reserved: 0,
      ledger: ["CHARGE:2500:succeeded"],
      emails: ["ORDER_CONFIRMATION"],
    });
    const rows = await db.webhookEvent.findMany({ where: { settleKey: sessionId } });
    expect(rows.map((r) => [r.outcome, r.tries])).toEqual([
      ["PROCESSED", 1],
      ["PROCESSED", 1],
      ["PROCESSED", 1],
    ]);
  });

  test("the same event id with a different body keeps the first body, which is what gets applied", async () => {
    const { orderId, sessionId } = await buy(db, placeOrder, { stock: 5, quantity: 1 });
    harness.emulator.pay(sessionId, "card_success");
    const completed = (await sessionEvents(sessionId)).find(
      (e) => e.type === "checkout.session.completed",
    ) as Stripe.Event;
    const session = completed.data.object as Stripe.Checkout.Session;
    // A second body under the same id claiming a different amount (signed: the secret leaked, or a bug).
    const altered = { ...completed, data: { object: { ...session, amount_total: 1 } } };
    expect(await deliver(completed)).toMatchObject({ status: 200, body: { outcome: "recorded" } });
    expect(await deliver(altered)).toMatchObject({ status: 200, body: { outcome: "duplicate" } });
    expect(await deliver(completed)).toMatchObject({ status: 200, body: { outcome: "duplicate" } });

    const row = await db.webhookEvent.findUniqueOrThrow({ where: { stripeEventId: completed.id } });
    expect(row).toMatchObject({ attempts: 3, duplicates: 2, payloadMismatches: 1 });
    expect((row.payload as { data: { object: { amount_total: number } } }).data.object.amount_total).toBe(1250);
    await drain();
    expect(await orderOutcome(db, orderId)).toMatchObject({ status: "PAID", ledger: ["CHARGE:1250:succeeded"] });
    expect((await db.order.findUniqueOrThrow({ where: { id: orderId } })).needsReview).toBe(false);
  });

  test("two workers racing for one group: the events are applied once", async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => buy(db, placeOrder, { stock: 5, quantity: 1 })));
    for (const o of orders) harness.emulator.pay(o.sessionId, "card_success");
    for (const o of orders) {
      for (const event of await sessionEvents(o.sessionId)) expect((await deliver(event)).status).toBe(200);
    }
    const steps = (await Promise.all([drain(), drain(), drain()])).flat();
    expect(steps.reduce((n, s) => n + s.applied, 0)).toBe(6);
    for (const o of orders)
      expect(await orderOutcome(db, o.orderId)).toMatchObject({
        status: "PAID",
        onHand: 4,
        ledger: ["CHARGE:1250:succeeded"],
        emails: ["ORDER_CONFIRMATION"],
      });
  });
});
