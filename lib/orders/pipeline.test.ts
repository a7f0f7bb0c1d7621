import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestProduct, openTestDb } from "@/test/db";
import type { placeOrder as PlaceOrder, retryCheckout as RetryCheckout } from "./place-order";
import { type Harness, startHarness } from "@/test/payments-harness";
import { buy, orderOutcome, settle, settleDelayed } from "@/test/pipeline";

// The whole payment pipeline: real checkout service, real emulator, real signed deliveries
// into the real webhook route, real PostgreSQL.
let harness: Harness;
let placeOrder: typeof PlaceOrder;
let retryCheckout: typeof RetryCheckout;
const db = openTestDb(5);

beforeAll(async () => {
  harness = await startHarness();
  ({ placeOrder, retryCheckout } = await import("./place-order"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

const place = (stock: number, quantity: number) => buy(db, placeOrder, { stock, quantity });
const settled = () => settle(harness);
const settledDelayed = (sessionId: string) => settleDelayed(harness, [sessionId]);

/** The pictures Checkout shows beside each line of a session, as Stripe holds them. */
async function sessionImages(sessionId: string): Promise<string[][]> {
  const read = async <T>(path: string) =>
    (await (
      await fetch(`${harness.emulator.url}/v1/${path}`, {
        headers: { authorization: `Bearer ${harness.emulator.apiKey}` },
      })
    ).json()) as T;
  const items = await read<{ data: Array<{ price: { product: string } }> }>(
    `checkout/sessions/${sessionId}/line_items`,
  );
  return Promise.all(
    items.data.map(async (item) => (await read<{ images: string[] }>(`products/${item.price.product}`)).images),
  );
}

async function state(orderId: string) {
  const { amountRefunded: _refunded, disputed: _disputed, ...rest } = await orderOutcome(db, orderId);
  return rest;
}

describe("payment pipeline", () => {
  test("checkout reserves stock, stores the order pending and returns the Checkout URL", async () => {
    const { placed, sessionId, product } = await place(10, 2);
    expect(placed.url).toContain(sessionId);
    expect(product.image).toBe("/products/stoneware-mug.svg");
    expect(await sessionImages(sessionId)).toEqual([["http://localhost:3999/products/stoneware-mug.svg"]]);
    expect(placed.statusUrl).toMatch(new RegExp(`/orders/${placed.orderId}\\?token=[\\w-]{43}$`));
    expect(await state(placed.orderId)).toMatchObject({
      status: "PENDING",
      paymentStatus: "UNPAID",
      onHand: 10,
      reserved: 2,
    });
  });

  test("card success: paid, stock committed, one charge, one confirmation email", async () => {
    const { placed, sessionId } = await place(10, 2);
    harness.emulator.pay(sessionId, "card_success");
    await settled();
    expect(await state(placed.orderId)).toEqual({
      status: "PAID",
      paymentStatus: "PAID",
      onHand: 8,
      reserved: 0,
      ledger: ["CHARGE:2500:succeeded"],
      emails: ["ORDER_CONFIRMATION"],
    });
  });

  test("card decline keeps the order pending and reserved; expiry then releases the stock", async () => {
    const { placed, sessionId } = await place(5, 1);
    harness.emulator.pay(sessionId, "card_decline");
    await settled();
    expect(await state(placed.orderId)).toMatchObject({
      status: "PENDING",
      paymentStatus: "UNPAID",
      reserved: 1,
    });
    await fetch(`${harness.emulator.url}/v1/checkout/sessions/${sessionId}/expire`, {
      method: "POST",
      headers: { authorization: `Bearer ${harness.emulator.apiKey}` },
    });
    await settled();
    expect(await state(placed.orderId)).toMatchObject({
      status: "EXPIRED",
      paymentStatus: "UNPAID",
      onHand: 5,
      reserved: 0,
      emails: [],
    });
  });

  test("delayed debit that succeeds: awaiting payment, then paid", async () => {
    const { placed, sessionId } = await place(10, 1);
    harness.emulator.pay(sessionId, "async_success");
    await settled();
    expect(await state(placed.orderId)).toMatchObject({
      status: "PENDING",
      paymentStatus: "AWAITING_PAYMENT",
      reserved: 1,
      emails: ["AWAITING_PAYMENT"],
    });
    await settledDelayed(sessionId);
    expect(await state(placed.orderId)).toEqual({
      status: "PAID",
      paymentStatus: "PAID",
      onHand: 9,
      reserved: 0,
      ledger: ["CHARGE:1250:succeeded"],
      emails: ["AWAITING_PAYMENT", "ORDER_CONFIRMATION"],
    });
  });

  test("delayed debit that fails: failed, stock released, retry email; a retry then pays", async () => {
    const { placed, sessionId } = await place(3, 1);
    harness.emulator.pay(sessionId, "async_failure");
    await settled();
    await settledDelayed(sessionId);
    expect(await state(placed.orderId)).toMatchObject({
      status: "FAILED",
      paymentStatus: "FAILED",
      onHand: 3,
      reserved: 0,
      emails: ["AWAITING_PAYMENT", "PAYMENT_FAILED"],
    });
    const token = new URL(placed.statusUrl).searchParams.get("token") as string;
    const retry = await retryCheckout(placed.orderId, token);
    const order = await db.order.findUniqueOrThrow({ where: { id: placed.orderId } });
    expect(order.checkoutAttempt).toBe(2);
    expect(retry.url).toContain(order.stripeCheckoutSessionId as string);
    expect(await sessionImages(order.stripeCheckoutSessionId as string)).toEqual([
      ["http://localhost:3999/products/stoneware-mug.svg"],
    ]);
    expect(await state(placed.orderId)).toMatchObject({ status: "PENDING", reserved: 1 });
    harness.emulator.pay(order.stripeCheckoutSessionId as string, "card_success");
    await settled();
    expect(await state(placed.orderId)).toMatchObject({ status: "PAID", onHand: 2, reserved: 0 });
  });

  test("20 parallel checkouts of the last unit: exactly one order reserves it", async () => {
    const product = await createTestProduct(db, { stockOnHand: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => placeOrder({ items: [{ productId: product.id, quantity: 1 }], email: null })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(failures).toHaveLength(19);
    for (const f of failures) expect(f.reason).toMatchObject({ code: "insufficient_stock" });
    expect(await db.order.count({ where: { items: { some: { productId: product.id } } } })).toBe(1);
  });

  test("an amount that differs from the order is held for review, not marked paid", async () => {
    const { placed, sessionId } = await place(10, 1);
    // The order's total no longer matches what the shopper is charged.
    await db.order.update({ where: { id: placed.orderId }, data: { amountTotal: 999 } });
    harness.emulator.pay(sessionId, "card_success");
    await settled();
    const order = await db.order.findUniqueOrThrow({ where: { id: placed.orderId } });
    expect(order).toMatchObject({ status: "PENDING", paymentStatus: "PAID", needsReview: true });
    expect(order.reviewReason).toMatch(/1250 eur.*999 eur/);
    expect((await state(placed.orderId)).emails).toEqual([]);
  });
});
