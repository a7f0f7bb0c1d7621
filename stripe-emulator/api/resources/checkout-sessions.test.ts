import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_VERSION } from "../../constants";
import { sessionParams, startHarness, type Harness } from "../../test-support/harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

beforeEach(async () => {
  await h.emulator.flushDeliveries();
  h.emulator.reset();
});

describe("checkout sessions", () => {
  it("creates a session with Stripe's fields", async () => {
    const before = Math.floor(Date.now() / 1000);
    const session = await h.stripe.checkout.sessions.create(
      sessionParams({
        metadata: { orderId: "ord_1" },
        client_reference_id: "ord_1",
        customer_email: "buyer@example.com",
      }),
    );
    expect(session.id).toMatch(/^cs_test_/);
    expect(session).toMatchObject({
      object: "checkout.session",
      livemode: false,
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      payment_intent: null,
      amount_subtotal: 3000,
      amount_total: 3000,
      currency: "eur",
      customer_email: "buyer@example.com",
      client_reference_id: "ord_1",
      metadata: { orderId: "ord_1" },
      payment_method_types: ["card", "sepa_debit"],
      success_url: "http://127.0.0.1:3000/checkout/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://127.0.0.1:3000/cart",
    });
    expect(session.url).toBe(`${h.emulator.url}/c/pay/${session.id}`);
    expect(session.created).toBeGreaterThanOrEqual(before);
    expect(session.expires_at - session.created).toBe(24 * 60 * 60);
    expect(session.lastResponse.headers["request-id"]).toMatch(/^req_/);
    expect(session.lastResponse.headers["stripe-version"]).toBe(API_VERSION);
  });

  it("gives the features it does not run the values Stripe gives a session that did not ask for them", async () => {
    const session = await h.stripe.checkout.sessions.create(
      sessionParams({ billing_address_collection: "required", customer_creation: "always", locale: "de" }),
    );
    expect(session).toMatchObject({
      adaptive_pricing: { enabled: false },
      after_expiration: null,
      allow_promotion_codes: null,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: "required",
      client_secret: null,
      collected_information: null,
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer_creation: "always",
      customer_details: null,
      discounts: [],
      invoice: null,
      invoice_creation: { enabled: false, invoice_data: { metadata: {}, footer: null } },
      locale: "de",
      payment_link: null,
      payment_method_collection: "always",
      payment_method_options: {},
      phone_number_collection: { enabled: false },
      setup_intent: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      subscription: null,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: "hosted_page",
    });
    const badLocale = await h.stripe.checkout.sessions
      .create(sessionParams({ locale: "xx" as Stripe.Checkout.SessionCreateParams.Locale }))
      .catch((error: unknown) => error);
    expect(badLocale).toMatchObject({
      statusCode: 400,
      param: "locale",
      message: expect.stringMatching(/^Invalid locale/) as unknown,
    });
  });

  it("fills customer_details from what the payer gave, with Stripe's tax defaults", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const method = await h.stripe.paymentMethods.create({
      type: "card",
      card: { token: "tok_visa" },
      billing_details: {
        name: "Ada Lovelace",
        email: "ada@example.com",
        phone: "+44 20 7946 0000",
        address: { country: "GB", postal_code: "NW1 6XE", line1: "1 Dorset St" },
      },
    });
    await h.stripe.rawRequest("POST", `/v1/payment_pages/${session.id}/confirm`, { payment_method: method.id });
    const paid = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(paid.customer_details).toEqual({
      address: { city: null, country: "GB", line1: "1 Dorset St", line2: null, postal_code: "NW1 6XE", state: null },
      business_name: null,
      email: "ada@example.com",
      individual_name: null,
      name: "Ada Lovelace",
      phone: "+44 20 7946 0000",
      tax_exempt: "none",
      tax_ids: [],
    });
  });

  it("offers only cards outside the euro and honours explicit payment_method_types", async () => {
    const usd = await h.stripe.checkout.sessions.create({
      ...sessionParams(),
      line_items: [{ price_data: { currency: "usd", unit_amount: 700, product_data: { name: "Cap" } }, quantity: 1 }],
      allowed_payment_method_types: ["card", "us_bank_account"],
    });
    expect(usd.payment_method_types).toEqual(["card"]);
    const legacy: unknown = await h.stripe
      .rawRequest("POST", "/v1/checkout/sessions", {
        mode: "payment",
        line_items: [{ price_data: { currency: "usd", unit_amount: 700, product_data: { name: "Cap" } }, quantity: 1 }],
        payment_method_types: ["sepa_debit"],
      })
      .catch((error: unknown) => error);
    expect(legacy).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(legacy).toMatchObject({ param: "payment_method_types" });
  });

  it("validates expires_at between 30 minutes and 24 hours", async () => {
    const now = Math.floor(Date.now() / 1000);
    const ok = await h.stripe.checkout.sessions.create(sessionParams({ expires_at: now + 31 * 60 }));
    expect(ok.expires_at).toBe(now + 31 * 60);
    for (const expiresAt of [now + 10 * 60, now + 25 * 60 * 60]) {
      const error = await h.stripe.checkout.sessions
        .create(sessionParams({ expires_at: expiresAt }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, type: "StripeInvalidRequestError", param: "expires_at" });
    }
  });

  it("checks expires_at against real time, so an advanced virtual clock refuses no valid request", async () => {
    h.emulator.advanceClock(2 * 60 * 60);
    const now = Math.floor(Date.now() / 1000);
    const session = await h.stripe.checkout.sessions.create(sessionParams({ expires_at: now + 30 * 60 }));
    expect(session).toMatchObject({ status: "open", expires_at: now + 30 * 60 });
    // It lives its 30 minutes on the virtual clock: open a minute before, expired after.
    h.emulator.advanceClock(29 * 60);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    h.emulator.advanceClock(2 * 60);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
    const early = await h.stripe.checkout.sessions
      .create(sessionParams({ expires_at: now + 10 * 60 }))
      .catch((e: unknown) => e);
    expect(early).toMatchObject({ statusCode: 400, param: "expires_at" });
  });

  it("reports missing and unknown parameters like Stripe", async () => {
    const missing = await h.stripe.checkout.sessions
      .create({
        mode: "payment",
        line_items: [{ quantity: 1, price_data: { currency: "eur", product_data: { name: "x" } } }],
      })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      statusCode: 400,
      code: "parameter_missing",
      param: "line_items[0][price_data][unit_amount]",
      message: "Missing required param: line_items[0][price_data][unit_amount].",
    });
    const unknown: unknown = await h.stripe
      .rawRequest("POST", "/v1/checkout/sessions", { ...sessionParams(), colour: "red" })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({
      statusCode: 400,
      param: "colour",
      code: "parameter_unknown",
      message: "Received unknown parameter: colour",
    });
    const { mode: _mode, ...withoutMode } = sessionParams();
    const noMode: unknown = await h.stripe
      .rawRequest("POST", "/v1/checkout/sessions", withoutMode)
      .catch((e: unknown) => e);
    expect(noMode).toMatchObject({
      statusCode: 400,
      param: "mode",
      code: "parameter_missing",
      message: "Missing required param: mode.",
    });
    const notInteger: unknown = await h.stripe
      .rawRequest("POST", "/v1/checkout/sessions", { ...sessionParams(), expires_at: "soon" })
      .catch((e: unknown) => e);
    expect(notInteger).toMatchObject({
      statusCode: 400,
      param: "expires_at",
      code: "parameter_invalid_integer",
      message: "Invalid integer: soon",
    });
    const noPrice: unknown = await h.stripe
      .rawRequest("POST", "/v1/checkout/sessions", { mode: "payment", line_items: [{ quantity: 1 }] })
      .catch((e: unknown) => e);
    expect(noPrice).toMatchObject({ param: "line_items[0][price]", code: "parameter_missing" });
    const both: unknown = await h.stripe
      .rawRequest("GET", "/v1/checkout/sessions?starting_after=cs_a&ending_before=cs_b")
      .catch((e: unknown) => e);
    expect(both).toMatchObject({
      statusCode: 400,
      code: "parameters_exclusive",
      message: "You may only specify one of these parameters: ending_before, starting_after.",
    });
  });

  it("speaks the API's current ui_mode names", async () => {
    expect((await h.stripe.checkout.sessions.create(sessionParams())).ui_mode).toBe("hosted_page");
    const hosted = await h.stripe.checkout.sessions.create(sessionParams({ ui_mode: "hosted_page" }));
    expect(hosted.ui_mode).toBe("hosted_page");
    const former: unknown = await h.stripe
      .rawRequest("POST", "/v1/checkout/sessions", { ...sessionParams(), ui_mode: "hosted" })
      .catch((e: unknown) => e);
    expect(former).toMatchObject({
      statusCode: 400,
      param: "ui_mode",
      message: expect.stringMatching(/^Invalid ui_mode/) as unknown,
    });
    const embedded = await h.stripe.checkout.sessions
      .create(sessionParams({ ui_mode: "embedded_page" }))
      .catch((e: unknown) => e);
    expect(embedded).toMatchObject({ statusCode: 400, param: "ui_mode" });
  });

  it("retrieves with expanded line_items and payment_intent", async () => {
    const created = await h.stripe.checkout.sessions.create(sessionParams());
    const open = await h.stripe.checkout.sessions.retrieve(created.id, { expand: ["line_items", "payment_intent"] });
    expect(open.payment_intent).toBeNull();
    expect(open.line_items?.object).toBe("list");
    expect(open.line_items?.data.map((li) => [li.description, li.quantity, li.amount_total])).toEqual([
      ["Notebook", 2, 2500],
      ["Pen", 1, 500],
    ]);
    h.emulator.pay(created.id, "card_success");
    const paid = await h.stripe.checkout.sessions.retrieve(created.id, {
      expand: ["payment_intent.latest_charge"],
    });
    const intent = paid.payment_intent;
    if (typeof intent !== "object" || intent === null) throw new Error("payment_intent was not expanded");
    expect(intent.id).toMatch(/^pi_/);
    expect(intent.status).toBe("succeeded");
    expect(typeof intent.latest_charge === "object" && intent.latest_charge?.status).toBe("succeeded");
    const unexpandable = await h.stripe.checkout.sessions
      .retrieve(created.id, { expand: ["customer_details"] })
      .catch((e: unknown) => e);
    expect(unexpandable).toMatchObject({ statusCode: 400, param: "expand" });
  });

  it("pages through line items", async () => {
    const session = await h.stripe.checkout.sessions.create(
      sessionParams({
        line_items: ["A", "B", "C"].map((name, i) => ({
          price_data: { currency: "eur", unit_amount: 100 * (i + 1), product_data: { name } },
          quantity: 1,
        })),
      }),
    );
    const first = await h.stripe.checkout.sessions.listLineItems(session.id, { limit: 2 });
    expect(first.data.map((li) => li.description)).toEqual(["A", "B"]);
    expect(first.has_more).toBe(true);
    expect(first.url).toBe(`/v1/checkout/sessions/${session.id}/line_items`);
    const second = await h.stripe.checkout.sessions.listLineItems(session.id, {
      limit: 2,
      starting_after: first.data[1]?.id,
    });
    expect(second.data.map((li) => li.description)).toEqual(["C"]);
    expect(second.has_more).toBe(false);
    expect(first.data[0]?.price?.unit_amount).toBe(100);
  });

  it("expires an open session once and refuses a second time", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const expired = await h.stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ id: session.id, status: "expired", url: null, payment_status: "unpaid" });
    const again = await h.stripe.checkout.sessions.expire(session.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
  });

  it("lists newest first, filters by payment_intent and paginates both ways", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await h.stripe.checkout.sessions.create(sessionParams())).id);
    const paid = h.emulator.pay(ids[1] ?? "", "card_success");
    const byIntent = await h.stripe.checkout.sessions.list({ payment_intent: paid.payment_intent as string });
    expect(byIntent.data.map((s) => s.id)).toEqual([ids[1]]);
    const page1 = await h.stripe.checkout.sessions.list({ limit: 2 });
    expect(page1.data.map((s) => s.id)).toEqual([ids[3], ids[2]]);
    expect(page1.has_more).toBe(true);
    const page2 = await h.stripe.checkout.sessions.list({ limit: 2, starting_after: ids[2] });
    expect(page2.data.map((s) => s.id)).toEqual([ids[1], ids[0]]);
    expect(page2.has_more).toBe(false);
    const back = await h.stripe.checkout.sessions.list({ limit: 1, ending_before: ids[1] });
    expect(back.data.map((s) => s.id)).toEqual([ids[2]]);
    expect(back.has_more).toBe(true);
  });

  it("raises the SDK's error classes for 404 and authentication failures", async () => {
    const missing = await h.stripe.checkout.sessions.retrieve("cs_test_nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({
      statusCode: 404,
      code: "resource_missing",
      message: "No such checkout.session: 'cs_test_nope'",
    });
    const response = await fetch(`${h.emulator.url}/v1/checkout/sessions`);
    expect(response.status).toBe(401);
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    const body: unknown = await response.json();
    expect(body).toMatchObject({
      error: {
        type: "invalid_request_error",
        message: expect.stringMatching(/^You did not provide an API key/) as unknown,
      },
    });
    const badKey = new Stripe("not_a_key", { ...h.emulator.stripeClientOptions(), maxNetworkRetries: 0 });
    const auth = await badKey.checkout.sessions.list().catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const basic = await fetch(`${h.emulator.url}/v1/events`, {
      headers: { Authorization: `Basic ${Buffer.from("sk_test_cli_key_123:").toString("base64")}` },
    });
    expect(basic.status).toBe(200);
    // The credential is the whole rest of the header: a valid key with more after a space is refused.
    for (const header of [`Bearer ${h.emulator.apiKey} extra`, "Bearer sk_test_bad key!"]) {
      const spaced = await fetch(`${h.emulator.url}/v1/events`, { headers: { Authorization: header } });
      expect(spaced.status, header).toBe(401);
      expect(await spaced.json()).toMatchObject({
        error: { message: expect.stringMatching(/^Invalid API Key/) as unknown },
      });
    }
    const unknownRoute: unknown = await h.stripe.rawRequest("GET", "/v1/widgets").catch((e: unknown) => e);
    expect(unknownRoute).toMatchObject({
      statusCode: 404,
      message: expect.stringContaining("Unrecognized request URL") as unknown,
    });
  });
});
