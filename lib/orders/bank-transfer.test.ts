import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openTestDb } from "@/test/db";
import { type Harness, startHarness } from "@/test/payments-harness";
import { buy, orderOutcome, settle } from "@/test/pipeline";
import type { placeOrder as PlaceOrder } from "./place-order";
import type { runPaymentDeadlines as RunPaymentDeadlines } from "./deadlines";
import type { TransferInstructions } from "@/lib/payments/types";

// Paying later by bank transfer, end to end: the store's checkout, the emulator's customer
// balance and its funding test helper, signed deliveries, the settle workers, real PostgreSQL.
let harness: Harness;
let stripe: Stripe;
let placeOrder: typeof PlaceOrder;
let runPaymentDeadlines: typeof RunPaymentDeadlines;
const db = openTestDb(5);

beforeAll(async () => {
  process.env.BANK_TRANSFERS = "true";
  process.env.BANK_TRANSFER_DAYS = "7";
  harness = await startHarness();
  stripe = new Stripe(harness.emulator.apiKey, harness.emulator.stripeClientOptions());
  ({ placeOrder } = await import("./place-order"));
  ({ runPaymentDeadlines } = await import("./deadlines"));
});
afterAll(async () => {
  await harness.stop();
  await db.$disconnect();
});

const DAY_MS = 24 * 60 * 60_000;

/** Places a bank transfer order of 2 × €12.50 and has the shopper choose it on Checkout. */
async function transferOrder(options: { stock?: number; email?: string | null } = {}) {
  const bought = await buy(db, (input) => placeOrder({ ...input, method: "bank_transfer" }), {
    stock: options.stock ?? 10,
    quantity: 2,
    email: options.email,
  });
  harness.emulator.pay(bought.sessionId, "bank_transfer");
  await settle(harness);
  return bought;
}

async function order(orderId: string) {
  const row = await db.order.findUniqueOrThrow({ where: { id: orderId } });
  return { ...row, transferInstructions: row.transferInstructions as TransferInstructions | null };
}

/** Sends money to the order's customer as their bank would, quoting the order's reference. */
async function fund(orderId: string, amount: number) {
  const { stripeCustomerId, transferInstructions } = await order(orderId);
  await stripe.testHelpers.customers.fundCashBalance(stripeCustomerId as string, {
    amount,
    currency: "eur",
    reference: transferInstructions?.reference ?? "",
  });
  await settle(harness);
}

/** The types of the events the store recorded for the order, oldest first. */
async function recordedTypes(orderId: string): Promise<string[]> {
  const events = await db.webhookEvent.findMany({
    where: { orderId },
    // Stripe stamps events to the second; deliveries, one at a time, keep their order within it.
    orderBy: [{ stripeCreatedAt: "asc" }, { receivedAt: "asc" }],
  });
  return events.map((e) => e.type);
}

describe("pay later by bank transfer", () => {
  test("the Checkout session asks for a bank transfer, and the order holds its stock for the configured days", async () => {
    const before = Date.now();
    const { orderId, sessionId } = await buy(db, (input) => placeOrder({ ...input, method: "bank_transfer" }), {
      quantity: 1,
    });
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    expect(session.payment_method_types).toEqual(["customer_balance"]);
    expect(session.payment_method_options?.customer_balance?.bank_transfer?.type).toBe("eu_bank_transfer");
    expect(session.customer_creation).toBe("always");
    const placed = await order(orderId);
    expect(placed.paymentMethod).toBe("BANK_TRANSFER");
    const due = placed.paymentDueAt?.getTime() ?? 0;
    expect(due).toBeGreaterThanOrEqual(before + 7 * DAY_MS - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS + 1000);
  });

  test("a store without bank transfers, or an order in another currency, refuses the method and reserves nothing", async () => {
    const product = await db.product.create({
      data: {
        slug: `gbp-${Date.now()}`,
        name: "Pound item",
        description: "",
        image: "/x.svg",
        unitAmount: 1000,
        currency: "gbp",
        stockOnHand: 5,
      },
    });
    await expect(
      placeOrder({ items: [{ productId: product.id, quantity: 1 }], email: null, method: "bank_transfer" }),
    ).rejects.toMatchObject({ code: "method_unavailable" });
    expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ stockReserved: 0 });
  });

  test("choosing it on Checkout shows the instructions: awaiting, stock held, instructions emailed once", async () => {
    const { orderId } = await transferOrder();
    const placed = await order(orderId);
    expect(placed).toMatchObject({ status: "PENDING", paymentStatus: "AWAITING_PAYMENT", amountReceived: 0 });
    expect(placed.stripeCustomerId).toMatch(/^cus_/);
    expect(placed.transferInstructions).toMatchObject({
      type: "eu_bank_transfer",
      amountRemaining: 2500,
      currency: "eur",
      addresses: [{ kind: "iban", country: "DE" }],
    });
    expect(placed.transferInstructions?.reference).toMatch(/\w{6,}/);
    expect(placed.transferInstructions?.addresses[0]).toMatchObject({
      iban: expect.stringMatching(/^DE\d{20}$/) as unknown,
    });
    expect(await orderOutcome(db, orderId)).toMatchObject({ reserved: 2, emails: ["TRANSFER_INSTRUCTIONS"] });
    const email = await db.emailOutbox.findFirstOrThrow({ where: { orderId, kind: "TRANSFER_INSTRUCTIONS" } });
    expect(email.text).toContain(`Reference: ${placed.transferInstructions?.reference}`);
    expect(email.text).toContain("Amount to send: €25.00");
    expect(email.text).toContain("IBAN: DE");
    expect(email.text).toMatch(/Pay by: \d{1,2} \w+ \d{4}/);
    expect(await recordedTypes(orderId)).toEqual(["payment_intent.requires_action", "checkout.session.completed"]);
  });

  test("funds arriving in two parts: partial, then paid, with the amounts received and one confirmation", async () => {
    const { orderId } = await transferOrder();
    await fund(orderId, 1000);
    const partial = await order(orderId);
    expect(partial).toMatchObject({ status: "PENDING", paymentStatus: "AWAITING_PAYMENT", amountReceived: 1000 });
    expect(partial.transferInstructions?.amountRemaining).toBe(1500);
    expect(await orderOutcome(db, orderId)).toMatchObject({ reserved: 2, ledger: [] });

    await fund(orderId, 1500);
    expect(await order(orderId)).toMatchObject({
      status: "PAID",
      paymentStatus: "PAID",
      amountReceived: 2500,
      amountUnapplied: 0,
      needsReview: false,
    });
    expect(await orderOutcome(db, orderId)).toMatchObject({
      reserved: 0,
      onHand: 8,
      ledger: ["CHARGE:2500:succeeded"],
      emails: ["ORDER_CONFIRMATION", "TRANSFER_INSTRUCTIONS"],
    });
    expect(await recordedTypes(orderId)).toEqual([
      "payment_intent.requires_action",
      "checkout.session.completed",
      "payment_intent.partially_funded",
      "checkout.session.async_payment_succeeded",
    ]);
  });

  test("overfunding pays the order and flags the surplus left on the customer's cash balance", async () => {
    const { orderId } = await transferOrder();
    await fund(orderId, 3000);
    expect(await order(orderId)).toMatchObject({
      status: "PAID",
      amountReceived: 2500,
      amountUnapplied: 500,
      needsReview: true,
      reviewReason: expect.stringContaining("Overpaid: €5.00") as unknown,
    });
    expect(await recordedTypes(orderId)).toContain("cash_balance.funds_available");
  });

  test("at the deadline the payment is cancelled, the stock released, the order expired and the shopper emailed", async () => {
    const { orderId, product } = await transferOrder({ stock: 4 });
    // Not yet due: nothing happens.
    await runPaymentDeadlines();
    expect(await order(orderId)).toMatchObject({ status: "PENDING" });

    await db.order.update({ where: { id: orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    const summary = await runPaymentDeadlines();
    expect(summary).toMatchObject({ closed: 1, failed: 0 });
    const pi = await stripe.paymentIntents.retrieve((await order(orderId)).stripePaymentIntentId as string);
    expect(pi.status).toBe("canceled");
    expect(await orderOutcome(db, orderId)).toMatchObject({
      status: "EXPIRED",
      onHand: 4,
      reserved: 0,
      emails: ["PAYMENT_EXPIRED", "TRANSFER_INSTRUCTIONS"],
    });
    // Stripe's own payment_intent.canceled arrives after and changes nothing.
    await settle(harness);
    expect(await recordedTypes(orderId)).toContain("payment_intent.canceled");
    expect(await orderOutcome(db, orderId)).toMatchObject({ status: "EXPIRED", reserved: 0 });
    expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stockReserved).toBe(0);
    // A second run finds nothing more to do.
    expect(await runPaymentDeadlines()).toMatchObject({ closed: 0 });
  });

  test("funds that arrive after the cancellation are flagged for the admin, never lost", async () => {
    const { orderId } = await transferOrder();
    await fund(orderId, 1000);
    await db.order.update({ where: { id: orderId }, data: { paymentDueAt: new Date(Date.now() - 1000) } });
    await runPaymentDeadlines();
    await settle(harness);
    // The part received went back to the customer's balance when Stripe cancelled the payment.
    expect(await order(orderId)).toMatchObject({
      status: "EXPIRED",
      amountUnapplied: 1000,
      needsReview: true,
      reviewReason: expect.stringContaining("€10.00 arrived after the order was closed") as unknown,
    });
    await fund(orderId, 700);
    expect(await order(orderId)).toMatchObject({
      status: "EXPIRED",
      amountUnapplied: 1700,
      reviewReason:
        "€17.00 arrived after the order was closed and is on the customer's Stripe cash balance; refund it to them",
    });
  });

  test("a reminder goes once to orders due within the reminder window", async () => {
    const { orderId } = await transferOrder();
    const now = Date.now();
    await db.order.update({
      where: { id: orderId },
      data: { createdAt: new Date(now - 6 * DAY_MS), paymentDueAt: new Date(now + DAY_MS) },
    });
    expect((await runPaymentDeadlines()).reminded).toBeGreaterThanOrEqual(1);
    expect((await runPaymentDeadlines()).reminded).toBe(0);
    const reminder = await db.emailOutbox.findFirstOrThrow({ where: { orderId, kind: "PAYMENT_REMINDER" } });
    expect(reminder.subject).toContain("waiting for your payment");
    expect(reminder.text).toContain("Reference:");
  });
});
