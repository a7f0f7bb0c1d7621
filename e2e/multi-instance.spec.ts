import { expect, test } from "@playwright/test";
import Stripe from "stripe";
import { EMULATOR_SECRET_KEY, EMULATOR_WEBHOOK_SECRET } from "../tooling/launcher/payments";
import { restartEmbeddedDatabase } from "../test/database-restart";
import { EMULATOR, INSTANCE_A, INSTANCE_B, openSse } from "./support";

// Two `next start` instances share one PostgreSQL. The shopper's stream is on instance A while
// Stripe's webhook lands on instance B: the change must cross instances through LISTEN/NOTIFY.
const stripe = new Stripe(EMULATOR_SECRET_KEY);

async function control(path: string, body: unknown) {
  const response = await fetch(`${EMULATOR}/_emulator/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

async function placeOrder(): Promise<{ orderId: string; token: string; sessionId: string }> {
  const products = (await (await fetch(`${INSTANCE_A}/api/products`)).json()) as {
    products: Array<{ id: string; stock: number }>;
  };
  const product = products.products.find((p) => p.stock > 5);
  const response = await fetch(`${INSTANCE_A}/api/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ items: [{ productId: product?.id, quantity: 1 }] }),
  });
  expect(response.status).toBe(200);
  const placed = (await response.json()) as { orderId: string; url: string; statusUrl: string };
  return {
    orderId: placed.orderId,
    token: new URL(placed.statusUrl).searchParams.get("token") ?? "",
    sessionId: placed.url.split("/").pop() ?? "",
  };
}

/** The emulator's checkout.session.completed event for a session, signed as Stripe signs it, posted to instance B until it is accepted. */
async function deliverToB(sessionId: string): Promise<void> {
  const list = (await (
    await fetch(`${EMULATOR}/v1/events?type=checkout.session.completed&limit=100`, {
      headers: { authorization: `Bearer ${EMULATOR_SECRET_KEY}` },
    })
  ).json()) as {
    data: Array<{ data: { object: { id: string } } }>;
  };
  const event = list.data.find((e) => e.data.object.id === sessionId);
  expect(event).toBeDefined();
  const payload = JSON.stringify(event, null, 2);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: EMULATOR_WEBHOOK_SECRET });
    const response = await fetch(`${INSTANCE_B}/api/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
    if (response.status === 200) return;
    // Like Stripe: a 5xx (database still coming back) is retried.
    expect(response.status).toBeGreaterThanOrEqual(500);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("instance B never accepted the delivery");
}

for (const restart of [false, true]) {
  test(`a webhook on instance B reaches the shopper's stream on instance A${restart ? " across a database restart" : ""}`, async () => {
    const { orderId, token, sessionId } = await placeOrder();
    await control("config", { pause: true });
    try {
      const stream = await openSse(`${INSTANCE_A}/api/orders/${orderId}/events?token=${token}`);
      expect(await stream.next()).toMatchObject({ status: "PENDING" });
      await control(`checkout/sessions/${sessionId}/pay`, { scenario: "card_success" });
      if (restart) await restartEmbeddedDatabase();
      await deliverToB(sessionId);
      expect(await stream.next(20_000)).toMatchObject({ status: "PAID", paymentStatus: "PAID" });
      stream.close();
    } finally {
      await control("config", { pause: false });
    }
  });
}
