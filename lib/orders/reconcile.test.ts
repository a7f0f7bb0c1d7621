import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import type * as Reconcile from "./reconcile";

// The server can stop between reserving an order's stock and recording its Checkout session
// (a deploy, a crash). Such an order has no session to settle it; the reconciler gives it up.
let harness: Harness;
let reconcile: typeof Reconcile.reconcile;
const db = openTestDb(3);

beforeAll(async () => {
  harness = await startHarness();
  ({ reconcile } = await import("./reconcile"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

async function orderWithoutSession(minutesAgo: number, link: { stripePaymentLinkId?: string } = {}) {
  const product = await createTestProduct(db, { stockOnHand: 5 });
  await db.product.update({ where: { id: product.id }, data: { stockReserved: 2 } });
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const order = await db.order.create({
    data: {
      accessTokenHash: randomUUID(),
      currency: "eur",
      amountSubtotal: 3000,
      amountTotal: 3000,
      createdAt: at,
      updatedAt: at,
      ...(link.stripePaymentLinkId
        ? { channel: "PAYMENT_LINK" as const, stripePaymentLinkId: link.stripePaymentLinkId, paymentLinkActive: true }
        : {}),
      items: { create: [{ productId: product.id, name: product.name, unitAmount: 1500, quantity: 2 }] },
    },
  });
  return { orderId: order.id, productId: product.id };
}

test("an order stranded without a Checkout session is expired and its stock released, once", async () => {
  const stranded = await orderWithoutSession(11);
  const fresh = await orderWithoutSession(1);
  const first = await reconcile();
  expect(first.orders.abandoned).toBeGreaterThanOrEqual(1);
  expect(await db.order.findUniqueOrThrow({ where: { id: stranded.orderId } })).toMatchObject({
    status: "EXPIRED",
    stockState: "RELEASED",
  });
  expect(await db.product.findUniqueOrThrow({ where: { id: stranded.productId } })).toMatchObject({
    stockOnHand: 5,
    stockReserved: 0,
  });
  // A checkout that may still be opening its session is left alone.
  expect(await db.order.findUniqueOrThrow({ where: { id: fresh.orderId } })).toMatchObject({
    status: "PENDING",
    stockState: "RESERVED",
  });
  await reconcile();
  expect(await db.product.findUniqueOrThrow({ where: { id: stranded.productId } })).toMatchObject({ stockReserved: 0 });
  // A shorter grace (30 s, so checkouts of tests running alongside are never touched) takes it too.
  await reconcile(undefined, { unopenedGraceMs: 30_000 });
  expect(await db.product.findUniqueOrThrow({ where: { id: fresh.productId } })).toMatchObject({ stockReserved: 0 });
});

test("an order sent as a payment link, waiting for its customer without a session, is left to its deadline", async () => {
  const waiting = await orderWithoutSession(60, { stripePaymentLinkId: `plink_${randomUUID().replaceAll("-", "")}` });
  await reconcile(undefined, { unopenedGraceMs: 30_000 });
  expect(await db.order.findUniqueOrThrow({ where: { id: waiting.orderId } })).toMatchObject({
    status: "PENDING",
    stockState: "RESERVED",
  });
  expect(await db.product.findUniqueOrThrow({ where: { id: waiting.productId } })).toMatchObject({ stockReserved: 2 });
});
