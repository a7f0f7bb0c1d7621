import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sessionParams, startHarness, type Harness } from "../test-support/harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ asyncDelaySeconds: 10 });
});

afterAll(async () => {
  await h.close();
});

beforeEach(async () => {
  await h.emulator.flushDeliveries();
  h.emulator.reset();
  h.receiver.clear();
});

const card = (number: string) => ({
  method: "card",
  email: "shopper@example.com",
  card_number: number,
  card_expiry: "12 / 34",
  card_cvc: "123",
  card_name: "Jenny Rosen",
});

function post(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("hosted checkout page", () => {
  it("renders line items, the total, both payment methods and accessible form controls", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams({ customer_email: "prefilled@example.com" }));
    const response = await fetch(session.url ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Notebook");
    expect(html).toContain("A5, dotted");
    expect(html).toContain("Qty 2 · €12.50 each");
    expect(html).toContain("€25.00");
    expect(html).toContain("Pay €30.00");
    expect(html).toContain('value="prefilled@example.com"');
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/<label for="card_number">Card number<\/label>/);
    expect(html).toMatch(/<label for="iban">IBAN<\/label>/);
    expect(html).toContain('<label for="method-sepa_debit">SEPA Direct Debit</label>');
    expect(html).toContain('href="http://127.0.0.1:3000/cart">← Back</a>');
    expect(html).toContain("DE89370400440532013000");
    expect(html).toContain("DE62370400440532013001");
    expect(html).toContain("4000 0000 0000 9995");
    expect(html).not.toMatch(/<script|<link /);
  });

  it("redirects to success_url after a successful card payment", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const response = await post(session.url ?? "", card("4242 4242 4242 4242"));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://127.0.0.1:3000/checkout/success?session_id=${session.id}`);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", url: null });
    expect(done.customer_details?.email).toBe("shopper@example.com");
    const page = await fetch(`${h.emulator.url}/c/pay/${session.id}`);
    expect(await page.text()).toContain("Payment complete");
  });

  it("re-renders a decline with the message, keeps the session open and allows another try", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const declined = await post(session.url ?? "", card("4000000000000002"));
    expect(declined.status).toBe(402);
    const html = await declined.text();
    expect(html).toMatch(/role="alert">Your card was declined\.<\/div>/);
    expect(html).toContain('value="shopper@example.com"');
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    const funds = await post(session.url ?? "", card("4000000000009995"));
    expect(await funds.text()).toContain("Your card has insufficient funds.");
    const retry = await post(session.url ?? "", card("4242424242424242"));
    expect(retry.status).toBe(303);
    await h.emulator.flushDeliveries();
    expect(h.receiver.types()).toEqual([
      "payment_intent.created",
      "charge.failed",
      "payment_intent.payment_failed",
      "charge.failed",
      "payment_intent.payment_failed",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.completed",
    ]);
  });

  it("shows field errors without creating any payment", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const response = await post(session.url ?? "", {
      ...card("4242424242424241"),
      card_expiry: "01/20",
      email: "nope",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Your card number is invalid.");
    expect(html).toContain("Your card&#39;s expiration date is in the past.");
    expect(html).toContain("Your email address is invalid.");
    expect(html).toContain('aria-invalid="true" aria-describedby="card_number-error"');
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).payment_intent).toBeNull();
  });

  it("submits a SEPA debit: completed and unpaid now, paid after the clock advances", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const response = await post(session.url ?? "", {
      method: "sepa_debit",
      email: "iban@example.com",
      iban: "DE89 3704 0044 0532 0130 00",
      iban_name: "Max Mustermann",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toContain(session.id);
    expect(await h.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
      status: "complete",
      payment_status: "unpaid",
    });
    const processingPage = await (await fetch(`${h.emulator.url}/c/pay/${session.id}`)).text();
    expect(processingPage).toContain("Payment processing");
    h.emulator.advanceClock(10);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).payment_status).toBe("paid");
    await h.emulator.flushDeliveries();
    expect(h.receiver.types()).toEqual([
      "payment_intent.created",
      "payment_intent.processing",
      "charge.pending",
      "checkout.session.completed",
      "payment_intent.succeeded",
      "charge.succeeded",
      "checkout.session.async_payment_succeeded",
    ]);
  });

  it("explains expired and unknown sessions", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    await h.stripe.checkout.sessions.expire(session.id);
    const expired = await fetch(`${h.emulator.url}/c/pay/${session.id}`);
    expect(await expired.text()).toContain("This checkout session has expired");
    const late = await post(`${h.emulator.url}/c/pay/${session.id}`, card("4242424242424242"));
    expect(late.status).toBe(409);
    const unknown = await fetch(`${h.emulator.url}/c/pay/cs_test_unknown`);
    expect(unknown.status).toBe(404);
  });
});
