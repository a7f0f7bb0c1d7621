import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { ibanValid } from "../../domain/test-instruments";
import { control, sessionParams, setUpHarness } from "../../test-support/harness";

const h = setUpHarness();

const EU_OPTIONS: Stripe.Checkout.SessionCreateParams.PaymentMethodOptions = {
  customer_balance: {
    funding_type: "bank_transfer",
    bank_transfer: { type: "eu_bank_transfer", eu_bank_transfer: { country: "DE" } },
  },
};

function bankTransferSession(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return h.stripe.checkout.sessions.create(
    sessionParams({
      allowed_payment_method_types: ["card", "customer_balance"],
      payment_method_options: EU_OPTIONS,
      ...overrides,
    }),
  );
}

async function refusal(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await promise.then(
    () => new Error("expected a refusal"),
    (reason: unknown) => reason,
  );
  if (!(error instanceof Stripe.errors.StripeError)) throw error;
  return error;
}

/** Every event type delivered since the test began, in order. */
async function deliveredTypes(): Promise<string[]> {
  await h.emulator.flushDeliveries();
  return h.receiver.types();
}

/** Pays a session by bank transfer; answers the intent waiting for the transfer. */
async function payByTransfer(sessionId: string): Promise<Stripe.PaymentIntent> {
  const session = h.emulator.pay(sessionId, "bank_transfer", "jenny@example.com");
  return h.stripe.paymentIntents.retrieve(session.payment_intent ?? "");
}

/** A dollar session paid by US bank transfer only. */
function usdTransferSession() {
  return h.stripe.checkout.sessions.create(
    sessionParams({
      line_items: [{ price_data: { currency: "usd", unit_amount: 4000, product_data: { name: "Lamp" } }, quantity: 1 }],
      allowed_payment_method_types: ["customer_balance"],
      payment_method_options: {
        customer_balance: { funding_type: "bank_transfer", bank_transfer: { type: "us_bank_transfer" } },
      },
    }),
  );
}

function instructionsOf(intent: Stripe.PaymentIntent) {
  const instructions = intent.next_action?.display_bank_transfer_instructions;
  if (!instructions) throw new Error(`${intent.id} has no bank transfer instructions`);
  return instructions;
}

describe("Checkout Sessions offering bank transfers", () => {
  it("offers customer_balance with the options as Stripe returns them", async () => {
    const session = await bankTransferSession();
    expect(session.payment_method_types).toEqual(["card", "customer_balance"]);
    expect(session.payment_method_options).toEqual({
      customer_balance: {
        bank_transfer: {
          eu_bank_transfer: { country: "DE" },
          requested_address_types: ["iban"],
          type: "eu_bank_transfer",
        },
        funding_type: "bank_transfer",
      },
    });
    const usd = await usdTransferSession();
    expect(usd.payment_method_types).toEqual(["customer_balance"]);
    const { allowed_payment_method_types: _allowed, ...explicit } = sessionParams({
      payment_method_options: EU_OPTIONS,
    });
    const older: unknown = await h.stripe.rawRequest("POST", "/v1/checkout/sessions", {
      ...explicit,
      payment_method_types: ["card", "customer_balance"],
    });
    expect(older).toMatchObject({
      payment_method_types: ["card", "customer_balance"],
      payment_method_options: { customer_balance: { funding_type: "bank_transfer" } },
    });
    expect(usd.payment_method_options?.customer_balance?.bank_transfer).toEqual({
      requested_address_types: ["aba", "swift"],
      type: "us_bank_transfer",
    });
  });

  it("takes a customer, which the session then names", async () => {
    const customer = await h.stripe.customers.create({ email: "jenny@example.com", name: "Jenny Rosen" });
    const session = await bankTransferSession({ customer: customer.id });
    expect(session.customer).toBe(customer.id);
    expect(session.customer_creation).toBeNull();
    const missing = await refusal(bankTransferSession({ customer: "cus_missing" }));
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", param: "customer" });
    const both = await refusal(bankTransferSession({ customer: customer.id, customer_email: "x@example.com" }));
    expect(both).toMatchObject({ statusCode: 400, code: "parameters_exclusive" });
  });

  it.each([
    [
      "customer_balance without its options",
      { payment_method_options: undefined },
      "parameter_missing",
      "payment_method_options[customer_balance][funding_type]",
    ],
    [
      "no funding type",
      { payment_method_options: { customer_balance: { bank_transfer: { type: "eu_bank_transfer" } } } },
      "parameter_missing",
      "payment_method_options[customer_balance][funding_type]",
    ],
    [
      "an EU transfer without its country",
      {
        payment_method_options: {
          customer_balance: { funding_type: "bank_transfer", bank_transfer: { type: "eu_bank_transfer" } },
        },
      },
      "parameter_missing",
      "payment_method_options[customer_balance][bank_transfer][eu_bank_transfer][country]",
    ],
    [
      "a country Stripe opens no accounts in",
      {
        payment_method_options: {
          customer_balance: {
            funding_type: "bank_transfer",
            bank_transfer: { type: "eu_bank_transfer", eu_bank_transfer: { country: "IT" } },
          },
        },
      },
      undefined,
      "payment_method_options[customer_balance][bank_transfer][eu_bank_transfer][country]",
    ],
    [
      "a US transfer for a euro session",
      {
        payment_method_options: {
          customer_balance: { funding_type: "bank_transfer", bank_transfer: { type: "us_bank_transfer" } },
        },
      },
      undefined,
      "payment_method_options[customer_balance][bank_transfer][type]",
    ],
    [
      "an address type the transfer type lacks",
      {
        payment_method_options: {
          customer_balance: {
            funding_type: "bank_transfer",
            bank_transfer: {
              type: "eu_bank_transfer",
              eu_bank_transfer: { country: "FR" },
              requested_address_types: ["aba"],
            },
          },
        },
      },
      undefined,
      "payment_method_options[customer_balance][bank_transfer][requested_address_types]",
    ],
  ] as const)("refuses %s", async (_name, overrides, code, param) => {
    const error = await refusal(bankTransferSession(overrides as Partial<Stripe.Checkout.SessionCreateParams>));
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe(param);
    if (code) expect(error.code).toBe(code);
  });

  it("refuses unknown option parameters", async () => {
    const error = await refusal(
      h.stripe.rawRequest("POST", "/v1/checkout/sessions", {
        ...sessionParams({ allowed_payment_method_types: ["customer_balance"] }),
        payment_method_options: { customer_balance: { funding_type: "bank_transfer", colour: "red" } },
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: "parameter_unknown" });
  });
});

describe("paying by bank transfer", () => {
  it("waits for the transfer with Stripe's instructions, creating the customer Checkout needs", async () => {
    const session = await bankTransferSession();
    const intent = await payByTransfer(session.id);
    expect(intent.status).toBe("requires_action");
    expect(intent.payment_method_types).toEqual(["customer_balance"]);
    expect(intent.amount_received).toBe(0);
    expect(typeof intent.customer).toBe("string");
    expect(intent.payment_method_options?.customer_balance).toEqual({
      bank_transfer: {
        eu_bank_transfer: { country: "DE" },
        requested_address_types: ["iban"],
        type: "eu_bank_transfer",
      },
      funding_type: "bank_transfer",
    });
    expect(intent.next_action?.type).toBe("display_bank_transfer_instructions");
    const instructions = instructionsOf(intent);
    expect(instructions).toMatchObject({ amount_remaining: 3000, currency: "eur", type: "eu_bank_transfer" });
    expect(instructions.reference).toMatch(/^[A-Z2-9]{12}$/);
    expect(instructions.hosted_instructions_url).toBe(`${h.emulator.url}/bank_transfers/instructions/${intent.id}`);
    const [address] = instructions.financial_addresses ?? [];
    expect(address?.type).toBe("iban");
    expect(address?.supported_networks).toEqual(["sepa"]);
    expect(address?.iban?.country).toBe("DE");
    expect(address?.iban?.iban).toMatch(/^DE\d{20}$/);
    expect(ibanValid(address?.iban?.iban ?? "")).toBe(true);
    expect(address?.iban?.bic).toMatch(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/);

    const after = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(after).toMatchObject({ status: "complete", payment_status: "unpaid", customer: intent.customer });
    const customer = await h.stripe.customers.retrieve(intent.customer as string);
    expect(customer).toMatchObject({ email: "jenny@example.com" });
    expect(await deliveredTypes()).toEqual([
      "customer.created",
      "payment_intent.created",
      "payment_intent.requires_action",
      "checkout.session.completed",
    ]);
  });

  it("gives a customer the same virtual account each time, with valid IBANs in every country", async () => {
    const customer = await h.stripe.customers.create({ name: "Jenny Rosen" });
    const ibans: string[] = [];
    for (const country of ["BE", "DE", "ES", "FR", "IE", "NL", "DE"] as const) {
      const session = await bankTransferSession({
        customer: customer.id,
        payment_method_options: {
          customer_balance: {
            funding_type: "bank_transfer",
            bank_transfer: { type: "eu_bank_transfer", eu_bank_transfer: { country } },
          },
        },
      });
      const iban = instructionsOf(await payByTransfer(session.id)).financial_addresses?.[0]?.iban?.iban ?? "";
      expect(iban.slice(0, 2)).toBe(country);
      expect(ibanValid(iban)).toBe(true);
      ibans.push(iban);
    }
    expect(ibans[6]).toBe(ibans[1]);
    expect(new Set(ibans).size).toBe(6);
  });

  it("shows US transfers as ABA account and routing numbers, and SWIFT", async () => {
    const session = await usdTransferSession();
    const instructions = instructionsOf(await payByTransfer(session.id));
    expect(instructions).toMatchObject({ amount_remaining: 4000, currency: "usd", type: "us_bank_transfer" });
    const [aba, swift] = instructions.financial_addresses ?? [];
    expect(aba).toMatchObject({ type: "aba", supported_networks: ["ach", "domestic_wire_us"] });
    expect(aba?.aba?.routing_number).toBe("110000000");
    expect(aba?.aba?.account_number).toMatch(/^\d{12}$/);
    expect(swift).toMatchObject({ type: "swift", supported_networks: ["swift"] });
  });

  it("offers a Bank transfer choice on the hosted page, then shows the instructions", async () => {
    const session = await bankTransferSession();
    const page = await (await fetch(session.url ?? "")).text();
    expect(page).toContain('<label for="method-customer_balance">Bank transfer</label>');
    expect(page).toContain("/_emulator/bank_transfers/fund");
    const response = await fetch(session.url ?? "", {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ method: "customer_balance", email: "shopper@example.com" }).toString(),
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    const intent = await h.stripe.paymentIntents.retrieve(
      (await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent as string,
    );
    const instructions = instructionsOf(intent);
    const iban = instructions.financial_addresses?.[0]?.iban;
    expect(html).toContain("Complete your payment by bank transfer");
    expect(html).toContain("€30.00");
    expect(html).toContain(instructions.reference ?? "missing");
    expect(html).toContain(iban?.iban.replace(/(.{4})(?=.)/g, "$1 ") ?? "missing");
    expect(html).toContain(iban?.bic ?? "missing");
    expect(html).toContain("http://127.0.0.1:3000/checkout/success?session_id=" + session.id);

    const hosted = await fetch(instructions.hosted_instructions_url ?? "");
    expect(hosted.status).toBe(200);
    expect(await hosted.text()).toContain(instructions.reference ?? "missing");
    expect((await fetch(`${h.emulator.url}/bank_transfers/instructions/pi_missing`)).status).toBe(404);
    const again = await (await fetch(session.url ?? "")).text();
    expect(again).toContain("Complete your payment by bank transfer");
  });

  it("creates a customer for a card payment too when the session asks for one", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams({ customer_creation: "always" }));
    const paid = h.emulator.pay(session.id, "card_success", "jenny@example.com");
    expect(paid.customer).toMatch(/^cus_/);
    const intent = await h.stripe.paymentIntents.retrieve(paid.payment_intent ?? "", { expand: ["latest_charge"] });
    expect(intent.customer).toBe(paid.customer);
    expect(intent.latest_charge).toMatchObject({ customer: paid.customer });
    expect(await deliveredTypes()).toEqual([
      "customer.created",
      "payment_intent.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
    ]);
    const plain = await h.stripe.checkout.sessions.create(sessionParams());
    expect(h.emulator.pay(plain.id, "card_success").customer).toBeNull();
  });

  it("refuses a bank transfer on a session that does not offer it", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const { status, body } = await control(h.emulator, "POST", `/_emulator/checkout/sessions/${session.id}/pay`, {
      scenario: "bank_transfer",
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { param: "payment_method" } });
  });
});
