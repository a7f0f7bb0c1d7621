import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../index";
import { control, sessionParams, setUpHarness, stripeFor } from "../../test-support/harness";

const h = setUpHarness();

/** What a transfer that pays the rest of a waiting intent sends, in order. */
const PAID_IN_FULL = [
  "customer_cash_balance_transaction.created",
  "customer_cash_balance_transaction.created",
  "payment_intent.succeeded",
  "charge.succeeded",
  "checkout.session.async_payment_succeeded",
];

/** A €30.00 session paid by transfer for `customer`: its intent, reference and customer. */
async function waitingTransfer(stripe: Stripe, pay: (sessionId: string) => string | null, customer?: string) {
  const session = await stripe.checkout.sessions.create(
    sessionParams({
      allowed_payment_method_types: ["customer_balance"],
      payment_method_options: {
        customer_balance: {
          funding_type: "bank_transfer",
          bank_transfer: { type: "eu_bank_transfer", eu_bank_transfer: { country: "NL" } },
        },
      },
      ...(customer ? { customer } : { customer_creation: "always" }),
    }),
  );
  const intent = await stripe.paymentIntents.retrieve(pay(session.id) ?? "");
  const reference = intent.next_action?.display_bank_transfer_instructions?.reference ?? "";
  return { session, intent, reference, customer: intent.customer as string };
}

function payHere(sessionId: string): string | null {
  return h.emulator.pay(sessionId, "bank_transfer", "jenny@example.com").payment_intent;
}

/** Event types delivered since the last call, in order. */
async function newEvents(): Promise<string[]> {
  await h.emulator.flushDeliveries();
  const types = h.receiver.types();
  h.receiver.clear();
  return types;
}

async function transactionsOf(customer: string) {
  const list = await h.stripe.customers.listCashBalanceTransactions(customer, { limit: 100 });
  return list.data.reverse().map((t) => ({ type: t.type, net_amount: t.net_amount, ending_balance: t.ending_balance }));
}

describe("funding a customer's cash balance", () => {
  it("funds part, then the rest, with Stripe's events and transactions", async () => {
    const { session, intent, reference, customer } = await waitingTransfer(h.stripe, payHere);
    expect(await h.stripe.customers.retrieveCashBalance(customer)).toEqual({
      object: "cash_balance",
      available: null,
      customer,
      customer_account: null,
      livemode: false,
      settings: { reconciliation_mode: "automatic", using_merchant_default: true },
    });
    await newEvents();

    const funded = await h.stripe.testHelpers.customers.fundCashBalance(customer, {
      amount: 1000,
      currency: "eur",
      reference,
    });
    expect(funded).toMatchObject({
      object: "customer_cash_balance_transaction",
      type: "funded",
      currency: "eur",
      customer,
      net_amount: 1000,
      ending_balance: 1000,
      funded: { bank_transfer: { type: "eu_bank_transfer", reference } },
    });
    expect(funded.id).toMatch(/^ccsbtxn_/);
    expect(await newEvents()).toEqual([
      "customer_cash_balance_transaction.created",
      "customer_cash_balance_transaction.created",
      "payment_intent.partially_funded",
    ]);
    const partly = await h.stripe.paymentIntents.retrieve(intent.id);
    expect(partly.status).toBe("requires_action");
    expect(partly.amount_received).toBe(0);
    expect(partly.next_action?.display_bank_transfer_instructions?.amount_remaining).toBe(2000);
    expect((await h.stripe.customers.retrieveCashBalance(customer)).available).toEqual({ eur: 0 });

    await h.stripe.testHelpers.customers.fundCashBalance(customer, { amount: 2000, currency: "eur", reference });
    expect(await newEvents()).toEqual(PAID_IN_FULL);
    const paid = await h.stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] });
    expect(paid).toMatchObject({ status: "succeeded", amount_received: 3000, next_action: null, customer });
    expect(paid.latest_charge).toMatchObject({
      status: "succeeded",
      paid: true,
      amount: 3000,
      customer,
      payment_method_details: { type: "customer_balance", customer_balance: {} },
    });
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ payment_status: "paid" });
    expect(await transactionsOf(customer)).toEqual([
      { type: "funded", net_amount: 1000, ending_balance: 1000 },
      { type: "applied_to_payment", net_amount: -1000, ending_balance: 0 },
      { type: "funded", net_amount: 2000, ending_balance: 2000 },
      { type: "applied_to_payment", net_amount: -2000, ending_balance: 0 },
    ]);
  });

  it("leaves what an overpayment brings on the customer's cash balance", async () => {
    const { intent, customer } = await waitingTransfer(h.stripe, payHere);
    await newEvents();
    await h.stripe.testHelpers.customers.fundCashBalance(customer, { amount: 5000, currency: "eur" });
    expect(await newEvents()).toEqual([...PAID_IN_FULL, "cash_balance.funds_available"]);
    expect((await h.stripe.paymentIntents.retrieve(intent.id)).status).toBe("succeeded");
    expect((await h.stripe.customers.retrieveCashBalance(customer)).available).toEqual({ eur: 2000 });
    const [event] = (await h.stripe.events.list({ type: "cash_balance.funds_available" })).data;
    expect(event?.data.object).toMatchObject({ object: "cash_balance", customer, available: { eur: 2000 } });
  });

  it("applies a transfer to the intent whose reference it carries, else to the oldest", async () => {
    const first = await waitingTransfer(h.stripe, payHere);
    const second = await waitingTransfer(h.stripe, payHere, first.customer);
    await h.stripe.testHelpers.customers.fundCashBalance(first.customer, {
      amount: 3000,
      currency: "eur",
      reference: second.reference,
    });
    expect((await h.stripe.paymentIntents.retrieve(second.intent.id)).status).toBe("succeeded");
    expect((await h.stripe.paymentIntents.retrieve(first.intent.id)).status).toBe("requires_action");
    await h.stripe.testHelpers.customers.fundCashBalance(first.customer, { amount: 500, currency: "eur" });
    const first2 = await h.stripe.paymentIntents.retrieve(first.intent.id);
    expect(first2.next_action?.display_bank_transfer_instructions?.amount_remaining).toBe(2500);
  });

  it("funds by the reference shown to the shopper, or the customer, through the control API", async () => {
    const { intent, reference, customer } = await waitingTransfer(h.stripe, payHere);
    await newEvents();
    const byReference = await control(h.emulator, "POST", "/_emulator/bank_transfers/fund", {
      reference,
      amount: 1200,
    });
    expect(byReference).toMatchObject({
      status: 200,
      body: { object: "customer_cash_balance_transaction", type: "funded", customer, net_amount: 1200 },
    });
    expect(await newEvents()).toEqual([
      "customer_cash_balance_transaction.created",
      "customer_cash_balance_transaction.created",
      "payment_intent.partially_funded",
    ]);
    const byCustomer = await control(h.emulator, "POST", `/_emulator/customers/${customer}/fund`, {
      amount: 1800,
      currency: "eur",
    });
    expect(byCustomer.status).toBe(200);
    expect((await h.stripe.paymentIntents.retrieve(intent.id)).status).toBe("succeeded");
    const unknown = await control(h.emulator, "POST", "/_emulator/bank_transfers/fund", {
      reference: "NOSUCHREF",
      amount: 1,
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: "resource_missing", param: "reference" } } });
  });

  it("refuses what Stripe refuses", async () => {
    const customer = await h.stripe.customers.create({ name: "Jenny Rosen" });
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (e: unknown) => e,
      );
    expect(await refused(h.stripe.customers.retrieveCashBalance("cus_missing"))).toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
    expect(
      await refused(h.stripe.testHelpers.customers.fundCashBalance(customer.id, { amount: 100, currency: "gbp" })),
    ).toMatchObject({ statusCode: 400, param: "currency" });
    expect(
      await refused(h.stripe.testHelpers.customers.fundCashBalance(customer.id, { amount: 0, currency: "eur" })),
    ).toMatchObject({ statusCode: 400, param: "amount" });
  });
});

describe("canceling a bank transfer", () => {
  it("cancels an unfunded intent, and later funds stay on the balance", async () => {
    const { intent, customer, reference } = await waitingTransfer(h.stripe, payHere);
    await newEvents();
    const canceled = await h.stripe.paymentIntents.cancel(intent.id);
    expect(canceled).toMatchObject({ status: "canceled", next_action: null });
    expect(await newEvents()).toEqual(["payment_intent.canceled"]);
    await h.stripe.testHelpers.customers.fundCashBalance(customer, { amount: 3000, currency: "eur", reference });
    expect(await newEvents()).toEqual(["customer_cash_balance_transaction.created", "cash_balance.funds_available"]);
    expect((await h.stripe.customers.retrieveCashBalance(customer)).available).toEqual({ eur: 3000 });
  });

  it("returns what a partly funded intent had received to the cash balance", async () => {
    const { intent, customer, reference } = await waitingTransfer(h.stripe, payHere);
    await h.stripe.testHelpers.customers.fundCashBalance(customer, { amount: 1000, currency: "eur", reference });
    await newEvents();
    await h.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "abandoned" });
    expect(await newEvents()).toEqual(["payment_intent.canceled", "customer_cash_balance_transaction.created"]);
    expect((await h.stripe.customers.retrieveCashBalance(customer)).available).toEqual({ eur: 1000 });
    const [last] = (await h.stripe.customers.listCashBalanceTransactions(customer, { limit: 1 })).data;
    expect(last).toMatchObject({
      type: "unapplied_from_payment",
      unapplied_from_payment: { payment_intent: intent.id },
      net_amount: 1000,
      ending_balance: 1000,
    });
  });
});

describe("bank transfers across a restart", () => {
  it("keeps the waiting intent, the cash balance and its transactions in the state file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bank-transfers-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startEmulator({ port: 0, stateFile });
      const stripe = stripeFor(first);
      const waiting = await waitingTransfer(stripe, (id) => first.pay(id, "bank_transfer").payment_intent);
      await stripe.testHelpers.customers.fundCashBalance(waiting.customer, {
        amount: 1000,
        currency: "eur",
        reference: waiting.reference,
      });
      await first.stop();

      const second = await startEmulator({ port: 0, stateFile });
      const again = stripeFor(second);
      const intent = await again.paymentIntents.retrieve(waiting.intent.id);
      expect(intent.next_action?.display_bank_transfer_instructions).toMatchObject({
        amount_remaining: 2000,
        reference: waiting.reference,
      });
      expect((await again.customers.retrieveCashBalance(waiting.customer)).available).toEqual({ eur: 0 });
      expect((await again.customers.listCashBalanceTransactions(waiting.customer)).data).toHaveLength(2);
      await again.testHelpers.customers.fundCashBalance(waiting.customer, {
        amount: 2000,
        currency: "eur",
        reference: waiting.reference,
      });
      expect((await again.paymentIntents.retrieve(waiting.intent.id)).status).toBe("succeeded");
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
