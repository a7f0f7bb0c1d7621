import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AdminUser } from "@/lib/auth/guard";
import type { placeOrder as PlaceOrder } from "@/lib/orders/place-order";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import { buy, settle } from "@/test/pipeline";
import type * as Actions from "./order-actions";

// Admin actions against the real pipeline: refunds go to the emulator, which answers with
// signed charge.refunded deliveries into the real webhook route and database.
let harness: Harness;
let placeOrder: typeof PlaceOrder;
let actions: typeof Actions;
let admin: AdminUser;
const db = openTestDb(5);

beforeAll(async () => {
  harness = await startHarness();
  ({ placeOrder } = await import("@/lib/orders/place-order"));
  actions = await import("./order-actions");
  const email = `admin-${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, role: "ADMIN" } });
  admin = { id: user.id, email, name: null };
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

async function paidOrder() {
  const bought = await buy(db, placeOrder, { quantity: 2 });
  harness.emulator.pay(bought.sessionId, "card_success");
  await settle(harness);
  expect(await db.order.findUniqueOrThrow({ where: { id: bought.orderId } })).toMatchObject({ status: "PAID" });
  return bought;
}

const audits = (orderId: string) => db.auditLog.findMany({ where: { orderId }, orderBy: { createdAt: "asc" } });

describe("admin refunds", () => {
  test("a partial refund reaches the order through the webhook, and is audited with who did it", async () => {
    const { orderId } = await paidOrder();
    const result = await actions.refundOrder(admin, { orderId, amount: 500, requestId: randomUUID() });
    expect(result).toMatchObject({ ok: true });
    await settle(harness);
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { transactions: true } });
    expect(order).toMatchObject({ status: "PAID", paymentStatus: "PARTIALLY_REFUNDED", amountRefunded: 500 });
    expect(order.transactions.filter((t) => t.kind === "REFUND").map((t) => t.amount)).toEqual([500]);
    const events = await db.webhookEvent.findMany({ where: { orderId, type: "charge.refunded" } });
    expect(events.map((e) => e.outcome)).toEqual(["PROCESSED"]);
    expect(await audits(orderId)).toMatchObject([
      { action: "refund", actorId: admin.id, actorEmail: admin.email, outcome: "succeeded", detail: { amount: 500 } },
    ]);
  });

  test("the rest can be refunded, then nothing more; the order ends refunded", async () => {
    const { orderId } = await paidOrder();
    expect(await actions.refundOrder(admin, { orderId, amount: 1000, requestId: randomUUID() })).toMatchObject({
      ok: true,
    });
    await settle(harness);
    const tooMuch = await actions.refundOrder(admin, { orderId, amount: 1501, requestId: randomUUID() });
    expect(tooMuch).toMatchObject({ ok: false, status: 400, message: "At most €15.00 can still be refunded." });
    expect(await actions.refundOrder(admin, { orderId, amount: 1500, requestId: randomUUID() })).toMatchObject({
      ok: true,
    });
    await settle(harness);
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({
      status: "REFUNDED",
      paymentStatus: "REFUNDED",
      amountRefunded: 2500,
    });
    const again = await actions.refundOrder(admin, { orderId, amount: 1, requestId: randomUUID() });
    expect(again).toMatchObject({ ok: false, status: 409 });
  });

  test("the same form submitted twice refunds once", async () => {
    const { orderId } = await paidOrder();
    const requestId = randomUUID();
    const [a, b] = await Promise.all([
      actions.refundOrder(admin, { orderId, amount: 300, requestId }),
      actions.refundOrder(admin, { orderId, amount: 300, requestId }),
    ]);
    expect(a.ok || b.ok).toBe(true);
    await settle(harness);
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { transactions: true } });
    expect(order.amountRefunded).toBe(300);
    expect(order.transactions.filter((t) => t.kind === "REFUND")).toHaveLength(1);
  });

  test("unpaid and unknown orders are refused without calling Stripe", async () => {
    const { orderId } = await buy(db, placeOrder);
    expect(await actions.refundOrder(admin, { orderId, amount: 100, requestId: randomUUID() })).toMatchObject({
      ok: false,
      status: 409,
      message: "Only paid orders can be refunded.",
    });
    expect(
      await actions.refundOrder(admin, { orderId: randomUUID(), amount: 100, requestId: randomUUID() }),
    ).toMatchObject({ ok: false, status: 404 });
    expect(await audits(orderId)).toEqual([]);
  });
});

describe("admin resync, resend and replay", () => {
  test("resync applies what Stripe says to an order whose deliveries were lost", async () => {
    const { orderId, sessionId } = await buy(db, placeOrder);
    harness.emulator.configure({ drop: 1 });
    harness.emulator.pay(sessionId, "card_success");
    await settle(harness);
    harness.emulator.configure({ drop: 0 });
    expect(await db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: "PENDING" });
    expect(await actions.resyncOrder(admin, orderId)).toEqual({ ok: true, message: "Updated from Stripe: now paid." });
    expect(await actions.resyncOrder(admin, orderId)).toEqual({
      ok: true,
      message: "Already in line with Stripe; nothing changed.",
    });
    expect((await audits(orderId)).map((a) => a.action)).toEqual(["resync", "resync"]);
  });

  test("resend queues a copy of the email once per form, and records it", async () => {
    const { orderId } = await paidOrder();
    const original = await db.emailOutbox.findFirstOrThrow({ where: { orderId, kind: "ORDER_CONFIRMATION" } });
    const requestId = randomUUID();
    expect(await actions.resendEmail(admin, { orderId, emailId: original.id, requestId })).toMatchObject({ ok: true });
    expect(await actions.resendEmail(admin, { orderId, emailId: original.id, requestId })).toMatchObject({ ok: true });
    const copies = await db.emailOutbox.findMany({ where: { orderId, kind: "ORDER_CONFIRMATION" } });
    expect(copies).toHaveLength(2);
    expect(copies.find((c) => c.id !== original.id)).toMatchObject({ subject: original.subject, to: original.to });
    expect(await actions.resendEmail(admin, { orderId: randomUUID(), emailId: original.id, requestId })).toMatchObject({
      ok: false,
      status: 404,
    });
  });

  test("replaying a processed event changes nothing and is counted", async () => {
    const { orderId } = await paidOrder();
    const before = await db.order.findUniqueOrThrow({
      where: { id: orderId },
      include: { transactions: true, emails: true },
    });
    const event = await db.webhookEvent.findFirstOrThrow({ where: { orderId, type: "checkout.session.completed" } });
    expect(await actions.replayEvent(admin, event.stripeEventId)).toEqual({
      ok: true,
      message: `Replayed ${event.stripeEventId}: processed.`,
    });
    await actions.replayEvent(admin, event.stripeEventId);
    const after = await db.order.findUniqueOrThrow({
      where: { id: orderId },
      include: { transactions: true, emails: true },
    });
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.transactions).toHaveLength(before.transactions.length);
    expect(after.emails).toHaveLength(before.emails.length);
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      replays: 2,
      outcome: "PROCESSED",
    });
    expect(await actions.replayEvent(admin, "evt_unknown")).toMatchObject({ ok: false, status: 404 });
  });

  test("replaying an event that failed applies it", async () => {
    const { orderId, sessionId } = await buy(db, placeOrder);
    harness.emulator.pay(sessionId, "card_success");
    await settle(harness);
    const event = await db.webhookEvent.findFirstOrThrow({ where: { orderId, type: "checkout.session.completed" } });
    // As if the delivery had failed before commit: processed state undone.
    await db.webhookEvent.update({
      where: { id: event.id },
      data: { processedAt: null, outcome: "FAILED", error: "db down" },
    });
    expect(await actions.replayEvent(admin, event.stripeEventId)).toMatchObject({ ok: true });
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      outcome: "PROCESSED",
      error: null,
    });
  });
});
