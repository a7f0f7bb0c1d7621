/** Shared steps for the pipeline's integration tests. */
import { expect } from "vitest";
import type { PrismaClient } from "@/lib/db/create-client";
import { createTestProduct } from "./db";
import type { Harness } from "./payments-harness";
import { ASYNC_DELAY_S } from "./payments-harness";

import type { placeOrder } from "@/lib/orders/place-order";

type PlaceOrder = typeof placeOrder;

/** Places an order for a fresh product and returns its ids. */
export async function buy(
  db: PrismaClient,
  place: PlaceOrder,
  options: { stock?: number; quantity?: number; email?: string | null } = {},
) {
  const product = await createTestProduct(db, { stockOnHand: options.stock ?? 10, unitAmount: 1250, currency: "eur" });
  const placed = await place({
    items: [{ productId: product.id, quantity: options.quantity ?? 1 }],
    email: options.email === undefined ? "shopper@example.com" : options.email,
  });
  const order = await db.order.findUniqueOrThrow({ where: { id: placed.orderId } });
  return { product, placed, orderId: placed.orderId, sessionId: order.stripeCheckoutSessionId as string };
}

/**
 * Waits until the emulator has no delivery queued, in flight or waiting to retry, and the
 * store's workers have settled every event recorded.
 */
export async function settle(harness: Harness): Promise<void> {
  const flushed = await harness.emulator.flushDeliveries(15_000);
  expect(flushed.idle).toBe(true);
  await harness.drainInbox();
}

/**
 * Waits until the emulator has settled the delayed bank debits of these sessions (their
 * payment intents leave `processing`). Polls instead of sleeping a fixed time, so a busy
 * machine does not make the outcome arrive "late".
 */
export async function waitForSettlement(harness: Harness, sessionIds: string[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (const sessionId of sessionIds) {
    for (;;) {
      const response = await fetch(
        `${harness.emulator.url}/v1/checkout/sessions/${sessionId}?expand[]=payment_intent`,
        {
          headers: { authorization: `Bearer ${harness.emulator.apiKey}` },
        },
      );
      const session = (await response.json()) as { payment_intent?: { status?: string } | null };
      if (session.payment_intent?.status && session.payment_intent.status !== "processing") break;
      if (Date.now() > deadline) throw new Error(`session ${sessionId} was not settled within 20 s`);
      await new Promise((r) => setTimeout(r, ASYNC_DELAY_S * 500));
    }
  }
}

/** Waits for the delayed outcomes of these sessions, then for their deliveries. */
export async function settleDelayed(harness: Harness, sessionIds: string[]): Promise<void> {
  await waitForSettlement(harness, sessionIds);
  await settle(harness);
}

/** The order's observable outcome: status, stock, ledger and emails. */
export async function orderOutcome(db: PrismaClient, orderId: string) {
  const order = await db.order.findUniqueOrThrow({
    where: { id: orderId },
    include: { transactions: true, emails: true, items: { include: { product: true } } },
  });
  const product = order.items[0]?.product;
  return {
    status: order.status,
    paymentStatus: order.paymentStatus,
    amountRefunded: order.amountRefunded,
    disputed: order.disputed,
    onHand: product?.stockOnHand,
    reserved: product?.stockReserved,
    ledger: order.transactions.map((t) => `${t.kind}:${t.amount}:${t.status}`).sort(),
    emails: order.emails.map((e) => e.kind).sort(),
  };
}
