import http from "node:http";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { control, sessionParams, startHarness, type Harness } from "../test-support/harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

describe("idempotency", () => {
  it("replays the stored response for a repeated key with the same parameters", async () => {
    const params = sessionParams({ metadata: { orderId: "ord_9" } });
    const first = await h.stripe.checkout.sessions.create(params, { idempotencyKey: "checkout-ord_9-1" });
    const second = await h.stripe.checkout.sessions.create(params, { idempotencyKey: "checkout-ord_9-1" });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(second.lastResponse.headers["original-request"]).toBe(first.lastResponse.requestId);
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    const all = await h.stripe.checkout.sessions.list({ limit: 100 });
    expect(all.data.filter((s) => s.metadata?.orderId === "ord_9")).toHaveLength(1);
  });

  it("rejects the same key with different parameters", async () => {
    await h.stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "reused-key" });
    const error = await h.stripe.checkout.sessions
      .create(sessionParams({ client_reference_id: "different" }), { idempotencyKey: "reused-key" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({ statusCode: 400, type: "StripeIdempotencyError" });
    expect((error as Stripe.errors.StripeError).raw).toMatchObject({ type: "idempotency_error" });
  });

  it("scopes keys per API key and does not store validation failures", async () => {
    const other = new Stripe("sk_test_another_account_key", {
      ...h.emulator.stripeClientOptions(),
      maxNetworkRetries: 0,
    });
    const mine = await h.stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "shared-key" });
    const theirs = await other.checkout.sessions.create(sessionParams(), { idempotencyKey: "shared-key" });
    expect(theirs.id).not.toBe(mine.id);
    const bad = await h.stripe.checkout.sessions
      .create(sessionParams({ expires_at: 1 }), { idempotencyKey: "fix-and-retry" })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const fixed = await h.stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: "fix-and-retry" });
    expect(fixed.id).toMatch(/^cs_test_/);
  });

  it("answers 409 while a request with the same key is still in progress", async () => {
    const body = new URLSearchParams({
      mode: "payment",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": "100",
      "line_items[0][price_data][product_data][name]": "Slow",
      "line_items[0][quantity]": "1",
    }).toString();
    const headers = {
      Authorization: `Bearer ${h.emulator.apiKey}`,
      "Content-Type": "application/x-www-form-urlencoded",
      "Idempotency-Key": "in-flight-key",
    };
    const slow = http.request(`${h.emulator.url}/v1/checkout/sessions`, {
      method: "POST",
      headers: { ...headers, "Content-Length": String(body.length) },
    });
    const firstStatus = new Promise<number>((resolve, reject) => {
      slow.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      slow.on("error", reject);
    });
    slow.write(body.slice(0, 10));
    slow.flushHeaders();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const twin = await fetch(`${h.emulator.url}/v1/checkout/sessions`, { method: "POST", headers, body });
    expect(twin.status).toBe(409);
    expect(await twin.json()).toMatchObject({ error: { type: "idempotency_error" } });
    slow.end(body.slice(10));
    expect(await firstStatus).toBe(200);
    const replay = await fetch(`${h.emulator.url}/v1/checkout/sessions`, { method: "POST", headers, body });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("card declines", () => {
  it("reports a control API decline on the PaymentIntent and keeps the session open", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const result = await control(h.emulator, "POST", `/_emulator/checkout/sessions/${session.id}/pay`, {
      scenario: "card_decline",
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id: session.id, status: "open", payment_status: "unpaid" });
    const intentId = (result.body as { payment_intent: string }).payment_intent;
    const intent = await h.stripe.paymentIntents.retrieve(intentId);
    expect(intent).toMatchObject({
      status: "requires_payment_method",
      amount: 3000,
      amount_received: 0,
      latest_charge: expect.stringMatching(/^ch_/) as unknown,
      last_payment_error: {
        type: "card_error",
        code: "card_declined",
        decline_code: "generic_decline",
        payment_method: { object: "payment_method", type: "card", card: { last4: "0002" } },
      },
      payment_method_options: { card: { request_three_d_secure: "automatic" } },
    });
    // A declined card leaves a failed charge, as on Stripe.
    expect(await h.stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({
      status: "failed",
      paid: false,
      captured: false,
      amount_captured: 0,
      failure_code: "card_declined",
      outcome: { type: "issuer_declined", network_status: "declined_by_network", reason: "generic_decline" },
      payment_method_details: { type: "card", card: { last4: "0002", amount_authorized: null } },
    });
    const funds = await control(h.emulator, "POST", `/_emulator/checkout/sessions/${session.id}/pay`, {
      scenario: "card_insufficient_funds",
    });
    expect((funds.body as { payment_intent: string }).payment_intent).toBe(intentId);
    expect((await h.stripe.paymentIntents.retrieve(intentId)).last_payment_error).toMatchObject({
      decline_code: "insufficient_funds",
      message: "Your card has insufficient funds.",
    });
  });

  it("raises StripeCardError when confirming with a declined card over the API", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const pm = await h.stripe.paymentMethods.create({ type: "card", card: { token: "tok_chargeDeclined" } });
    const error: unknown = await h.stripe
      .rawRequest("POST", `/v1/payment_pages/${session.id}/confirm`, { payment_method: pm.id })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, code: "card_declined", decline_code: "generic_decline" });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
  });

  it("answers control API mistakes with 400 and 404 in Stripe's error shape", async () => {
    const bad = await control(h.emulator, "POST", "/_emulator/checkout/sessions/cs_test_x/pay", { scenario: "magic" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { type: "invalid_request_error", param: "scenario" } });
    const missing = await control(h.emulator, "POST", "/_emulator/checkout/sessions/cs_test_x/pay", {
      scenario: "card_success",
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: "resource_missing" } });
    const health = await control(h.emulator, "GET", "/_emulator/health");
    expect(health).toEqual({ status: 200, body: { ok: true } });
  });
});
