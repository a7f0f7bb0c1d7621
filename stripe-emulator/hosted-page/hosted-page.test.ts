import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { runInNewContext } from "node:vm";
import { sessionParams, startHarness, type Harness } from "../test-support/harness";
import type { Product } from "../domain/model/catalog";
import type { CheckoutSession, LineItem } from "../domain/model/checkout";
import { EXPIRY_SCRIPT } from "./expiry-script";
import { renderCheckout } from "./render";

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

/** Runs the page's expiry script against a stand-in field, then "types" into it. */
function typeExpiry(typed: string): string {
  const field = { value: "", listener: () => undefined as unknown };
  const document = {
    getElementById: (id: string) =>
      id === "card_expiry"
        ? {
            get value() {
              return field.value;
            },
            set value(v: string) {
              field.value = v;
            },
            addEventListener: (_type: string, listener: () => unknown) => {
              field.listener = listener;
            },
          }
        : null,
  };
  runInNewContext(EXPIRY_SCRIPT, { document });
  field.value = typed;
  field.listener();
  return field.value;
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
    expect(html).toContain('<h1 id="summary-heading" class="merchant">Pay Stripe Emulator</h1>');
  });

  it("runs no script but the expiry formatter, which the CSP allows by its hash", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const response = await fetch(session.url ?? "");
    const html = await response.text();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
    expect(scripts).toEqual([EXPIRY_SCRIPT]);
    const hash = createHash("sha256")
      .update(scripts[0] ?? "")
      .digest("base64");
    expect(response.headers.get("content-security-policy")).toContain(`script-src 'sha256-${hash}'`);
    expect(html).not.toMatch(/ on[a-z]+=/);
  });

  it.each([
    ["1234", "12 / 34"],
    ["12/34", "12 / 34"],
    ["12 / 34", "12 / 34"],
    ["123456", "12 / 34"],
    ["1", "1"],
    ["4", "04"],
    ["12", "12"],
    ["123", "12 / 3"],
    ["", ""],
  ])("formats the typed expiry %j as %j", (typed, shown) => {
    expect(typeExpiry(typed)).toBe(shown);
  });

  it("accepts the expiry as the formatter shows it and as typed without it", async () => {
    for (const expiry of ["12 / 34", "12/34", "1234"]) {
      const session = await h.stripe.checkout.sessions.create(sessionParams());
      const response = await post(session.url ?? "", { ...card("4242424242424242"), card_expiry: expiry });
      expect(response.status, expiry).toBe(303);
    }
  });

  it("puts the expiry and CVC side by side, each under its own label", async () => {
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const html = await (await fetch(session.url ?? "")).text();
    expect(html).toMatch(
      /<div class="row"><div class="cell"><label for="card_expiry">[^<]*<\/label>\s*<input id="card_expiry"[^>]*><\/div>\s*<div class="cell"><label for="card_cvc">CVC<\/label>\s*<input id="card_cvc"[^>]*><\/div><\/div>/,
    );
  });

  it("shows each product's first image, and the product's initial where it has none", async () => {
    const session = await h.stripe.checkout.sessions.create(
      sessionParams({
        line_items: [
          {
            price_data: {
              currency: "eur",
              unit_amount: 1250,
              product_data: { name: "Notebook", images: ["https://cdn.example/notebook.jpg?w=84&h=84"] },
            },
            quantity: 1,
          },
          { price_data: { currency: "eur", unit_amount: 500, product_data: { name: "pen" } }, quantity: 1 },
        ],
      }),
    );
    const html = await (await fetch(session.url ?? "")).text();
    expect(html).toContain('<img class="thumb" src="https://cdn.example/notebook.jpg?w=84&amp;h=84" alt=""');
    expect(html).toContain('<span class="thumb initial" aria-hidden="true">P</span>');
    expect(html.match(/<img /g)).toHaveLength(1);
  });

  it("refuses images that are not http(s) URLs, as Stripe does, and never renders one", async () => {
    await expect(
      h.stripe.checkout.sessions.create(
        sessionParams({
          line_items: [
            {
              price_data: {
                currency: "eur",
                unit_amount: 500,
                product_data: { name: "Pen", images: ["javascript:alert(1)"] },
              },
              quantity: 1,
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ statusCode: 400, param: expect.stringContaining("images") as unknown });
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const items = await h.stripe.checkout.sessions.listLineItems(session.id);
    const item = items.data[0] as unknown as LineItem;
    const product = (await h.stripe.products.retrieve(item.price.product)) as unknown as Product;
    const html = renderCheckout({
      businessName: "Shop",
      session: session as unknown as CheckoutSession,
      lineItems: [item],
      products: new Map([
        [
          product.id,
          { ...product, images: ["javascript:alert(1)", "data:image/png;base64,AAAA", "https://x.test/a.png"] },
        ],
      ]),
      values: {},
      fieldErrors: {},
      alert: null,
    });
    expect(html).toContain('src="https://x.test/a.png"');
    expect(html).not.toMatch(/javascript:|data:image/);
  });

  it("answers the browser's favicon request without an API key", async () => {
    const response = await fetch(`${h.emulator.url}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml");
    expect(await response.text()).toMatch(/^<svg /);
    expect((await fetch(`${h.emulator.url}/favicon.svg`)).status).toBe(200);
    const session = await h.stripe.checkout.sessions.create(sessionParams());
    const html = await (await fetch(session.url ?? "")).text();
    expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
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

describe("hosted checkout page of an account with a business name", () => {
  let named: Harness;

  beforeAll(async () => {
    named = await startHarness({ businessName: 'Fieldnote <Goods> & "Co"' });
  });

  afterAll(async () => {
    await named.close();
  });

  it("shows the account's public business name, escaped", async () => {
    const session = await named.stripe.checkout.sessions.create(sessionParams());
    const html = await (await fetch(session.url ?? "")).text();
    expect(html).toContain("Pay Fieldnote &lt;Goods&gt; &amp; &quot;Co&quot;</h1>");
    expect(html).toContain("<title>Fieldnote &lt;Goods&gt; &amp; &quot;Co&quot; – €30.00</title>");
    expect(html).not.toContain("Stripe Emulator");
  });
});
